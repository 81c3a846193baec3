"""A bug report's title names its subject (`method_decorator() should preserve wrapper
assignments`); the body then spreads over the reporter's own code and asides, and a module
full of the same words can outscore the one that defines what the title names. The file the
title's code names point at leads, when it is already among the first five and nothing in
the title points at the leader; failing that, the file of a traceback's innermost frame
leads over the outer frame's (title.py)."""

from __future__ import annotations

from pathlib import Path

from splice.search import SearchRequest, deterministic, search
from splice.search.frames import innermost_file
from splice.search.index import forget_memory
from splice.search.terms import Frame
from splice.search.title import title_names, title_of, title_words

# Shaped like django-14787: a Trac report, its repro full of functools words.
REPORT = """method_decorator() should preserve wrapper assignments
Description
\t
the function that is passed to the decorator is a partial object and does not have any of \
the attributes expected from a function i.e. __name__, __module__ etc...
consider the following case
def logger(func):
\t@wraps(func)
\tdef inner(*args, **kwargs):
\t\ttry:
\t\t\tresult = func(*args, **kwargs)
\t\texcept Exception as e:
\t\t\tresult = str(e)
\t\tfinally:
\t\t\tlogger.debug(f"{func.__name__} called with args: {args} and kwargs: {kwargs} resulting: {result}")
\treturn inner
class Test:
\t@method_decorator(logger)
\tdef hello_world(self):
\t\treturn "hello"
Test().test_method()
This results in the following exception
AttributeError: 'functools.partial' object has no attribute '__name__'
"""

DECORATORS = '''"""Functions that help with decorators."""

from functools import partial, update_wrapper, wraps


def _update_method_wrapper(_wrapper, decorator):
    @decorator
    def dummy(*args, **kwargs):
        pass
    update_wrapper(_wrapper, dummy)


def _multi_decorate(decorators, method):
    def _wrapper(self, *args, **kwargs):
        bound_method = partial(method.__get__(self, type(self)))
        for dec in decorators:
            bound_method = dec(bound_method)
        return bound_method(*args, **kwargs)
    for dec in decorators:
        _update_method_wrapper(_wrapper, dec)
    update_wrapper(_wrapper, method)
    return _wrapper


def method_decorator(decorator, name=''):
    """Convert a function decorator into a method decorator."""
    def _dec(obj):
        if not isinstance(obj, type):
            return _multi_decorate(decorator, obj)
        method = getattr(obj, name)
        setattr(obj, name, _multi_decorate(decorator, method))
        return obj
    return _dec
'''

# a module that repeats the repro's words (wraps, partial, logger, args, kwargs, exceptions)
RELOADER = '''"""Restart the process when a file changes."""

import functools
import logging

logger = logging.getLogger(__name__)


def check_errors(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            fn(*args, **kwargs)
        except Exception as e:
            logger.debug("Error in %s with args %s kwargs %s: %s", fn.__name__, args, kwargs, e)
            raise
    return wrapper


def run_with_reloader(main_func, *args, **kwargs):
    try:
        reloader = functools.partial(main_func, *args, **kwargs)
        logger.debug("Watching for file changes with args %s and kwargs %s", args, kwargs)
        return reloader()
    except Exception as e:
        logger.debug("%s called with args: %s and kwargs: %s resulting: %s",
                     main_func.__name__, args, kwargs, e)
        raise


def start_django(reloader, main_func, *args, **kwargs):
    main_func = check_errors(main_func)
    thread = functools.partial(main_func, *args, **kwargs)
    logger.debug("Starting %s with args %s and kwargs %s", main_func.__name__, args, kwargs)
    return thread()


def trigger_reload(filename):
    logger.debug("%s changed, reloading.", filename)
'''

# a caller of the named function, not its definition
VIEWS = '''"""Class-based views that need a login."""

from webkit.utils.decorators import method_decorator


def login_required(func):
    return func


class ProfileView:
    @method_decorator(login_required)
    def dispatch(self, *args, **kwargs):
        return self.render(*args, **kwargs)
'''


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def _repo(root: Path) -> Path:
    return _write(root, {"webkit/__init__.py": "", "webkit/utils/__init__.py": "",
                         "webkit/utils/decorators.py": DECORATORS,
                         "webkit/utils/autoreload.py": RELOADER,
                         "webkit/views/__init__.py": "", "webkit/views/generic.py": VIEWS})


async def _files(root: Path, query: str = REPORT) -> list[str]:
    forget_memory(root)
    result = await search(SearchRequest(query=query, repo=str(root), max_tokens=4000))
    return list(dict.fromkeys(s.path for s in result.spans))


async def test_the_file_defining_the_titles_name_leads(tmp_path: Path) -> None:
    files = await _files(_repo(tmp_path))
    assert files[0] == "webkit/utils/decorators.py"
    assert "webkit/utils/autoreload.py" in files  # still shown, second


async def test_without_the_rule_the_module_of_the_repros_words_leads(tmp_path: Path,
                                                                     monkeypatch) -> None:
    monkeypatch.setattr(deterministic, "lead_first", lambda ctx, order, *_: order)
    files = await _files(_repo(tmp_path))
    assert files[0] == "webkit/utils/autoreload.py"
    assert "webkit/utils/decorators.py" in files[:5]


async def test_a_one_line_query_has_no_title(tmp_path: Path, monkeypatch) -> None:
    # the same words on one line: the ranking reads them all, the rule stays out
    line = " ".join(REPORT.split())
    with_rule = await _files(_repo(tmp_path), line)
    monkeypatch.setattr(deterministic, "lead_first", lambda ctx, order, *_: order)
    assert await _files(tmp_path, line) == with_rule


def test_the_names_a_title_writes_as_code() -> None:
    assert title_of("one line only") == ""
    assert title_of("Case() crashes with ~Q(pk__in=[]).\nDescription\n...") == \
        "Case() crashes with ~Q(pk__in=[])."
    assert title_names("Case() crashes with ~Q(pk__in=[]).") == ["Case", "Q", "pk__in"]
    # the exception is the symptom, not the subject
    assert title_names("URLField throws ValueError instead of ValidationError on clean") == \
        ["URLField"]
    # a word before a parenthesised aside is no call; a version is no name
    assert title_names("shell command crashes when passing (with -c) the code") == []
    assert title_names("[Bug]: Setting matplotlib.pyplot.style.library['x'] fails on v3.6.1") \
        == ["matplotlib.pyplot.style.library"]
    assert title_names("Migration auth.0011_update_proxy_permissions fails") == \
        ["auth.0011_update_proxy_permissions"]
    assert title_names("Allow autoreloading of `python -m custom_module runserver`") == \
        ["python", "custom_module", "runserver"]
    # the prose words, the code names left out, stemmed to meet module names
    names = title_names("inspect.signature() returns incorrect signature on manager methods.")
    assert "manager" in title_words("inspect.signature() returns incorrect signature on "
                                    "manager methods.", names)
    assert "inspect" not in title_words("inspect.signature() fails", ["inspect.signature"])


# Shaped like django-15731: the title calls a standard-library function the project also
# defines a namesake of, and names the module at fault in a plain word ("manager").
SIGNATURE_REPORT = """inspect.signature() returns incorrect signature on manager methods.
Description
inspect.signature returns incorrect signature information when used on queryset methods
import inspect
from shop.db import models
print(inspect.signature(Person.objects.bulk_create))
# actual: (*args, **kwargs)
# expected: (objs, batch_size=None, ignore_conflicts=False)
The issue is due to the code in the manager: although we are ensuring the decorated method \
has the right name and docstring, complete metadata is not copied.
"""

MANAGER = '''"""Managers hand their queryset methods over."""

import inspect


class BaseManager:
    @classmethod
    def _get_queryset_methods(cls, queryset_class):
        def create_method(name, method):
            def manager_method(self, *args, **kwargs):
                return getattr(self.get_queryset(), name)(*args, **kwargs)
            manager_method.__name__ = method.__name__
            manager_method.__doc__ = method.__doc__
            return manager_method

        new_methods = {}
        for name, method in inspect.getmembers(queryset_class, predicate=inspect.isfunction):
            new_methods[name] = create_method(name, method)
        return new_methods


class QuerySet:
    def bulk_create(self, objs, batch_size=None, ignore_conflicts=False):
        return self._batched_insert(objs, batch_size, ignore_conflicts=ignore_conflicts)

    def bulk_update(self, objs, fields, batch_size=None):
        return self._batched_insert(objs, batch_size)

    def _batched_insert(self, objs, batch_size, ignore_conflicts=False):
        batch_size = batch_size or len(objs)
        return [objs[i:i + batch_size] for i in range(0, len(objs), batch_size)]


class Manager(BaseManager.from_queryset(QuerySet)):
    """The manager methods: the queryset methods, copied with their name and docstring."""
'''

INSPECT = '''"""Helpers over the standard inspect module."""

import functools
import inspect


@functools.lru_cache(maxsize=512)
def signature(func):
    return inspect.signature(func)


def func_accepts_kwargs(func):
    return any(p.kind == p.VAR_KEYWORD for p in signature(func).parameters.values())
'''


def _signature_repo(root: Path) -> Path:
    return _write(root, {"shop/__init__.py": "", "shop/db/__init__.py": "",
                         "shop/db/manager.py": MANAGER, "shop/utils/__init__.py": "",
                         "shop/utils/inspect.py": INSPECT})


async def test_a_title_word_naming_the_leaders_module_keeps_it(tmp_path: Path) -> None:
    files = await _files(_signature_repo(tmp_path), SIGNATURE_REPORT)
    assert files[:2] == ["shop/db/manager.py", "shop/utils/inspect.py"]


async def test_without_the_word_the_namesake_takes_the_lead(tmp_path: Path,
                                                            monkeypatch) -> None:
    from splice.search import title

    monkeypatch.setattr(title, "title_words", lambda title, names: set())
    files = await _files(_signature_repo(tmp_path), SIGNATURE_REPORT)
    assert files[:2] == ["shop/utils/inspect.py", "shop/db/manager.py"]


# Shaped like django-13660: a title that names no code, a traceback through the command
# line utility (many of the report's words) into the command that ran the code.
TRACE_REPORT = """shell command crashes when passing (with -c) the python code with functions.
Description
The examples below use Python 3.7, but the code is the same on master.
Here's how python -m tool shell -c works (paths shortened):
$ python -m tool shell -c <<EOF "
import tool
def f():
\t\tprint(tool.__version__)
f()"
EOF
Traceback (most recent call last):
 File "{sys.prefix}/lib/python3.7/site-packages/tool/__main__.py", line 9, in <module>
\tmanagement.execute_from_command_line()
 File "{sys.prefix}/lib/python3.7/site-packages/tool/core/management/__init__.py", line 40, in execute_from_command_line
\tutility.execute()
 File "{sys.prefix}/lib/python3.7/site-packages/tool/core/management/__init__.py", line 33, in execute
\tself.fetch_command(subcommand).run_from_argv(self.argv)
 File "{sys.prefix}/lib/python3.7/site-packages/tool/core/management/base.py", line 12, in run_from_argv
\tself.execute(*args, **cmd_options)
 File "{sys.prefix}/lib/python3.7/site-packages/tool/core/management/base.py", line 16, in execute
\toutput = self.handle(*args, **options)
 File "{sys.prefix}/lib/python3.7/site-packages/tool/core/management/commands/shell.py", line 14, in handle
\texec(options['command'])
 File "<string>", line 5, in <module>
 File "<string>", line 4, in f
NameError: name 'tool' is not defined
"""

MAIN = '''from tool.core import management

if __name__ == "__main__":
    management.execute_from_command_line()
'''

UTILITY = '''"""Run a management command from the command line."""

import os
import sys

from tool.core.management.base import BaseCommand


def find_commands(management_dir):
    command_dir = os.path.join(management_dir, "commands")
    return [name for name in os.listdir(command_dir) if not name.startswith("_")]


class ManagementUtility:
    """The command line: `python -m tool <subcommand> [options]`."""

    def __init__(self, argv=None):
        self.argv = argv or sys.argv[:]
        self.prog_name = os.path.basename(self.argv[0])

    def fetch_command(self, subcommand):
        commands = find_commands(os.path.dirname(__file__))
        if subcommand not in commands:
            sys.stderr.write("Unknown command: %r" % subcommand)
            sys.exit(1)
        return BaseCommand()

    def execute(self):
        subcommand = self.argv[1] if len(self.argv) > 1 else "help"
        self.fetch_command(subcommand).run_from_argv(self.argv)


def execute_from_command_line(argv=None):
    """Run a ManagementUtility: python -m tool passes the command, its options and code."""
    utility = ManagementUtility(argv)
    utility.execute()
'''

BASE = '''"""The base class of every management command."""


class BaseCommand:
    help = ""

    def create_parser(self, prog_name, subcommand):
        return None

    def run_from_argv(self, argv):
        options = self.create_parser(argv[0], argv[1])
        cmd_options = vars(options) if options else {}
        args = cmd_options.pop("args", ())
        self.execute(*args, **cmd_options)

    def execute(self, *args, **options):
        output = self.handle(*args, **options)
        return output

    def handle(self, *args, **options):
        raise NotImplementedError("subclasses of BaseCommand must provide a handle() method")
'''

SHELL = '''"""An interactive interpreter, or the code given with -c."""

from tool.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Runs a Python interactive interpreter."

    def add_arguments(self, parser):
        parser.add_argument("-c", "--command")

    def handle(self, **options):
        # Execute the command and exit.
        if options["command"]:
            exec(options["command"])
            return
        self.interact()

    def interact(self):
        import code
        code.interact()
'''

TRACE_FILES = {"tool/__init__.py": "", "tool/__main__.py": MAIN, "tool/core/__init__.py": "",
         "tool/core/management/__init__.py": UTILITY,
         "tool/core/management/base.py": BASE,
         "tool/core/management/commands/__init__.py": "",
         "tool/core/management/commands/shell.py": SHELL}


def _trace_repo(root: Path) -> Path:
    return _write(root, TRACE_FILES)


async def test_the_innermost_frames_file_leads_over_an_outer_frames(tmp_path: Path) -> None:
    files = await _files(_trace_repo(tmp_path), TRACE_REPORT)
    assert files[0] == "tool/core/management/commands/shell.py"
    assert "tool/core/management/__init__.py" in files[:3]


async def test_without_the_rule_the_outer_frame_leads(tmp_path: Path, monkeypatch) -> None:
    from splice.search import title

    monkeypatch.setattr(title, "innermost_file", lambda *_: None)
    files = await _files(_trace_repo(tmp_path), TRACE_REPORT)
    assert files[0] == "tool/core/management/__init__.py"
    assert "tool/core/management/commands/shell.py" in files[:5]


def test_which_file_holds_the_innermost_frame() -> None:
    def frames(**depths: int) -> dict[str, list[Frame]]:
        return {p: [Frame(path=p, line=1, depth=d)] for p, d in depths.items()}
    got = frames(outer=3, middle=1, inner=0)
    assert innermost_file(got, "outer", {"outer", "middle", "inner"}) == "inner"
    assert innermost_file(got, "inner", {"outer", "middle", "inner"}) is None  # leads already
    assert innermost_file(got, "other", {"outer", "inner"}) is None  # the leader holds no frame
    assert innermost_file(got, "outer", {"outer", "middle"}) == "middle"  # `inner` is no code
    # two tracebacks raised in two files: no one innermost
    assert innermost_file(frames(outer=3, a=0, b=0), "outer", {"outer", "a", "b"}) is None


def test_a_list_has_no_title() -> None:
    # a changelog's items are equals: the first is not the subject of the rest
    assert title_of("- Added union operators to HTTPHeaderDict\n- Fixed HTTPConnection") == ""
    assert title_of("1. first item\n2. second item") == ""
