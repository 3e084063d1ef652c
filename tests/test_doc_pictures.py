"""The pictures the docs embed are in the built site, are real pictures, and are drawn at build time.

docs/hooks/pictures.py draws them on every build (none is committed, except the benchmark's
performance.png). The site is built once by the ``site_dir`` fixture of conftest.py.
"""

import importlib.util
import re
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import pytest

from .pictures import assert_png_is_a_picture

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
COMMITTED = {"performance.png"}  # written by the benchmark, not by the docs build


def pictures_hook() -> ModuleType:
    """docs/hooks/pictures.py, imported the way MkDocs imports a hook (from its path)."""
    spec = importlib.util.spec_from_file_location("docs_hooks_pictures", DOCS / "hooks" / "pictures.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pictures_in_markdown() -> set[str]:
    """The names of every images/*.png that a page of docs/ embeds, or links to (a picture shown whole)."""
    found: set[str] = set()
    for page in DOCS.rglob("*.md"):
        found |= set(re.findall(r"!?\[[^\]]*\]\(images/([^)]+\.png)\)", page.read_text("utf-8")))
    return found


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        source = values.get("src") if tag == "img" else values.get("href") if tag == "a" else None
        if source:  # a picture shown, or linked to (opened whole); pictures_in_site keeps only .png
            self.sources.append(source)


def pictures_in_site(site_dir: Path) -> dict[Path, list[str]]:
    """Every local .png that a built page shows or links to, with the pages that do."""
    shown: dict[Path, list[str]] = {}
    for page in sorted(site_dir.rglob("*.html")):
        parser = _Images()
        parser.feed(page.read_text("utf-8"))
        for source in parser.sources:
            parts = urlsplit(source)
            if parts.scheme or parts.netloc or not parts.path.endswith(".png"):
                continue
            picture = (page.parent / parts.path).resolve()
            shown.setdefault(picture, []).append(str(page.relative_to(site_dir)))
    return shown


def test_the_hook_draws_every_embedded_picture_but_the_committed_one() -> None:
    assert set(pictures_hook().PICTURES) == pictures_in_markdown() - COMMITTED
    drawn = {"flower-loss.png", "flower-boundary.png", "flower-network.png", "demo-network.png"}
    assert drawn <= pictures_in_markdown()


def test_no_drawn_picture_is_kept_in_docs() -> None:
    """A copy in docs/images/ would be stale: the build replaces it, so none should be there."""
    kept = sorted(name for name in pictures_hook().PICTURES if (DOCS / "images" / name).exists())
    assert kept == [], f"delete docs/images/{kept}: docs/hooks/pictures.py draws them on every build"
    assert all((DOCS / "images" / name).is_file() for name in COMMITTED)


def test_the_hook_is_listed_in_mkdocs_yml() -> None:
    assert "- docs/hooks/pictures.py" in (ROOT / "mkdocs.yml").read_text("utf-8")


def test_every_picture_the_site_shows_is_there(site_dir: Path) -> None:
    shown = pictures_in_site(site_dir)
    missing = {str(path): pages for path, pages in shown.items() if not path.is_file()}
    assert missing == {}
    names = {path.name for path in shown if path.parent == (site_dir / "images").resolve()}
    assert names == pictures_in_markdown()


@pytest.mark.parametrize("name", sorted(pictures_in_markdown()))
def test_each_picture_in_the_built_site_is_a_real_picture(site_dir: Path, name: str) -> None:
    assert_png_is_a_picture(site_dir / "images" / name)
