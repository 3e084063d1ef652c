"""pytest configuration shared by the whole repository.

The ``site_dir`` fixture builds the docs site once per test run.

Every Python code block of README.md and docs/ is a test, run with Sybil: the blocks of
one page run in order in one namespace, as a reader runs them. Fences may carry options
after the language (such as markdown-exec's ``exec="on"``, which makes the docs build print
a block's output into the page); those blocks run too. A block that starts with ``>>>``
runs as a doctest.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
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


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The docs site, built once with ``mkdocs build --strict`` into a temporary folder."""
    target = tmp_path_factory.mktemp("site")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    command += ["--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(target)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600, check=False)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed (exit {result.returncode}):\n{result.stderr}\n{result.stdout}")
    return target
