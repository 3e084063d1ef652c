"""The console: what the command line prints, one line per warning or error, in ASCII names where needed."""

import codecs
import contextlib
import io
import sys
from collections.abc import Iterator

from ..errors import one_line

ASCII_NAMES = {
    "α": "alpha",
    "θ": "theta",
    "μ": "mu",
    "σ": "sigma",
    "Σ": "sum",
    "∂": "d",
    "⊙": "*",
    "×": "x",
    "−": "-",
    "²": "^2",
    "ᵀ": "^T",
    "ŷ": "y_hat",
    "←": "<-",
    "→": "->",
    "’": "'",
}
"""How the symbols minifw prints are written on a console that cannot show them (tests/test_console.py finds them
all in minifw's messages); any other character is written as a backslash escape."""

_ASCII_NAMES_HANDLER = "minifw.ascii_names"


def _ascii_names(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: each character the console cannot show as its ASCII name (else a backslash escape)."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    names = [ASCII_NAMES.get(c) or c.encode("ascii", "backslashreplace").decode("ascii") for c in text]
    return "".join(names), error.end


codecs.register_error(_ASCII_NAMES_HANDLER, _ascii_names)


@contextlib.contextmanager
def console_text() -> Iterator[None]:
    """While the command runs, stdout and stderr write what their encoding cannot show as ASCII names.

    A Windows console in cp1252, or ``PYTHONIOENCODING=ascii``, made ``minifw demo`` fail with "'charmap' codec
    can't encode character 'α'"; a file name that is not valid text is escaped the same way.
    """
    streams = [s for s in (sys.stdout, sys.stderr) if isinstance(s, io.TextIOWrapper)]
    changed = [(stream, stream.errors) for stream in streams if stream.errors in ("strict", "backslashreplace")]
    for stream, _ in changed:
        stream.reconfigure(errors=_ASCII_NAMES_HANDLER)
    try:
        yield
    finally:
        for stream, errors in changed:
            with contextlib.suppress(ValueError, OSError):  # closed meanwhile, or a broken pipe
                stream.reconfigure(errors=errors)


def warn(message: Warning | str, *place: object, **more: object) -> None:
    """A warning as the command line shows it: one line on stderr. Also ``warnings.showwarning`` while a command
    runs: one clean line, not Python's format with the category, file and line (``place``)."""
    print(f"minifw: warning: {one_line(message)}", file=sys.stderr)


def error_line(error: BaseException) -> str:
    """An error as the command line shows it after ``minifw: error:``: one line; an OS error as ``file: reason``."""
    if isinstance(error, OSError) and error.strerror and error.filename is not None:
        return f"{error.filename}: {error.strerror}"
    return one_line(error)
