"""The MkDocs plugin ``archive``: generated pages are HTML already, so MkDocs need not read them
as Markdown.

Each generated page is a Markdown file made only of HTML blocks (see :mod:`generator.render.markup`).
Python-Markdown passes such blocks through unchanged, but first parses all of their HTML twice
(once to find the blocks, once more in MkDocs to collect element ids): more than half of the
build of a large archive. For a page under the generated folders whose every block starts with a
block-level element, this plugin hands Markdown a placeholder and puts the page's HTML back
afterwards, with the ids it holds recorded so that links to its anchors are still checked.

Hand-written pages (``about.md``, the guide) are read as Markdown as before. Zensical ignores the
plugin and reads every page as Markdown, with the same result.

The plugin also marks what search indexes: the content of every page is put in an element with
``data-pagefind-body``, except pages whose front matter says ``search: {exclude: true}`` (the
pages of split listings, see :mod:`generator.render.paging`), which Pagefind then leaves out entirely
(Material's search reads the same front matter).

Last, the plugin keeps MkDocs' memory flat: after every other ``on_page_content`` handler each
page's HTML goes to disk until its template is rendered (:mod:`generator.engines.page_spill`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority

from generator.engines.page_spill import AnchorIds, PageSpill
from generator.paths import GENERATED

PLACEHOLDER = "ARCHIVE-GENERATED-HTML-PAGE"
RESTORE_PRIORITY = 110
"""Before the sanitiser hook (priority 100), so it cleans the page's real HTML."""
MARK_PRIORITY = 50
"""After the sanitiser, before the search plugins (default priority 0)."""
SPILL_PRIORITY = -1000
"""After every other handler of ``on_page_content``: what is spilled is the page's final HTML."""
TAKE_PRIORITY = 1000
"""Before every other handler of ``on_page_context`` (Material's search reads the content there)."""
BLOCK_START = re.compile(
    r"</?(?:h[1-6]|p|ul|ol|dl|div|nav|section|article|aside|header|footer|details|figure|blockquote|table|pre|hr|script)"
    r"[\s>/]"
)
"""What each block of a generated page starts with: the start or end tag of a block-level element
(an inline element would be wrapped in <p>)."""
ID = re.compile(r"""\sid=["']([^"']+)["']""")


def is_raw_html(markdown: str) -> bool:
    """True when every block of *markdown* (split at blank lines) starts with a block-level tag."""
    blocks = [block for block in re.split(r"\n[ \t]*\n", markdown.strip()) if block.strip()]
    return bool(blocks) and all(BLOCK_START.match(block.lstrip()) for block in blocks)


class ArchivePlugin(BasePlugin):  # type: ignore[type-arg]
    """Skip Markdown for generated pages made of HTML blocks."""

    config_scheme = (("spill", config_options.Type(bool, default=True)),)
    """``spill: false`` keeps every page's HTML in memory, as MkDocs does (the site is the same)."""

    def __init__(self) -> None:
        self.held: dict[str, str] = {}
        self.spill = PageSpill()

    def on_pre_build(self, config: Any, **kwargs: Any) -> None:
        self.spill.close()
        self.spill = PageSpill(Path(config.site_dir).resolve().parent)

    def on_page_markdown(self, markdown: str, page: Any, **kwargs: Any) -> str:
        top = page.file.src_uri.split("/", 1)[0]
        if top not in GENERATED or not is_raw_html(markdown):
            return markdown
        self.held[page.file.src_uri] = markdown.strip() + "\n"
        return PLACEHOLDER

    @event_priority(RESTORE_PRIORITY)
    def _restore(self, html: str, page: Any, **kwargs: Any) -> str:
        """Put the page's HTML back in the place of the placeholder, before anything else reads
        the page's content: the archive's sanitiser (:mod:`generator.engines.mkdocs_hooks`) must
        see, and clean, what will be published."""
        raw = self.held.pop(page.file.src_uri, None)
        if raw is None:
            return html
        page.present_anchor_ids = set(ID.findall(raw))
        return raw

    @event_priority(MARK_PRIORITY)
    def _mark_searched(self, html: str, page: Any, **kwargs: Any) -> str:
        """Mark what Pagefind indexes, after the sanitiser (which would drop the mark)."""
        search = page.meta.get("search")
        if isinstance(search, dict) and search.get("exclude"):
            return html
        return f"<div data-pagefind-body>\n{html}\n</div>"

    @event_priority(SPILL_PRIORITY)
    def _spill(self, html: str, page: Any, **kwargs: Any) -> str:
        """The page's HTML waits on disk until its template is rendered; its ids are compacted."""
        if not self.config["spill"]:
            return html
        self.spill.put(page.file.src_uri, html)
        if page.present_anchor_ids is not None:
            page.present_anchor_ids = AnchorIds(page.present_anchor_ids)
        return ""

    on_page_content = CombinedEvent(_restore, _mark_searched, _spill)

    @event_priority(TAKE_PRIORITY)
    def on_page_context(self, context: Any, page: Any, **kwargs: Any) -> Any:
        html = self.spill.take(page.file.src_uri)
        if html is not None:
            page.content = html
        return context

    @event_priority(SPILL_PRIORITY)
    def on_post_page(self, output: str, page: Any, **kwargs: Any) -> str:
        if self.config["spill"]:
            page.content = None  # written: the next pages need not find this one's HTML held
        return output

    def on_post_build(self, **kwargs: Any) -> None:
        self.spill.close()

    def on_build_error(self, **kwargs: Any) -> None:
        self.spill.close()
