"""MkDocs hooks that keep hostile text inert in the built site (loaded by ``hooks/archive.py``).

- ``on_config`` refuses ``pymdownx.snippets`` (it can pull any file of the machine into a page);
- ``on_files`` refuses symbolic links and script-capable file types in the docs folder;
- ``on_page_content`` passes every page through the allow-list sanitiser
  (:mod:`generator.render.sanitize`) and makes the page's title and table of contents inert;
- ``on_post_page`` and ``on_post_template`` add a Content-Security-Policy that lets the browser
  run only the site's own script files and the theme's own inline scripts (by hash).

The generator does not depend on these hooks (Zensical ignores them): its pages are escaped and
checked against the same allow-list before they are written.
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import nh3
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from generator.engines.pagefind import SCRIPT as PAGEFIND_SCRIPT
from generator.errors import ArchiveError
from generator.output.docs import check_docs_dir
from generator.render.sanitize import clean_html, differences

log = logging.getLogger("mkdocs.hooks.archive")

FORBIDDEN_EXTENSIONS = ("pymdownx.snippets",)
"""Markdown extensions that read files named in page text."""

POLICY = (
    "default-src 'self'",
    "script-src 'self'{wasm}{hashes}",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-src 'none'",
)
"""The Content-Security-Policy of every page; ``{hashes}`` becomes the theme's inline scripts and
``{wasm}`` lets Pagefind compile its WebAssembly, on sites searched with it (and only there)."""


SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
TEMPLATE_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
TEMPLATE_VALUE = r"[^\"'<>\\\n]*"
"""What a ``{{ … }}`` inside a theme script may become: a plain string, no quote or markup."""

_shapes: list[re.Pattern[str]] = []
_wasm = False
DOCS_CHECKED = False
"""Set by :mod:`generator.engines.mkdocs_dirty`, whose caller checked the docs folder moments
before: ``on_files`` then does not walk it again."""


def _is_inline_js(attrs: str) -> bool:
    if re.search(r"\bsrc\s*=", attrs, re.IGNORECASE):
        return False
    found = re.search(r"\btype\s*=\s*[\"']?([^\"'\s>]*)", attrs, re.IGNORECASE)
    return (found.group(1).strip().lower() if found else "") in JS_TYPES


def theme_script_shapes(template_dirs: Iterable[str | Path]) -> list[re.Pattern[str]]:
    """A pattern for each inline script in the theme's templates, where each ``{{ … }}`` may stand
    for a plain string. Scripts with ``{% … %}`` inside are left out (they would be blocked)."""
    shapes: dict[str, re.Pattern[str]] = {}
    for folder in template_dirs:
        for path in sorted(Path(folder).rglob("*.html")):
            for match in SCRIPT.finditer(path.read_text(encoding="utf-8", errors="replace")):
                attrs, body = match.groups()
                if not _is_inline_js(attrs) or "{%" in body or not body.strip():
                    continue
                parts = TEMPLATE_EXPRESSION.split(body)
                pattern = TEMPLATE_VALUE.join(re.escape(part) for part in parts)
                shapes.setdefault(pattern, re.compile(pattern, re.DOTALL))
    return list(shapes.values())


def script_hashes(output: str, shapes: list[re.Pattern[str]]) -> tuple[list[str], list[str]]:
    """The CSP hashes of the inline scripts of *output* that match a theme shape, and the
    beginnings of those that do not (which the policy will block)."""
    hashes: list[str] = []
    foreign: list[str] = []
    for match in SCRIPT.finditer(output):
        attrs, body = match.groups()
        if not _is_inline_js(attrs):
            continue
        if any(shape.fullmatch(body) for shape in shapes):
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
            if f"'sha256-{digest}'" not in hashes:
                hashes.append(f"'sha256-{digest}'")
        else:
            foreign.append(body[:60])
    return hashes, foreign


def policy(hashes: Iterable[str], wasm: bool = False) -> str:
    """The Content-Security-Policy allowing the inline scripts with these hashes (and WebAssembly,
    which Pagefind needs, if *wasm*). ``'wasm-unsafe-eval'`` allows compiling WebAssembly only, not
    ``eval`` of JavaScript."""
    joined = "".join(" " + h for h in hashes)
    return "; ".join(POLICY).replace("{wasm}", " 'wasm-unsafe-eval'" if wasm else "").replace("{hashes}", joined)


def add_policy(output: str, where: str, strict: bool) -> str:
    """*output* with a CSP ``<meta>`` element at the top of its ``<head>``."""
    hashes, foreign = script_hashes(output, _shapes)
    for body in foreign:
        _problem(f"{where}: an inline script that is not the theme's is blocked by the CSP: {body!r}", strict)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy(hashes, _wasm), quote=False)}">'
    charset = re.search(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", output, re.IGNORECASE)
    head = charset or re.search(r"<head\b[^>]*>", output, re.IGNORECASE)
    if head is None:
        return output
    return output[: head.end()] + meta + output[head.end() :]


def _problem(message: str, strict: bool) -> None:
    # MkDocs runs with --quiet under `archive build`, which hides warnings: strict builds stop here.
    if strict:
        raise PluginError(message)
    log.warning(message)


def inert(text: str) -> str:
    """A title as text that the theme can print unescaped: markup shows as characters.
    Idempotent, so titles the generator already escaped stay as they are."""
    return html.escape(html.unescape(text), quote=True)


def _walk_toc(items: Iterable[Any]) -> Iterable[Any]:
    for item in items:
        yield item
        yield from _walk_toc(item.children)


# ---------------------------------------------------------------------------------------------
# The hooks


def on_config(config: Any) -> Any:
    global _shapes, _wasm
    for name in FORBIDDEN_EXTENSIONS:
        if name in config.markdown_extensions:
            raise PluginError(
                f"{config.config_file_path}: the Markdown extension {name} is not allowed: it copies any file "
                "named in a page into the site; remove it from markdown_extensions"
            )
    _shapes = theme_script_shapes(config.theme.dirs)
    _wasm = any(str(script) == PAGEFIND_SCRIPT for script in config.extra_javascript)
    return config


def on_files(files: Any, config: Any) -> Any:
    if DOCS_CHECKED:
        return files
    try:
        check_docs_dir(Path(config.docs_dir))
    except ArchiveError as exc:
        raise PluginError(exc.format_message()) from None
    return files


@event_priority(100)  # before the search plugin and any other plugin reads the content
def on_page_content(html_text: str, page: Any, config: Any, files: Any) -> str:
    cleaned = clean_html(html_text)
    found = differences(html_text, cleaned=cleaned)
    if found:
        _problem(f"{page.file.src_uri}: the sanitiser removed markup: {'; '.join(found)}", config.strict)
    for key in ("title", "description", "author", "subtitle"):
        if isinstance(page.meta.get(key), str):
            page.meta[key] = inert(page.meta[key])
    if page.title:
        page.title = inert(page.title)
    for item in _walk_toc(page.toc):
        item.title = nh3.clean(item.title, tags={"code", "em", "strong", "b", "i"}, attributes={})
    return cleaned


def on_post_page(output: str, page: Any, config: Any) -> str:
    return add_policy(output, page.file.src_uri, config.strict)


def on_post_template(output: str, template_name: str, config: Any) -> str:
    if template_name.endswith(".html"):
        return add_policy(output, template_name, config.strict)
    return output
