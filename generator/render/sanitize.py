"""The second layer of defence: an allow-list HTML sanitiser (nh3) over every page's content.

The renderer (:mod:`generator.render.markup`) already escapes everything that came from an article, a
note or the registry. This module states, as data, which markup a page may hold at all, and
gives two ways of applying it:

- :func:`clean_html` returns the sanitised HTML (used by the MkDocs hook on every page, the
  hand-written ones included);
- :func:`differences` says what sanitising would remove from a piece of HTML (used by the
  generator to prove that the pages it writes are already clean, and by the hook to tell an
  editor which markup of a hand-written page was dropped).

A JSON-LD block (``<script type="application/ld+json">``) survives only if its content is valid
JSON; it is then written back by :func:`generator.render.markup.json_ld`, in a form that cannot close the
script element.

To allow new markup (a new feature's element, attribute or class), add it to the tables below;
``tests/test_security_sanitize.py`` fails, listing what would be dropped, until the renderer's
pages are all inside the allow-list.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Collection, Mapping
from html.parser import HTMLParser

import nh3

from generator.errors import BuildError
from generator.render.markup import json_ld
from generator.util.text import shorten

TAGS = frozenset(
    {
        # what the renderer writes (an article's tables: render.markup.render_table)
        "a", "details", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "li", "mark", "p", "q",
        "span", "strong", "summary", "sup", "time", "ul", "code", "table", "thead", "tbody", "tr",
        "th", "td",
        # what Markdown and its common extensions write on hand-written pages
        "abbr", "b", "blockquote", "br", "caption", "cite", "dd", "del", "dfn", "dl", "dt",
        "figcaption", "figure", "hr", "i", "img", "ins", "kbd", "ol", "pre", "s", "samp", "small",
        "sub", "tfoot", "u", "var", "wbr", "section", "aside", "nav",
    }
)  # fmt: skip
"""Elements a page may contain. No script, style, form, frame, object, svg, math or base."""

ATTRIBUTES: dict[str, set[str]] = {
    "*": {"id", "class", "lang", "title"},
    # data-note/data-kind: a note marker's number and kind, shown and styled by the stylesheet
    # (the marker holds no text of its own; see generator.render.markup._marker)
    "a": {"href", "rel", "aria-label", "hreflang", "type", "data-note", "data-kind"},
    "mark": {"data-note", "data-kind"},
    "span": {"data-entity"},
    # a table's wrapper scrolls sideways: a region with a name, reachable from the keyboard
    "div": {"role", "aria-label", "tabindex"},
    "section": {"aria-labelledby"},
    "aside": {"aria-labelledby"},
    "nav": {"aria-label"},
    "li": {"data-kind"},
    "time": {"datetime"},
    "ol": {"start", "reversed"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},  # scope="col": the renderer's header cells
    "details": {"open"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
"""Attributes allowed per element (``*``: on every element). No event handler, no style."""

URL_SCHEMES = frozenset({"http", "https", "mailto"})
"""Schemes an ``href``/``src``/``cite`` may use; relative addresses are kept as they are."""

ADMONITION_TYPES = (
    "note abstract summary tldr info todo tip hint important success check done question help faq "
    "warning caution attention failure fail missing danger error bug example quote cite"
).split()
ALLOWED_CLASS = re.compile(
    r"^(?:archive-[a-z0-9-]+|entity(?:-[a-z0-9-]+)?|mention|notes?(?:-[a-z0-9-]+)?|info|annotate"
    r"|language-[a-z0-9+#_-]+|admonition(?:-title)?|footnote(?:-[a-z0-9-]+)?|footnote-ref|footnote-backref|highlight|linenos"
    r"|" + "|".join(ADMONITION_TYPES) + r")$"
)
"""Class names a page may use: the archive's own (``archive-…``, ``entity…``, ``mention``, ``note…``) and those
of Markdown extensions. Never the theme's ``md-…`` classes, which would let content dress up as
the site's interface."""
SHORT_SPAN_CLASS = re.compile(r"^[a-z][a-z0-9]{0,2}$")
"""Pygments' short token classes (``k``, ``s2``, ``nf``…), allowed on ``span`` only."""
SAFE_ID = re.compile(r"^[^_\s][^\s]*$")
"""Element ids may not start with ``_``: the theme's own ids (``__config``, ``__search``…) do, and
an element of the content with such an id would shadow them (DOM clobbering)."""

CONTROL_REFERENCE = re.compile(r"&#x0*([1-9a-fA-F]|1[0-9a-fA-F]|7[fF]);")
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


_CLASSES: dict[tuple[bool, str], str | None] = {}
"""Class attributes already decided, by value and whether on a ``span``: a site writes a few
hundred values on nearly every element, and splitting and matching them again was most of the
filter's time."""
_CLASSES_KEPT = 10_000
"""At most this many decisions are kept; any other value is decided each time it comes."""


def _attribute_filter(tag: str, name: str, value: str) -> str | None:
    if name == "class":
        key = (tag == "span", value)
        try:
            return _CLASSES[key]
        except KeyError:
            kept = _class_filter(tag, value)
            if len(_CLASSES) < _CLASSES_KEPT:
                _CLASSES[key] = kept
            return kept
    if name == "id":
        return value if SAFE_ID.match(value) else None
    if name == "tabindex":
        return value if value == "0" else None  # in the reading order only: never first, never out of it
    if name == "scope":
        return value if value in ("col", "row", "colgroup", "rowgroup") else None
    return value


def _class_filter(tag: str, value: str) -> str | None:
    kept = [c for c in value.split() if ALLOWED_CLASS.match(c) or (tag == "span" and SHORT_SPAN_CLASS.match(c))]
    return " ".join(kept) or None


def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


_CLEANER = _cleaner()


def _hold_json_ld(html: str, nonce: str) -> tuple[str, dict[str, str]]:
    """Replace each valid JSON-LD block by a placeholder; return the HTML and the blocks."""
    held: dict[str, str] = {}

    def hold(match: re.Match[str]) -> str:
        try:
            data = json.loads(match.group(1))
        except ValueError:
            return match.group(0)  # not JSON: left to the sanitiser, which drops it
        key = f"archive-json-ld-{nonce}-{len(held)}"
        held[key] = json_ld(data)
        return key

    return JSON_LD.sub(hold, html), held


def clean_html(html: str) -> str:
    """*html* with everything outside the allow-list removed (JSON-LD blocks kept if valid)."""
    # A fresh nonce, so that no text of the page can pose as a placeholder.
    html, held = _hold_json_ld(html, secrets.token_hex(8))
    cleaned = _CLEANER.clean(html)
    for key, block in held.items():
        cleaned = cleaned.replace(key, block)
    return cleaned


class _Tokens(HTMLParser):
    """A piece of HTML as a list of comparable tokens (tags with sorted attributes, and text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        rendered = "".join(f' {k}="{v or ""}"' for k, v in sorted(attrs))
        self.tokens.append(f"<{tag}{rendered}>")

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.tokens and self.tokens[-1].startswith("#"):
            self.tokens[-1] += data
        else:
            self.tokens.append("#" + data)

    def handle_comment(self, data: str) -> None:
        self.tokens.append(f"<!--{data}-->")


def _tokens(html: str) -> list[str]:
    parser = _Tokens()
    # A browser reads every CR and CRLF as LF before parsing; so does the sanitiser.
    html = html.replace("\r\n", "\n").replace("\r", "\n")
    # Python's parser drops references to control characters, which browsers keep as characters.
    parser.feed(CONTROL_REFERENCE.sub(lambda m: chr(int(m.group(1), 16)), html))
    parser.close()
    # Void elements are written <br> by one side and may be closed by the other.
    return [t for t in parser.tokens if t not in ("</br>", "</img>", "</hr>", "</wbr>")]


def differences(html: str, limit: int = 5, cleaned: str | None = None) -> list[str]:
    """What :func:`clean_html` would remove from or change in *html*: up to *limit* descriptions
    such as ``removed <script>`` or ``changed <a href="javascript:…"> to <a>``; empty if none.
    *cleaned*: ``clean_html(html)``, if the caller has it already."""
    import difflib

    if cleaned is None:
        cleaned = clean_html(html)
    if cleaned == html or cleaned == html.replace("&#x27;", "'"):
        # The sanitiser gave the page back as it was (up to writing an apostrophe as itself, which
        # means the same in text and in a double-quoted attribute): nothing removed or changed.
        return []
    before = _tokens(_hold_json_ld(html, "kept")[0])
    after = _tokens(_hold_json_ld(cleaned, "kept")[0])
    if before == after:
        return []
    found: list[str] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op != "equal":
            found += _describe(before[a1:a2], after[b1:b2])
    return found[:limit]


def _tag_name(token: str) -> str:
    return token[1:].split(" ", 1)[0].rstrip(">")


def _describe(old: list[str], new: list[str]) -> list[str]:
    """What became of the tokens *old*, replaced by *new*: changed start tags, removed elements
    and text (end tags and text that was only joined to its neighbours are not repeated)."""
    new = [t for t in new if t.strip("#").strip()]
    found = []
    for token in old:
        if token in new:
            new.remove(token)
        elif token.startswith("</") or not token.strip("#").strip():
            continue
        elif token.startswith("<"):
            twin = next((t for t in new if t.startswith("<") and _tag_name(t) == _tag_name(token)), None)
            if twin is None:
                found.append(f"removed {_short(token)}")
            else:
                new.remove(twin)
                found.append(f"changed {_short(token)} to {_short(twin)}")
        elif not any(token[1:] in t for t in new if t.startswith("#")):
            found.append(f"removed {_short(token)}")
    found += [f"added {_short(t)}" for t in new if t.startswith("<") and not t.startswith("</")]
    return found


def _short(token: str, width: int = 80) -> str:
    text = repr(token[1:]) if token.startswith("#") else token
    return shorten(text, width)


def page_body(page: str) -> str:
    """The HTML of a generated page: its text after the YAML front matter."""
    if page.startswith("---\n"):
        end = page.find("\n---\n", 3)
        if end != -1:
            return page[end + 5 :]
    return page


def check_pages(pages: Mapping[str, str | bytes], checked: Collection[str] = ()) -> None:
    """Raise :class:`BuildError` if sanitising would change any generated Markdown page.

    The renderer escapes everything it did not write itself, so a page that the sanitiser
    would change is a bug: no page is written, and the message names the page and the markup.
    *checked*: pages whose bytes passed this check before, under the same code; skipped.
    """
    for rel in sorted(pages):
        page = pages[rel]
        if not rel.endswith(".md") or not isinstance(page, str) or rel in checked:
            continue
        found = differences(page_body(page))
        if found:
            raise BuildError(
                f"internal error: the page holds markup outside the sanitiser's allow-list: {'; '.join(found)}; "
                "fix the renderer or extend the allow-list in generator/render/sanitize.py",
                rel,
            )
