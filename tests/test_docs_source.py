"""Each class page shows the code of its class as it is now, beside the slide equations it implements.

The pages do not paste the code: a ``python exec="on"`` block prints ``inspect.getsource`` of each
method when the site is built. These tests read the built pages (the ``site_dir`` fixture of
conftest.py) and look for the current source of every method, in a code block headed by its
file, in a section that also holds a displayed slide equation.
"""

import html
import inspect
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import minifw as mf
from minifw.layers.sigmoid import sigmoid_into

DOCS = Path(__file__).resolve().parent.parent / "docs"

# Each class page, and the methods whose code it shows.
PAGES: dict[str, list[Callable[..., Any]]] = {
    "dense": [mf.Dense.forward, mf.Dense.backward],
    "sigmoid": [mf.Sigmoid.forward, sigmoid_into, mf.Sigmoid.backward],
    "binary-cross-entropy": [mf.BinaryCrossEntropy.forward, mf.BinaryCrossEntropy.backward],
    "sequential": [mf.Sequential.forward, mf.Sequential.backward],
    "gradient-descent": [mf.GradientDescent.step],
}


@dataclass
class Section:
    """The article of a page cut at its h2 and h3 headings: displayed equations and code blocks."""

    heading: str
    equations: int = 0
    code_blocks: list[tuple[str, str]] = field(default_factory=list)  # (file title, code)


class _Sections(HTMLParser):
    """Splits a built page into sections; keeps each code block's text and the file name above it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections = [Section("")]
        self.heading: list[str] | None = None
        self.in_title = self.in_code = False
        self.title = ""
        self.code: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag in ("h2", "h3"):
            self.heading = []
        elif tag == "div" and "arithmatex" in classes:
            self.sections[-1].equations += 1
        elif tag == "span" and "filename" in classes:
            self.in_title, self.title = True, ""
        elif tag == "code":
            self.in_code, self.code = True, []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3") and self.heading is not None:
            self.sections.append(Section("".join(self.heading).strip()))
            self.heading = None
        elif tag == "span":
            self.in_title = False
        elif tag == "code" and self.in_code:
            self.sections[-1].code_blocks.append((self.title, "".join(self.code)))
            self.in_code, self.title = False, ""

    def handle_data(self, data: str) -> None:
        if self.heading is not None:
            self.heading.append(data)
        if self.in_title:
            self.title += data
        if self.in_code:
            self.code.append(data)


def sections(html: str) -> list[Section]:
    parser = _Sections()
    parser.feed(html)
    return parser.sections


def current_source(function: Callable[..., Any]) -> str:
    """The source of ``function`` in the file right now, dedented, as the pages print it."""
    return textwrap.dedent(inspect.getsource(function))


def source_file(function: Callable[..., Any]) -> str:
    return function.__module__.replace(".", "/") + ".py"


def problem(built: list[Section], method: Callable[..., Any]) -> str | None:
    """Why ``built`` does not show the current code of ``method`` beside an equation; None when it does."""
    source = current_source(method).strip()
    for section in built:
        titles = {title for title, code in section.code_blocks if code.strip() == source}
        if titles:
            if titles != {source_file(method)}:
                return f"the block of {method.__qualname__} is headed {titles}, not {source_file(method)}"
            if section.equations == 0:
                return f"no slide equation in section {section.heading!r}, beside {method.__qualname__}"
            return None
    return f"no code block holds the current source of {method.__qualname__}"


@pytest.mark.parametrize(("page", "methods"), PAGES.items(), ids=list(PAGES))
def test_class_page_shows_the_current_code_beside_the_slide_equations(
    site_dir: Path, page: str, methods: list[Callable[..., Any]]
) -> None:
    built = sections((site_dir / f"{page}.html").read_text("utf-8"))
    assert [problem(built, method) for method in methods] == [None] * len(methods), page


@pytest.mark.parametrize("page", PAGES)
def test_class_page_pastes_no_code(page: str) -> None:
    """The code comes from the source at build time: the Markdown holds none of its lines."""
    text = (DOCS / f"{page}.md").read_text("utf-8")
    for method in PAGES[page]:
        body = current_source(method).splitlines()
        pasted = [line for line in body[1:] if len(line.strip()) > 20 and line.strip() in text]
        assert pasted == [], f"{page}.md pastes lines of {method.__qualname__}: {pasted}"
        assert f"def {method.__name__}(" not in text


def built_page(source: str, title: str = "minifw/layers/dense.py", equation: bool = True) -> list[Section]:
    """The sections of a page built like the class pages, showing ``source``."""
    math = '<div class="arithmatex">\\[z = b + W a\\]</div>' if equation else "<p>z</p>"
    return sections(
        f'<h3 id="forward">Forward</h3>{math}<div class="highlight"><table><tr><th class="filename">'
        f'<span class="filename">{title}</span></th></tr><tr><td class="code"><div><pre><span></span>'
        f"<code>{html.escape(source)}</code></pre></div></td></tr></table></div><h3>Backward</h3>"
    )


def test_the_check_passes_the_current_code_and_fails_anything_else() -> None:
    source = current_source(mf.Dense.forward)
    assert problem(built_page(source), mf.Dense.forward) is None
    changed = built_page(source.replace("z += b", "z = z + b"))
    assert "no code block" in (problem(changed, mf.Dense.forward) or "")
    elsewhere = built_page(source, title="minifw/layers/sigmoid.py")
    assert "headed" in (problem(elsewhere, mf.Dense.forward) or "")
    alone = built_page(source, equation=False)
    assert "no slide equation" in (problem(alone, mf.Dense.forward) or "")


# Each class page says, under each block of code, which lines are the slide and which are engineering.

# The engineering bullets are indented: they are folded in a collapsible block ("??? note").
_LABELLED = re.compile(r"^[ ]*- \*\*(Slide|Engineering)\*\*: (.*?)(?=^[ ]*- |^[ ]*$)", re.MULTILINE | re.DOTALL)

MENTIONED_NOT_SHOWN = {
    "BinaryCrossEntropy", "Dense", "Sigmoid", "Probabilities", "LossGradient", "forward", "backward",
    "mf.predict", "ndarray", "__array_wrap__", "a - y", "a[:, :5]", "BCELoss", "inf",
}  # fmt: skip
"""Names a bullet may mention that are not in the code it labels (other classes, NumPy's words)."""


def labelled_lines(page: str) -> list[tuple[str, list[str]]]:
    """Each '- **Slide**:' or '- **Engineering**:' bullet of ``page``.md: its label and its code spans."""
    text = (DOCS / f"{page}.md").read_text("utf-8")
    return [(label, re.findall(r"`([^`]+)`", body)) for label, body in _LABELLED.findall(text)]


@pytest.mark.parametrize("page", PAGES)
def test_class_page_labels_the_slide_and_the_engineering_in_its_code(page: str) -> None:
    """The code a bullet names is in the code the page shows now: renamed engineering fails this test."""
    bullets = labelled_lines(page)
    assert {label for label, _ in bullets} == {"Slide", "Engineering"}, page
    shown = "\n".join(current_source(method) for method in PAGES[page])
    missing = [
        span
        for _, spans in bullets
        for span in spans
        if span not in MENTIONED_NOT_SHOWN and span.removesuffix("...)").removesuffix("...") not in shown
    ]
    assert missing == [], f"{page}.md names code that its class no longer has: {missing}"
