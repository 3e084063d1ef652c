"""An optional progress bar (epoch, current J) for long training; needs ``tqdm`` (the ``[progress]`` extra).

``mf.train`` draws it only when asked (``progress=True``); the command line draws it on an interactive
terminal unless told otherwise (``--progress`` / ``--no-progress``).
"""

import contextlib
import importlib.util
import sys
from collections.abc import Callable, Iterator
from typing import TextIO

from ..errors import OptionalDependencyError

ProgressUpdate = Callable[[float], None]
"""Called once per epoch with the epoch's J."""


def progress_available() -> bool:
    """True when ``tqdm`` is installed (``pip install "minifw[progress]"``), found without importing it."""
    return importlib.util.find_spec("tqdm") is not None  # found without importing it


def progress_default(stream: TextIO | None = None) -> bool:
    """Whether the command line draws the bar when not told: ``stream`` (default: stderr) is an interactive
    terminal and ``tqdm`` is installed. Piped or redirected to a file, the bar would only fill the log."""
    try:
        interactive = (sys.stderr if stream is None else stream).isatty()
    except (AttributeError, ValueError, OSError):  # no isatty (sys.stderr may be None), or a closed stream
        interactive = False
    return interactive and progress_available()


@contextlib.contextmanager
def progress_bar(total: int, enabled: bool) -> Iterator[ProgressUpdate]:
    """Yield a function to call once per epoch with J; draws a tqdm bar on stderr when ``enabled``."""
    if not enabled:
        yield lambda J: None  # the bar is off: nothing to draw
        return
    try:
        from tqdm import tqdm
    except ImportError:
        raise OptionalDependencyError(
            'progress=True draws a progress bar with tqdm, which is not installed. Fix: pip install "minifw[progress]" '
            "(or pass progress=False)."
        ) from None
    with tqdm(total=total, desc="training", unit="epoch", file=sys.stderr, dynamic_ncols=True) as bar:

        def update(J: float) -> None:
            bar.set_postfix_str(f"J={J:.6g}", refresh=False)
            bar.update(1)

        yield update
