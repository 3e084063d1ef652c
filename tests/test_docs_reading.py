"""The docs site as a student reads it, in a real browser: equations in view, pages that fit, search.

At 1280 px every display equation fits its column; on a 390 px phone no page is wider than the
screen (an equation still too wide scrolls inside its own box, with a thin scrollbar and a shadow on
the side where more is hidden: docs/stylesheets/extra.css). Search returns results from the site
opened as a file (file://), with nothing loaded from the network, and from a web server.
"""

import json
import re
from pathlib import Path

import pytest

from .chromium import CHROMIUM_FLAGS, Chromium

# Every page as a reader sees it: at 1280 px each display equation fits its column; on a 390 px phone
# nothing makes the page wider than the screen (an equation still too wide scrolls in its own box).

TYPESET = (
    "document.readyState === 'complete' && document.querySelectorAll('article .arithmatex').length"
    " <= document.querySelectorAll('article mjx-container').length"
)
"""True once MathJax has typeset every formula of the page (at once on a page without any)."""

WIDE_EQUATIONS = """Array.from(document.querySelectorAll('article div.arithmatex'))
    .filter(box => box.scrollWidth > box.clientWidth + 1)
    .map(box => `${box.scrollWidth} px in a ${box.clientWidth} px box, after: `
        + ((box.previousElementSibling || {}).textContent || '').trim().slice(-60))"""
"""Each display equation wider than its box (hidden, or scrolled to), named by the text just before it."""

WIDE_TABLES = """Array.from(document.querySelectorAll('article .md-typeset__scrollwrap'))
    .filter(box => box.scrollWidth > box.clientWidth + 1)
    .map(box => box.querySelector('tr').textContent.trim().replace(/\\s+/g, ' ').slice(0, 60))"""
"""The first row of each table with columns out of view (the table scrolls sideways in its box)."""

PAGE_WIDER_THAN_SCREEN = "document.documentElement.scrollWidth > window.innerWidth"

A_TOO_WIDE_EQUATION = """(() => {
    const box = document.createElement('div');
    box.className = 'arithmatex';
    box.textContent = '\\\\[' + Array(80).fill('x^{[1]}_j').join(' + ') + '\\\\]';
    document.querySelector('article').append(box);
    return MathJax.typesetPromise([box]).then(() => true);
})()"""
"""Adds to the article a display equation no column holds: the checks above must find it."""

A_TOO_WIDE_PICTURE = (
    "document.querySelector('article').append(Object.assign(document.createElement('div'),"
    " {style: 'width: 600px; height: 1px'}))"
)
"""Adds to the article a block wider than a phone, which widens the page."""


def every_page(site_dir: Path) -> list[str]:
    return sorted(page.name for page in site_dir.glob("*.html") if page.name != "404.html")


def test_every_display_equation_and_table_fits_at_1280px_and_no_page_is_wider_than_a_phone(
    chromium: str, site_dir: Path, tmp_path: Path
) -> None:
    wide: dict[str, list[str]] = {}
    tables: dict[str, list[str]] = {}
    too_wide_for_a_phone = []
    with Chromium(chromium, CHROMIUM_FLAGS, str(tmp_path)) as browser:
        for page in every_page(site_dir):
            with browser.open((site_dir / page).as_uri(), width=1280, height=900) as tab:
                tab.wait_for(TYPESET)
                wide[page] = tab.evaluate(WIDE_EQUATIONS)
                tables[page] = tab.evaluate(WIDE_TABLES)
            with browser.open((site_dir / page).as_uri(), width=390, height=844) as tab:
                tab.wait_for(TYPESET)
                if tab.evaluate(PAGE_WIDER_THAN_SCREEN):
                    too_wide_for_a_phone.append(page)
        # The checks can fail: an equation too wide for any column is found, and scrolls in its own box.
        with browser.open((site_dir / "sequential.html").as_uri(), width=390, height=844) as tab:
            tab.wait_for(TYPESET)
            scrolling = len(tab.evaluate(WIDE_EQUATIONS))
            assert tab.evaluate(A_TOO_WIDE_EQUATION)
            assert len(tab.evaluate(WIDE_EQUATIONS)) == scrolling + 1
            assert not tab.evaluate(PAGE_WIDER_THAN_SCREEN)
            tab.evaluate(A_TOO_WIDE_PICTURE)
            assert tab.evaluate(PAGE_WIDER_THAN_SCREEN)
    assert len(wide) >= 20
    assert {page: found for page, found in wide.items() if found} == {}
    assert {page: found for page, found in tables.items() if found} == {}
    assert too_wide_for_a_phone == []


# Search, from the site opened as a file (Material's offline plugin, and the iframe-worker shim served
# by the site itself) and from a web server.

SEARCH = """(() => {
    const input = document.querySelector('input.md-search__input');
    document.querySelector('label[for=__search]').click();  // the search icon (on a phone)
    input.focus();
    input.value = %s;
    input.dispatchEvent(new Event('input', {bubbles: true}));
    input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: 'e'}));
})()"""
"""Open the search box and type the query, as a reader does."""

RESULTS = "Array.from(document.querySelectorAll('.md-search-result__item a'), a => a.href)"


def search_results(chromium: str, url: str, query: str, width: int, profile: Path) -> list[str]:
    """The links the search box of the page at ``url`` lists for ``query``, ``width`` px wide."""
    with Chromium(chromium, CHROMIUM_FLAGS, str(profile)) as browser, browser.open(url, width=width) as tab:
        assert tab.evaluate("getComputedStyle(document.querySelector('.md-search')).display") != "none"
        tab.evaluate(SEARCH % json.dumps(query))
        found: list[str] = tab.wait_for(f"{RESULTS}.length > 0 && {RESULTS}", timeout=60)
        return found


@pytest.mark.parametrize("width", [1280, 390])
def test_search_finds_pages_from_disk(chromium: str, site_dir: Path, tmp_path: Path, width: int) -> None:
    found = search_results(chromium, (site_dir / "index.html").as_uri(), "backpropagation", width, tmp_path)
    assert any(href.startswith("file://") and "sequential.html" in href for href in found), found


def test_search_finds_pages_from_a_server(chromium: str, served_site: str, tmp_path: Path) -> None:
    found = search_results(chromium, served_site + "index.html", "Standardizer", 1280, tmp_path)
    assert any(href.startswith(served_site) for href in found), found


def test_search_loads_nothing_from_the_network(site_dir: Path) -> None:
    """The offline plugin's shim is the site's own copy (with its license), not the CDN's."""
    page = (site_dir / "index.html").read_text("utf-8")
    assert 'src="javascripts/iframe-worker/shim.js"' in page
    assert "unpkg" not in page
    assert (site_dir / "search" / "search_index.js").is_file()
    assert "MIT" in (site_dir / "javascripts" / "iframe-worker" / "LICENSE").read_text("utf-8")


# The build log: a build with nothing wrong prints nothing that looks like an error.

LOOKS_LIKE_AN_ERROR = re.compile(r"Traceback|^\s*File \"|\w+(?:Warning|Error):|^(?:WARNING|ERROR)\b", re.MULTILINE)


def test_the_docs_build_prints_nothing_that_looks_like_an_error(site_dir: Path) -> None:
    log = site_dir.with_name(f"{site_dir.name}.log").read_text("utf-8")
    assert "Documentation built" in log
    assert LOOKS_LIKE_AN_ERROR.findall(log) == []
    # The check can fail: the lines a warning raised inside a build hook prints.
    hook_warning = (
        "INFO    -  LearnedNothingWarning: the model learned nothing\n"
        '  File "docs/hooks/pictures.py", line 112, in draw_feature_scaling\n'
    )
    assert len(LOOKS_LIKE_AN_ERROR.findall(hook_warning)) == 2


# One math style: the slide notation of the docstrings is typeset on the API pages as in the prose.

PLAIN_NOTATION = re.compile(r"d_\{|\b[Wbzax]\^\[|∂J/∂\w|sqrt\(")


def docstring_text(html: str) -> str:
    """The text of the rendered docstrings of a page, outside code, formulas and links."""
    text = re.sub(r"<(pre|code|a|span class=\"arithmatex\")\b.*?</(pre|code|a|span)>", "", html, flags=re.DOTALL)
    starts = [match.start() for match in re.finditer(r'<div class="doc doc-contents', text)]
    return "".join(re.sub(r"<[^>]+>", "", text[start : start + 4000]) for start in starts)


def test_api_docstrings_show_no_plain_slide_notation(site_dir: Path) -> None:
    for page in ("api.html", "dense.html", "sequential.html", "sigmoid.html", "gradient-descent.html"):
        assert PLAIN_NOTATION.findall(docstring_text((site_dir / page).read_text("utf-8"))) == [], page
    dense = (site_dir / "dense.html").read_text("utf-8")
    assert r"\(r = \sqrt{6 / (d^{[l-1]} + d^{[l]})}\)" in dense
    # The check can fail: a docstring as written, before the hook typesets it.
    plain = '<div class="doc doc-contents first"><p>W: Parameter W^[l], shape (d_l, d_{l-1}).</p></div>'
    assert PLAIN_NOTATION.findall(docstring_text(plain)) == ["W^[", "d_{"]
