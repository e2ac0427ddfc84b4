"""Which addresses the archive links to: absolute http(s) and mailto addresses only.

Read by the inputs (a note body's links, a page's metadata) to refuse other schemes with a
message, and by the renderer, which drops a link it cannot vouch for.
"""

from __future__ import annotations

import re

SAFE_SCHEMES = ("http://", "https://", "mailto:")


def safe_url(url: str) -> str | None:
    """*url* if it is an absolute http(s) or mailto address, else None (the link is dropped)."""
    url = url.strip()
    if url.lower().startswith(SAFE_SCHEMES) and not re.search(r"[\s<>\"'`\x00-\x1f]", url):
        return url
    return None
