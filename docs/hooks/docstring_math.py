"""MkDocs hook: typeset the slide notation of the API reference's docstrings like the pages' formulas.

minifw's docstrings write the slides' symbols as plain text, which reads well in ``help()``:
``W^[l]``, ``a^[l-1]``, ``∂J/∂z^[l]``, a shape ``(d_l, d_{l-1})``, ``θ^(t)``. On the site they sit
under formulas typeset by MathJax, so this hook typesets them the same way: in the text of each
rendered docstring (never in its code or code blocks), each such symbol becomes an inline formula,
``W^[l]`` the pages' \\(\\mathbf{W}^{[l]}\\), ``d_{l-1}`` their \\(d^{[l-1]}\\).
"""

import re
from typing import Any

_DOCSTRING = re.compile(r'<div class="doc doc-contents[^"]*">')
_SKIP = {"code", "pre", "script", "style", "a"}
"""Elements whose text is left as written: code, and links (whose text names an object)."""

_INDEX = r"(?:\^\[[^\]\s]{1,6}\]|\^\([^)\s]{1,4}\))"
_SYMBOL = rf"(?:W|b|z|a|x|y|X|Y|Z|A|θ|J){_INDEX}"
_DIMENSION = r"d_(?:\{[^}\s]{1,6}\}|[a-z0-9]\b)"
_GRADIENT = rf"∂J/∂(?:{_SYMBOL}|a_prev\b|[θWbzaxXYZA]\b)"
_SQRT = rf"(?:r = )?sqrt\((\d+) / \(({_DIMENSION}) \+ ({_DIMENSION})\)\)"
NOTATION = re.compile(
    rf"(?P<uniform>U\(-r, r\))|(?P<sqrt>{_SQRT})|(?P<shape>\((?:{_DIMENSION}|m|1|d)(?:, (?:{_DIMENSION}|m|1|d))+\))"
    rf"|(?P<gradient>{_GRADIENT})|(?P<symbol>(?<![\w^]){_SYMBOL})|(?P<dimension>(?<![\w^]){_DIMENSION})"
)
"""The plain-text slide notation: U(-r, r), r = sqrt(6 / (d_a + d_b)), a shape, ∂J/∂X, X^[l] or θ^(t), d_l."""

_BOLD = {"W", "X", "Y", "Z", "A"}
_GREEK = {"θ": r"\boldsymbol{\theta}", "J": r"\mathcal{J}"}


def _symbol(text: str) -> str:
    """The TeX of one symbol: ``W^[l]`` -> ``\\mathbf{W}^{[l]}``, ``d_{l-1}`` -> ``d^{[l-1]}``."""
    if text == "a_prev":
        return r"a_{\text{prev}}"
    if text.startswith("d_"):
        index = text[2:].strip("{}")
        return f"d^{{[{index}]}}"
    name, _, index = text.partition("^")
    name = _GREEK.get(name, rf"\mathbf{{{name}}}" if name in _BOLD else name)
    return f"{name}^{{{index}}}" if index else name


def to_tex(match: re.Match[str]) -> str:
    """The TeX of one piece of notation NOTATION found."""
    found = match.group(0)
    if match["uniform"]:
        return "U(-r, r)"
    if match["sqrt"]:
        parts = re.fullmatch(_SQRT, found)
        if parts is None:  # cannot happen: the group matched this pattern
            return found
        number, first, second = parts.groups()
        prefix = "r = " if found.startswith("r = ") else ""
        return rf"{prefix}\sqrt{{{number} / ({_symbol(first)} + {_symbol(second)})}}"
    if match["shape"]:
        sizes = [_symbol(size) if size.startswith("d_") else size for size in found[1:-1].split(", ")]
        return "(" + ", ".join(sizes) + ")"
    if match["gradient"]:
        return rf"\partial\mathcal{{J}}/\partial {_symbol(found[4:])}"
    return _symbol(found)


def typeset(text: str) -> str:
    """``text`` (HTML text, no tags) with each piece of slide notation as an inline formula."""
    return NOTATION.sub(lambda m: rf'<span class="arithmatex">\({to_tex(m)}\)</span>', text)


_TAG = re.compile(r"(<[^>]+>)")


def on_page_content(html: str, **kwargs: Any) -> str:
    """Typeset the notation in the text of every docstring of the page."""
    pieces = _TAG.split(html)
    depth = 0  # open <div>s since the outermost docstring started (0: outside any docstring)
    skipping: list[str] = []
    for index, piece in enumerate(pieces):
        if piece.startswith("<"):
            name = re.match(r"</?(\w+)", piece)
            tag = name.group(1).lower() if name else ""
            closing = piece.startswith("</")
            if tag == "div":
                if depth == 0 and _DOCSTRING.match(piece):
                    depth = 1
                elif depth:
                    depth += -1 if closing else 1
            elif tag in _SKIP and depth:
                if closing and skipping and skipping[-1] == tag:
                    skipping.pop()
                elif not closing and not piece.endswith("/>"):
                    skipping.append(tag)
        elif depth and not skipping and piece.strip():
            pieces[index] = typeset(piece)
    return "".join(pieces)
