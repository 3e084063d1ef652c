"""MkDocs hook: serve MathJax 3 from the site itself, so equations render with no network.

MathJax comes from the PyPI package ``django-static-mathjax`` (installed by the ``docs``
extra; Django is not needed). Nothing of it is committed to this repository: after each
build this hook copies the parts the pages use into ``site/assets/mathjax/``.
"""

import shutil
from importlib.resources import files
from pathlib import Path
from typing import Any

# The one combined bundle the pages load (TeX input with every extension, HTML-CSS output),
# the fonts it loads, and what its context menu loads on demand (accessibility, speech).
_PARTS = ("tex-chtml-full.js", "output/chtml/fonts/woff-v2", "a11y", "sre", "ui")


def _mathjax_root() -> Path:
    root = Path(str(files("mathjax"))) / "static" / "mathjax" / "es5"
    if not (root / _PARTS[0]).is_file():
        message = (
            f"MathJax not found at {root}. Fix: install the docs tooling with "
            "pip install -e '.[docs]' (it brings django-static-mathjax)."
        )
        raise FileNotFoundError(message)
    return root


def on_post_build(config: Any, **kwargs: Any) -> None:
    """Copy MathJax into ``<site_dir>/assets/mathjax``."""
    source = _mathjax_root()
    target = Path(config["site_dir"]) / "assets" / "mathjax"
    for part in _PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, dirs_exist_ok=True)
        else:
            target.joinpath(part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / part, target / part)
