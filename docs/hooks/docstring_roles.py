"""MkDocs hook: show Sphinx roles of the docstrings (``:class:`X```) as plain code, not as text.

minifw's docstrings name other objects the Sphinx way, which reads well in ``help()``. The API
pages render docstrings as Markdown, where the role would show up verbatim before the name.
"""

import re
from typing import Any

_ROLE = re.compile(r":(?:class|func|meth|attr|mod|data|exc|obj):(<code>)")


def on_page_content(html: str, **kwargs: Any) -> str:
    """Drop the role marker in front of the code span it belongs to."""
    return _ROLE.sub(r"\1", html)
