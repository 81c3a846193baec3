from __future__ import annotations

import pytest

SAMPLE = '''import os


def load(path):
    with open(path) as handle:
        return handle.read()


def save(path, text):
    with open(path, "w") as handle:
        handle.write(text)
    return len(text)


class Store:
    def __init__(self, root):
        self.root = root

    def get(self, key):
        return load(os.path.join(self.root, key))
'''


@pytest.fixture
def sample() -> str:
    return SAMPLE
