"""MkDocs hook: show the Sphinx roles of the docstrings (``:class:`X```) as links, or as plain names.

minifw's docstrings name other objects the Sphinx way, which reads well in ``help()``. The API
pages render docstrings as Markdown, where the role would show up verbatim before the name, and
``~`` (Sphinx's "show the last part only") before the dotted path. This hook turns each role into
a cross-reference for mkdocs-autorefs (the plugin mkdocstrings uses for its own links): a link to
the object's entry where the site documents it, else its name as plain code, with the full path as
a tooltip. ``:class:`~minifw.layers.buffers.Outputs``` shows ``Outputs``; ``:class:`minifw.Sigmoid```
shows ``minifw.Sigmoid``, linked to its entry.
"""

import re
from typing import Any

ROLE = re.compile(r":(?:class|func|meth|attr|mod|data|exc|obj):<code>(?P<tilde>~?)(?P<path>[\w.]+)</code>")


def cross_reference(match: re.Match[str]) -> str:
    """The autorefs tag for one role: its title is the last part of the path after a ``~``, else the path."""
    path = match["path"]
    title = path.rsplit(".", 1)[-1] if match["tilde"] else path
    return f'<autoref identifier="{path}" optional><code>{title}</code></autoref>'


def on_page_content(html: str, **kwargs: Any) -> str:
    """Replace each role and the code span it belongs to by a cross-reference."""
    return ROLE.sub(cross_reference, html)
