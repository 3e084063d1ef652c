"""The docs site: a strict build, and every class page and the walkthrough checked in a real browser.

The site is built once into a temporary folder by the ``site_dir`` fixture of conftest.py
(``mkdocs build --strict``: broken links, anchors and pages missing from the nav fail it),
served on 127.0.0.1, and opened page after page in one headless Chromium (tests/chromium.py)
with every other host unresolvable. The
pages must have typeset their math (no raw ``\\(``, ``\\[`` or ``$$`` left in the article text,
no MathJax error) and reference no remote script, stylesheet, font or image.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .chromium import CHROMIUM_FLAGS, Chromium, ChromiumError

# The pages a student reads beside the slides: each class page and the walkthrough, then the
# other pages that are mostly equations.
BROWSER_PAGES = (
    "walkthrough.html",
    "dense.html",
    "sigmoid.html",
    "binary-cross-entropy.html",
    "sequential.html",
    "gradient-descent.html",
    "index.html",
    "notation.html",
    "batches.html",
    "why-hidden-layer.html",
    "custom-layer.html",
    "custom-loss.html",
)

# The pages that show the code of a class beside the slides (tests/test_docs_source.py).
CLASS_PAGES = ("dense.html", "sigmoid.html", "binary-cross-entropy.html", "sequential.html", "gradient-descent.html")

VIRTUAL_TIME_BUDGET_MS = 30000
"""Each page's scripts and timers run to completion in virtual time, then its DOM is read."""


def test_strict_build_writes_every_page(site_dir: Path) -> None:
    for page in BROWSER_PAGES:
        assert (site_dir / page).is_file(), page
    assert (site_dir / "assets" / "mathjax" / "tex-chtml-full.js").is_file()
    assert (site_dir / "assets" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").is_dir()


class _PageParser(HTMLParser):
    """Collects the article's text (outside scripts and styles) and every resource URL."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.article_depth = 0
        self.skip_depth = 0
        self.article_text: list[str] = []
        self.resources: list[str] = []
        self.styles: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.append(tag)
        if tag == "article" or self.article_depth:
            self.article_depth += 1
        if tag in ("script", "style"):
            self.skip_depth += 1
        for name in ("src", "srcset", "poster", "data"):
            if values.get(name):
                self.resources.append(f"<{tag} {name}> {values[name]}")
        if tag == "link" and values.get("href"):
            self.resources.append(f"<link rel={values.get('rel')}> {values['href']}")
        if tag in ("image", "use") and (values.get("href") or values.get("xlink:href")):
            self.resources.append(f"<{tag} href> {values.get('href') or values.get('xlink:href')}")
        if values.get("style"):
            self.styles.append(values["style"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.skip_depth:
            self.skip_depth -= 1
        if self.article_depth:
            self.article_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.article_depth and not self.skip_depth:
            self.article_text.append(data)
        if self.skip_depth and self.tags and self.tags[-1] == "style":
            self.styles.append(data)


_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


def remote_references(html: str, local_hosts: set[str]) -> list[str]:
    """Every script, stylesheet, font or image URL in ``html`` that points to a host not in ``local_hosts``."""
    parser = _PageParser()
    parser.feed(html)
    urls = [entry.split("> ", 1)[1] for entry in parser.resources]
    urls += [u for u in _CSS_URL.findall("\n".join(parser.styles))]
    remote = []
    for url in urls:
        for candidate in url.split(","):  # srcset lists several
            target = candidate.strip().split(" ")[0]
            parts = urlsplit(target)
            if (parts.scheme in ("http", "https") or target.startswith("//")) and parts.hostname not in local_hosts:
                remote.append(target)
    return remote


def test_remote_references_finds_remote_assets() -> None:
    html = (
        '<html><head><script src="https://cdn.example.org/x.js"></script>'
        '<link rel="stylesheet" href="//fonts.example.org/f.css"><style>@font-face{src:url("http://e.org/f.woff")}'
        '</style></head><body><article><img src="https://e.org/a.png"><a href="https://e.org/">a link is fine</a>'
        '<img src="data:image/png;base64,AAAA"><img src="http://127.0.0.1:1/ok.png"></article></body></html>'
    )
    assert remote_references(html, {"127.0.0.1"}) == [
        "https://cdn.example.org/x.js",
        "//fonts.example.org/f.css",
        "https://e.org/a.png",
        "http://e.org/f.woff",
    ]


def test_no_built_page_or_stylesheet_references_a_remote_asset(site_dir: Path) -> None:
    offenders = []
    for path in sorted(site_dir.rglob("*.html")):
        offenders += [
            f"{path.relative_to(site_dir)}: {url}" for url in remote_references(path.read_text("utf-8"), set())
        ]
    for path in sorted(site_dir.rglob("*.css")):
        if "assets/mathjax" in path.as_posix():
            continue
        for url in _CSS_URL.findall(path.read_text("utf-8")):
            if urlsplit(url).scheme in ("http", "https") or url.startswith("//"):
                offenders.append(f"{path.relative_to(site_dir)}: {url}")
    assert offenders == []


@pytest.fixture(scope="session")
def rendered_pages(chromium: str, served_site: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each page of BROWSER_PAGES as Chromium rendered it: one browser, each page in a new tab."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    try:
        with Chromium(chromium, CHROMIUM_FLAGS, str(profile)) as browser:
            doms = {page: browser.dump_dom(served_site + page, VIRTUAL_TIME_BUDGET_MS) for page in BROWSER_PAGES}
    except ChromiumError as error:
        pytest.fail(f"Chromium could not render the pages: {error}")
    for page, dom in doms.items():
        assert "</html>" in dom, f"{page}: Chromium returned no whole page"
    return doms


@pytest.mark.parametrize("page", BROWSER_PAGES)
def test_page_math_is_typeset_in_chromium(rendered_pages: dict[str, str], page: str) -> None:
    dom = rendered_pages[page]
    parser = _PageParser()
    parser.feed(dom)
    text = "".join(parser.article_text)
    assert text.strip(), f"{page}: no article text"
    for raw in ("\\(", "\\[", "$$"):
        assert raw not in text, f"{page}: raw {raw} left in the article text: MathJax did not typeset it"
    formulas = dom.count('class="arithmatex"')
    typeset = dom.count("<mjx-container")
    assert formulas > 0, f"{page}: no formulas"
    assert typeset >= formulas, f"{page}: {formulas} formulas but {typeset} typeset"
    assert "<mjx-merror" not in dom, f"{page}: MathJax reported a TeX error"
    assert "data-mjx-error" not in dom, f"{page}: MathJax reported a TeX error"


@pytest.mark.parametrize("page", BROWSER_PAGES)
def test_page_references_no_remote_asset_in_chromium(
    rendered_pages: dict[str, str], served_site: str, page: str
) -> None:
    local = {urlsplit(served_site).hostname or "127.0.0.1"}
    assert remote_references(rendered_pages[page], local) == []


def test_the_browser_check_can_fail(site_dir: Path) -> None:
    """Before MathJax runs, the built pages hold raw TeX: the check above sees the browser's work."""
    parser = _PageParser()
    parser.feed((site_dir / "walkthrough.html").read_text("utf-8"))
    assert "\\(" in "".join(parser.article_text)


def test_every_public_name_has_an_api_reference() -> None:
    """Each name in ``minifw.__all__`` is rendered by a ``::: minifw.NAME`` line of some docs page."""
    import minifw

    docs = Path(__file__).resolve().parent.parent / "docs"
    rendered = set()
    for page in docs.rglob("*.md"):
        rendered |= set(re.findall(r"^::: minifw\.(\w+)\s*$", page.read_text("utf-8"), re.MULTILINE))
    missing = sorted(set(minifw.__all__) - rendered)
    assert missing == [], f"add '::: minifw.NAME' lines for {missing} to docs/api.md (the API reference)"


# The site read from disk: site/index.html opened as a file, as a reader who built it opens it.


class _Links(HTMLParser):
    """The href of every <a> of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_to_no_file(site_dir: Path) -> list[str]:
    """Each link between the pages of ``site_dir`` that leads to no file (a folder, say), as 'page: href'."""
    broken = []
    for page in sorted(site_dir.rglob("*.html")):
        if page.name == "404.html":  # served by a web server for a missing URL: its links start at the site's root
            continue
        parser = _Links()
        parser.feed(page.read_text("utf-8"))
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:  # another site, or an anchor on this page
                continue
            if not (page.parent / unquote(parts.path)).is_file():
                broken.append(f"{page.relative_to(site_dir)}: {href}")
    return broken


def test_every_link_between_pages_leads_to_a_file(site_dir: Path, tmp_path: Path) -> None:
    """From disk a link to a folder shows a folder listing: every link names the page's own .html file."""
    assert links_to_no_file(site_dir) == []
    (tmp_path / "dense").mkdir()  # the check can fail: a link to a folder, as with use_directory_urls
    (tmp_path / "index.html").write_text('<a href="dense/">Dense</a> <a href="index.html#top">top</a>', "utf-8")
    assert links_to_no_file(tmp_path) == ["index.html: dense/"]


NAV_LINKS = "document.querySelectorAll('.md-sidebar--primary a.md-nav__link:not(.md-nav--secondary a)')"
"""The links of the navigation on the left, every page of mkdocs.yml's nav (not the page's own table of contents)."""


def test_every_navigation_link_works_from_disk(chromium: str, site_dir: Path, tmp_path: Path) -> None:
    """Open site/index.html as a file, click each link of the navigation, and land on its page."""
    home = (site_dir / "index.html").as_uri()
    problems = []
    with Chromium(chromium, CHROMIUM_FLAGS, str(tmp_path)) as browser, browser.open(home) as tab:
        links = tab.evaluate(f"Array.from({NAV_LINKS}, a => [a.href, a.textContent.trim()])")
        assert len(links) >= 20, links  # every page of the nav
        for index, (href, title) in enumerate(links):
            tab.go(home)
            # The mark on the page clicked from is gone once the link's page has loaded (Home loads index.html again).
            tab.evaluate(f"window.clickedFrom = true; {NAV_LINKS}[{index}].click()")
            loaded = f"location.href === {json.dumps(href)} && document.readyState === 'complete'"
            tab.wait_for(f"window.clickedFrom === undefined && {loaded}")
            landed = tab.evaluate(
                "[document.querySelector('article h1') !== null,"
                " (document.querySelector('.md-sidebar--primary .md-nav__link--active') || {}).textContent]"
            )
            if not landed[0] or (landed[1] or "").strip() != title:
                problems.append(f"{title} ({href}): a page with a heading {landed[0]}, active link {landed[1]!r}")
    assert problems == []
    pages = {urlsplit(href).path.rsplit("/", 1)[-1] for href, _ in links}
    assert pages >= {"index.html", *CLASS_PAGES, "custom-layer.html", "custom-loss.html", "api.html"}


# Class pages at 1280 px: each line of source in view, wrapped rather than scrolled.

SCROLLING_CODE = """Array.from(document.querySelectorAll('article pre > code'))
    .filter(code => code.scrollWidth > code.clientWidth + 1)
    .map(code => code.textContent.split('\\n').reduce((a, b) => (b.length > a.length ? b : a)).trim())"""
"""The longest line of each code block that scrolls sideways (its content is wider than its box)."""


def test_class_pages_show_their_code_without_scrolling_at_1280px(chromium: str, site_dir: Path, tmp_path: Path) -> None:
    scrolling = {}
    with Chromium(chromium, CHROMIUM_FLAGS, str(tmp_path)) as browser:
        for page in CLASS_PAGES:
            with browser.open((site_dir / page).as_uri(), width=1280, height=900) as tab:
                assert tab.evaluate("document.querySelectorAll('article pre > code .linenos').length") > 0, page
                scrolling[page] = tab.evaluate(SCROLLING_CODE)
                if page == "dense.html":  # the check can fail: without the site's stylesheet the code scrolls
                    tab.evaluate("document.querySelector('link[href$=\"extra.css\"]').disabled = true")
                    assert tab.evaluate(SCROLLING_CODE) != []
    assert scrolling == {page: [] for page in CLASS_PAGES}


# What the API pages show of the docstrings' Sphinx roles, and what the theme adds.

_LEFT_OVER_ROLE = re.compile(r":(?:class|func|meth|attr|mod|data|exc|obj):<code>|<code>~minifw\.\w|<autoref\b")
"""A Sphinx role or its ``~`` shown as text, or a cross-reference that mkdocs-autorefs left unresolved."""


def left_over_roles(html: str) -> list[str]:
    """The roles shown as text outside code blocks (which show source, docstrings included, as it is)."""
    text = re.sub(r"<pre\b.*?</pre>", "", html, flags=re.DOTALL)
    return [text[max(match.start() - 40, 0) : match.end() + 40] for match in _LEFT_OVER_ROLE.finditer(text)]


def test_docstring_cross_references_show_as_links_or_names(site_dir: Path) -> None:
    offenders = {page.name: left_over_roles(page.read_text("utf-8")) for page in sorted(site_dir.glob("*.html"))}
    assert {page: found for page, found in offenders.items() if found} == {}
    api = (site_dir / "api.html").read_text("utf-8")
    assert '<span title="minifw.layers.not_computed.NotComputed"><code>NotComputed</code></span>' in api
    assert 'href="#minifw.StateError"><code>minifw.StateError</code></a>' in api
    bce = (site_dir / "binary-cross-entropy.html").read_text("utf-8")
    assert 'href="sigmoid.html#minifw.Sigmoid"><code>minifw.Sigmoid</code></a>' in bce
    # The check can fail: a role as the docstring hook receives it, and the name with its ~ alone.
    assert len(left_over_roles(":class:<code>~minifw.layers.buffers.Outputs</code> <code>~minifw.Dense</code>")) == 2
    assert left_over_roles("<p>roles (<code>:class:</code>, <code>~minifw...</code>) named in a sentence</p>") == []


_BANNER = re.compile(r'class="md-banner|end of life|Zensical|MkDocs 2\.0', re.IGNORECASE)


def outside_the_article(html: str) -> str:
    """The page without its article: what the theme puts around the page's own text."""
    return re.sub(r"<article\b.*?</article>", "", html, flags=re.DOTALL)


def test_no_page_carries_a_banner_of_the_theme(site_dir: Path) -> None:
    """Material for MkDocs prints a notice about its future when it builds; no page shows one."""
    pages = sorted(site_dir.glob("*.html"))
    assert [page.name for page in pages if _BANNER.search(outside_the_article(page.read_text("utf-8")))] == []
    banner = '<div class="md-banner"><div class="md-banner__inner">Material for MkDocs reaches end of life</div></div>'
    assert _BANNER.search(outside_the_article(f"{banner}<article>Zensical</article>"))  # the check can fail
