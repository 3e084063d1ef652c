"""pytest configuration shared by the whole repository.

The ``site_dir`` fixture builds the docs site once per test run, also when pytest-xdist runs
the tests in several worker processes: the first worker that needs the site builds it, the
others wait for it and reuse it (``once_per_run``).

Every Python code block of README.md and docs/ is a test, run with Sybil: the blocks of
one page run in order in one namespace, as a reader runs them. Fences may carry options
after the language (such as markdown-exec's ``exec="on"``, which makes the docs build print
a block's output into the page); those blocks run too. A block that starts with ``>>>``
runs as a doctest.
"""

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock
from sybil import Sybil
from sybil.parsers.abstract import AbstractCodeBlockParser
from sybil.parsers.markdown import CodeBlockParser, PythonCodeBlockParser
from sybil.parsers.markdown.lexers import RawFencedCodeBlockLexer
from sybil.typing import Evaluator

_PYTHON_FENCE_INFO = re.compile(r"(?P<language>python)(?:[ \t][^\n]*)?$\n", re.MULTILINE)


class _PythonFenceWithOptions(CodeBlockParser):
    """```python fences, with or without options after the language."""

    def __init__(self, language: str | None = None, evaluator: Evaluator | None = None) -> None:
        lexer = RawFencedCodeBlockLexer(
            info_pattern=_PYTHON_FENCE_INFO, mapping={"language": "arguments", "source": "source"}
        )
        AbstractCodeBlockParser.__init__(self, [lexer], language, evaluator)


class _PythonBlocks(PythonCodeBlockParser):
    codeblock_parser_class = _PythonFenceWithOptions


pytest_collect_file = Sybil(
    parsers=[_PythonBlocks()],
    patterns=["README.md", "docs/*.md", "docs/*/*.md"],
).pytest()


ROOT = Path(__file__).resolve().parent


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` (pyproject.toml): a worker process per core, but none when only files are named.

    Starting the workers, each collecting every test, takes seconds: more than one file gains. So
    ``pytest tests/test_dense.py`` (or ``file::test``) runs in this process, as without pytest-xdist.
    """
    named = [config.invocation_params.dir / arg.split("::")[0] for arg in config.args]
    if named and all(path.is_file() for path in named):
        return 0
    return None  # pytest-xdist's own count


@pytest.fixture(scope="session")
def run_tmp_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary folder of this test run that every pytest-xdist worker shares.

    Each worker's base temporary folder is a subfolder of the run's (pytest-xdist's documented
    recipe); without workers, it is the run's own.
    """
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once_per_run(run_tmp_path: Path, name: str, make: Callable[[Path], None]) -> Path:
    """``run_tmp_path / name``, made by ``make`` the first time a worker asks for it in this run.

    A file lock makes the other workers wait until it is made, then reuse it. If ``make`` fails,
    the failure is recorded and every later ask fails with it at once, instead of making it again.
    """
    target = run_tmp_path / name
    made, failed = run_tmp_path / f"{name}.made", run_tmp_path / f"{name}.failed"
    with FileLock(run_tmp_path / f"{name}.lock"):
        if failed.exists():
            pytest.fail(failed.read_text("utf-8"), pytrace=False)
        if not made.exists():
            try:
                make(target)
            except BaseException as error:  # pytest.fail's exception is a BaseException
                failed.write_text(f"{name} could not be made (in another test of this run): {error}", "utf-8")
                raise
            made.touch()
    return target


def _build_site(target: Path) -> None:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    command += ["--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(target)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600, check=False)
    # What the build printed, for tests/test_docs_reading.py: a build with nothing wrong prints no error.
    target.with_name(f"{target.name}.log").write_text(result.stderr + result.stdout, "utf-8")
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed (exit {result.returncode}):\n{result.stderr}\n{result.stdout}")


@pytest.fixture(scope="session")
def site_dir(run_tmp_path: Path) -> Path:
    """The docs site, built once per test run with ``mkdocs build --strict`` into a temporary folder."""
    return once_per_run(run_tmp_path, "site", _build_site)
