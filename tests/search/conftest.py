"""A small multi-language repository built in tmp_path for every search test."""

from __future__ import annotations

from pathlib import Path

import pytest

from splice.search.index import forget_memory

FILES: dict[str, str] = {
    "pkg/__init__.py": "",
    "pkg/auth.py": '''"""Tokens and who may use them."""

import time


class TokenStore:
    """Keeps issued tokens."""

    def __init__(self):
        self.tokens = {}

    def issue(self, user):
        token = f"{user}-{time.time()}"
        self.tokens[token] = time.time() + 3600
        return token


def verify_token(store, token):
    expires = store.tokens.get(token)
    if expires is None:
        raise KeyError("unknown token")
    if expires < time.time():
        raise ValueError("token expired for user")
    return True
''',
    "pkg/util.py": '''def parse_header_value(raw):
    """Split a header value on semicolons."""
    parts = [p.strip() for p in raw.split(";")]
    return parts[0], parts[1:]


def unrelated_helper():
    return 42
''',
    "web/app.js": '''function handleRequest(req, res) {
  return router.dispatch(req, res);
}

class Router {
  dispatch(req, res) {
    return res.send(404);
  }
}

const makeRouter = () => new Router();
''',
    "web/types.ts": '''export interface UserProfile {
  name: string;
}

export const fetchUser = async (id: string): Promise<UserProfile> => {
  return { name: id };
};
''',
    "srv/main.go": '''package main

type Server struct{}

func (s *Server) ServeHTTP() {
}

func main() {
}
''',
    "lib.rs": '''struct Packet { len: usize }

impl Packet {
    fn compute_checksum(&self) -> u32 {
        self.len as u32
    }
}
''',
    "Main.java": '''class Main {
    Main() {}
    void run() { System.out.println("run"); }
}
''',
    "tests/test_auth.py": '''from pkg.auth import TokenStore, verify_token


def test_verify_token():
    store = TokenStore()
    assert verify_token(store, store.issue("ann"))
''',
    "README.md": "# demo\nverify_token is documented here.\n",
    ".gitignore": "build/\n",
    "build/generated.py": "def verify_token():\n    return 'generated copy'\n",
}


@pytest.fixture(autouse=True)
def own_index_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own index folder: no test sees another's (or the user's) index."""
    folder = tmp_path_factory.mktemp("index")
    monkeypatch.setenv("SPLICE_INDEX_DIR", str(folder))
    forget_memory()
    return folder


@pytest.fixture
def sample_repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "data.bin").write_bytes(b"verify_token\x00\x01\x02" * 10)
    (root / "legacy.py").write_bytes(b"# caf\xe9 au lait\ndef legacy_encoder():\n    return 'caf\xe9'\n")
    forget_memory()
    yield root
    forget_memory()
