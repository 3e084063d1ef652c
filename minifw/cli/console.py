"""The console: what the command line prints, one line per warning or error, in ASCII names where needed."""

import codecs
import contextlib
import io
import sys
from collections.abc import Iterator

from ..errors import one_line

ASCII_NAMES = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "Δ": "Delta",
    "ε": "epsilon",
    "η": "eta",
    "θ": "theta",
    "λ": "lambda",
    "μ": "mu",
    "π": "pi",
    "σ": "sigma",
    "Σ": "sum",
    "∑": "sum",
    "∂": "d",
    "∇": "grad ",
    "‖": "||",
    "←": "<-",
    "→": "->",
    "×": "x",
    "·": "*",
    "⊙": "*",
    "±": "+/-",
    "−": "-",
    "–": "-",
    "—": "--",
    "²": "^2",
    "ᵀ": "^T",
    "ŷ": "y_hat",
    "ĝ": "g_hat",
    "∈": "in",
    "≈": "~",
    "≤": "<=",
    "≥": ">=",
    "≠": "!=",
    "√": "sqrt",
    "∞": "inf",
    "…": "...",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
}
"""How the slides' symbols are written on a console that cannot show them."""

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
    changed: list[tuple[io.TextIOWrapper, str]] = []
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors in ("strict", "backslashreplace"):
            changed.append((stream, stream.errors))
            stream.reconfigure(errors=_ASCII_NAMES_HANDLER)
    try:
        yield
    finally:
        for stream, errors in changed:
            with contextlib.suppress(ValueError, OSError):  # closed meanwhile, or a broken pipe
                stream.reconfigure(errors=errors)


def warn(message: object) -> None:
    """A warning as the command line shows it: one line on stderr."""
    print(f"minifw: warning: {one_line(message)}", file=sys.stderr)


def show_warning(message: Warning | str, *place: object, **more: object) -> None:
    """``warnings.showwarning`` while a command runs: one clean line, not Python's format with the category, file
    and line (``place``)."""
    warn(message)


def error_line(error: BaseException) -> str:
    """An error as the command line shows it after ``minifw: error:``: one line; an OS error as ``file: reason``."""
    if isinstance(error, OSError) and error.strerror and error.filename is not None:
        return f"{error.filename}: {error.strerror}"
    return one_line(error)
