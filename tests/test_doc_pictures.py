"""The pictures the docs embed exist, are real pictures, and are drawn by examples/doc_pictures.py."""

import re
from pathlib import Path

import pytest

from .pictures import assert_png_is_a_picture

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["training.md", "gradient-check.md", "trace.md", "cli.md"]
SCRIPT = (ROOT / "examples" / "doc_pictures.py").read_text(encoding="utf-8")


def embedded_pictures() -> list[Path]:
    found = []
    for page in PAGES:
        text = (ROOT / "docs" / page).read_text(encoding="utf-8")
        found += [ROOT / "docs" / name for name in re.findall(r"!\[[^\]]*\]\((images/[^)]+\.png)\)", text)]
    return sorted(set(found))


def test_the_workflow_pages_embed_pictures() -> None:
    names = {path.name for path in embedded_pictures()}
    assert {"flower-loss.png", "flower-boundary.png", "flower-network.png", "demo-network.png"} <= names


@pytest.mark.parametrize("path", embedded_pictures(), ids=lambda path: path.name)
def test_each_embedded_picture_is_committed_drawn_by_the_script_and_not_blank(path: Path) -> None:
    assert path.exists(), f"{path.name} is missing: run python examples/doc_pictures.py"
    assert path.name in SCRIPT or path.stem.split("-")[-1] in SCRIPT
    assert_png_is_a_picture(path)
