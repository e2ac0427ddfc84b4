"""``mkdocs.yml``: read it for the settings, and check what the build relies on.

MkDocs itself accepts much that would publish a wrong or unsafe site without a word: a
``site_name`` holding markup (the theme writes it into every page as it is), a missing ``hooks``
entry (no sanitiser, no Content-Security-Policy), another theme, an address that is not the
site's. :func:`check_config` refuses these with the line they are on, so that ``archive check``
(and the pre-receive hook that runs it) finds them before a page is built.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

from generator.errors import ArchiveError, ConfigError
from generator.inputs import yamlio
from generator.inputs.urls import safe_url

CONFIG_NAME = "mkdocs.yml"
THEME = "material"
HOOK = "hooks/archive.py"
"""The MkDocs hooks file that sanitises every page and adds the Content-Security-Policy."""
PLUGIN = "archive"
"""The MkDocs plugin that hands the generated pages past Markdown."""
FORBIDDEN_EXTENSIONS = ("pymdownx.snippets",)
"""Markdown extensions that read files named in page text (any file of the machine)."""
MAX_SITE_NAME = 100
NOT_PLAIN = re.compile(r"[<>\"`\x00-\x1f\x7f]")
"""What a plain-text site name may not hold: markup, quotes, control characters, line breaks."""


def read_config(path: Path) -> dict[str, Any]:
    """The top level of *path* as plain values; empty when it is missing or unreadable (then
    :func:`check_config` says why)."""
    node = _parse(path)
    return yamlio.plain(node) if isinstance(node, dict) else {}


def _parse(path: Path) -> Any:
    try:
        return yamlio.parse(path.read_text(encoding="utf-8"), path, ConfigError)
    except (ArchiveError, OSError, UnicodeDecodeError):
        return None


def check_config(root: Path) -> list[ArchiveError]:
    """Every problem of the archive's ``mkdocs.yml`` that would publish a wrong or unsafe site,
    each naming the file and line."""
    path = root / CONFIG_NAME
    if path.is_symlink() or (path.exists() and not path.is_file()):
        return [ConfigError("this must be a plain file: the site's configuration", path)]
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [
            ConfigError("the site's configuration is missing; restore it (git checkout mkdocs.yml) and try again", path)
        ]
    except UnicodeDecodeError:
        return [ConfigError("not UTF-8 text; save the file as UTF-8", path)]
    except OSError as exc:
        return [ConfigError(f"cannot read the site's configuration: {exc.strerror}", path)]
    try:
        node = yamlio.parse(text, path, ConfigError)
    except ArchiveError as exc:
        return [exc]
    if not isinstance(node, dict):
        return [ConfigError("the site's configuration must be a mapping of settings (site_name: …)", path, 1)]
    checks = (_inherit, _site_name, _site_url, _theme, _hooks, _plugins, _docs_dir, _urls, _extensions, _assets)
    errors: list[ArchiveError] = []
    for check in checks:
        errors.extend(check(node, path, root))
    return errors


def _line(node: Any, *keys: str | int) -> int | None:
    """The line of the value at *keys*, or None when it is not in the file (no line to name)."""
    value = node
    for key in keys:
        if isinstance(value, dict) and key in value:
            value = value[key]
        elif isinstance(value, list) and isinstance(key, int) and key < len(value):
            value = value[key]
        else:
            return None
    return yamlio.line_of(node, list(keys))


def _inherit(node: Any, path: Path, root: Path) -> list[ArchiveError]:
    if "INHERIT" not in node:
        return []
    return [
        ConfigError(
            "INHERIT is not supported: the archive checks only what mkdocs.yml itself says, and another file "
            "could undo it; write the settings into mkdocs.yml",
            path,
            _line(node, "INHERIT"),
        )
    ]


def _site_name(node: Any, path: Path, root: Path) -> list[ArchiveError]:
    value = node.get("site_name")
    line = _line(node, "site_name")
    if value is None:
        return [ConfigError("site_name is missing; give the site a name (site_name: Annotated reading archive)", path)]
    if not isinstance(value, str) or not any(char.isalnum() for char in value):
        return [ConfigError("site_name must be the site's name, in words", path, line)]
    if len(value) > MAX_SITE_NAME:
        return [ConfigError(f"site_name is {len(value):,} characters long; keep it under {MAX_SITE_NAME}", path, line)]
    found = NOT_PLAIN.search(value)
    if found:
        shown = "a line break or control character" if found.group(0) < " " else repr(found.group(0))
        return [
            ConfigError(
                f"site_name holds {shown}: the theme writes it into every page as it is, where it could become "
                "markup; write plain text",
                path,
                line,
            )
        ]
    return []


def _site_url(node: Any, path: Path, root: Path) -> list[ArchiveError]:
    if node.get("site_url") in (None, ""):
        return []
    value = node["site_url"]
    url = safe_url(value) if isinstance(value, str) else None
    if (
        url is None
        or not url.lower().startswith(("http://", "https://"))
        or len(url.split("/")) < 3
        or not url.split("/")[2]
    ):
        return [
            ConfigError(
                f"site_url {value!r} is not an http:// or https:// address; give the address the site is served "
                "from (e.g. https://archive.example.org/), or remove the line (the feeds need it)",
                path,
                _line(node, "site_url"),
            )
        ]
    return []


def _theme(node: Any, path: Path, root: Path) -> list[ArchiveError]:
    theme = node.get("theme")
    if theme is None:
        return [
            ConfigError(
                "theme is missing; the archive's pages are made for the Material theme (theme: name: material)", path
            )
        ]
    name = theme if isinstance(theme, str) else theme.get("name") if isinstance(theme, dict) else None
    line = _line(node, "theme", "name") if isinstance(theme, dict) and "name" in theme else _line(node, "theme")
    if name != THEME:
        return [
            ConfigError(
                f"theme {name!r} is not supported; the archive's pages, overrides and safety checks are made for "
                f"the Material theme (theme: name: {THEME})",
                path,
                line,
            )
        ]
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    if custom is not None and not (isinstance(custom, str) and _inside(custom) and (root / custom).is_dir()):
        return [
            ConfigError(
                f"theme.custom_dir {custom!r} is not a folder of the archive; use overrides",
                path,
                _line(node, "theme", "custom_dir"),
            )
        ]
    return []


def _hooks(node: Any, path: Path, root: Path) -> list[ArchiveError]:
    hooks = node.get("hooks")
    line = _line(node, "hooks")
    if not isinstance(hooks, list) or HOOK not in hooks:
        return [
            ConfigError(
                f"hooks must include {HOOK}: it sanitises every page and adds the Content-Security-Policy; "
                f"without it a page could run scripts. Add:\nhooks:\n  - {HOOK}",
                path,
                line,
            )
        ]
    if not (root / HOOK).is_file():
        return [ConfigError(f"{HOOK} is missing; restore it from the archive's repository", path, line)]
    return []


def _plugin_names(plugins: Any) -> list[str]:
    if not isinstance(plugins, list):
        return []
    return [
        entry if isinstance(entry, str) else next(iter(entry))
        for entry in plugins
        if isinstance(entry, (str, dict)) and entry
    ]


def _plugins(node: Any, path: Path, root: Path) -> list[ArchiveError]:
    if PLUGIN in _plugin_names(node.get("plugins")):
        return []
    return [
        ConfigError(
            f"plugins must include {PLUGIN}: it hands the generated pages to the theme as they are "
            "(without it MkDocs reads them as Markdown and changes them)",
            path,
            _line(node, "plugins"),
        )
    ]


def _inside(rel: str) -> bool:
    """Whether *rel* is a relative path to a folder strictly inside the archive."""
    parts = PurePosixPath(rel.replace("\\", "/")).parts
    return bool(parts) and not PurePosixPath(rel).is_absolute() and ".." not in parts and parts != (".",)


def _docs_dir(node: Any, path: Path, root: Path) -> list[ArchiveError]:
    docs = node.get("docs_dir", "docs")
    if isinstance(docs, str) and _inside(docs):
        return []
    return [
        ConfigError(
            f"docs_dir {docs!r} is not a folder inside the archive; MkDocs publishes every file of it (use site_src)",
            path,
            _line(node, "docs_dir"),
        )
    ]


def _urls(node: Any, path: Path, root: Path) -> list[ArchiveError]:
    if node.get("use_directory_urls", True) is True:
        return []
    return [
        ConfigError(
            "use_directory_urls must be true: the generated pages link each other as folders (articles/<slug>/)",
            path,
            _line(node, "use_directory_urls"),
        )
    ]


def _extensions(node: Any, path: Path, root: Path) -> list[ArchiveError]:
    extensions = node.get("markdown_extensions") or []
    errors: list[ArchiveError] = []
    for index, entry in enumerate(extensions if isinstance(extensions, list) else []):
        name = entry if isinstance(entry, str) else next(iter(entry), None) if isinstance(entry, dict) else None
        if name in FORBIDDEN_EXTENSIONS:
            errors.append(
                ConfigError(
                    f"the Markdown extension {name} is not allowed: it can pull any file of the machine into a page",
                    path,
                    _line(node, "markdown_extensions", index),
                )
            )
    return errors


def _assets(node: Any, path: Path, root: Path) -> list[ArchiveError]:
    errors: list[ArchiveError] = []
    for key in ("extra_javascript", "extra_css"):
        entries = node.get(key) or []
        for index, entry in enumerate(entries if isinstance(entries, list) else [entries]):
            value = entry.get("path") if isinstance(entry, dict) else entry
            if isinstance(value, str) and not re.match(r"^[a-z][a-z0-9+.-]*:|^//", value.strip(), re.IGNORECASE):
                continue
            errors.append(
                ConfigError(
                    f"{key} {value!r} is not a file of the site: pages must not load code or styles from "
                    "another address (the Content-Security-Policy blocks it); copy the file into site_src/assets/",
                    path,
                    _line(node, key, index),
                )
            )
    return errors
