"""An optional progress bar (epoch, current J) for long training; needs ``tqdm`` (the ``[progress]`` extra)."""

import contextlib
import sys
from collections.abc import Callable, Iterator

from ..errors import OptionalDependencyError

ProgressUpdate = Callable[[float], None]
"""Called once per epoch with the epoch's J."""


def progress_available() -> bool:
    """True when ``tqdm`` can be imported (``pip install "minifw[progress]"``)."""
    try:
        import tqdm  # noqa: F401  # only probing whether it is installed
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def progress_bar(total: int, enabled: bool) -> Iterator[ProgressUpdate]:
    """Yield a function to call once per epoch with J; draws a tqdm bar on stderr when ``enabled``."""
    if not enabled:
        yield _no_progress
        return
    try:
        from tqdm import tqdm
    except ImportError:
        message = (
            'progress=True draws a progress bar with tqdm, which is not installed. Fix: pip install "minifw[progress]" '
            "(or pass progress=False)."
        )
        raise OptionalDependencyError(message) from None
    bar = tqdm(total=total, desc="training", unit="epoch", file=sys.stderr, dynamic_ncols=True)

    def update(J: float) -> None:
        bar.set_postfix_str(f"J={J:.6g}", refresh=False)
        bar.update(1)

    try:
        yield update
    finally:
        bar.close()


def _no_progress(J: float) -> None:
    """The progress update when the bar is off: nothing."""
