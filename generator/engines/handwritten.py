"""Hand-written pages under an engine that ignores MkDocs hooks.

Under MkDocs, the archive's hook sanitises every page, hand-written ones included. Zensical runs
no MkDocs hook, so before it builds, every hand-written page is rendered here with the site's own
Markdown extensions and refused if the sanitiser would change it: the guarantee that no page
carries live markup does not depend on the hook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import markdown

from generator.errors import ArchiveError, BuildError
from generator.inputs import yamlio
from generator.paths import GENERATED
from generator.render.sanitize import differences, page_body

TITLE_MARKUP = ("<", ">", "&")


def _extensions(config: Path) -> tuple[list[str], dict[str, Any]]:
    data = yamlio.plain(yamlio.parse(config.read_text(encoding="utf-8"), config, BuildError)) or {}
    names, options = [], {}
    for entry in data.get("markdown_extensions") or []:
        if isinstance(entry, str):
            names.append(entry)
        elif isinstance(entry, dict):
            for name, value in entry.items():
                names.append(name)
                options[name] = value or {}
    return names, options


def check_hand_written(docs: Path, config: Path) -> list[ArchiveError]:
    """A problem for every hand-written page that holds markup outside the allow-list, or a
    front-matter title with markup characters (which the theme prints unescaped)."""
    names, options = _extensions(config)
    problems: list[ArchiveError] = []
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs).as_posix()
        if rel.split("/", 1)[0] in GENERATED:
            continue
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            front = text[4 : text.find("\n---\n", 3)] if "\n---\n" in text[3:] else ""
            title = next((line[6:] for line in front.splitlines() if line.startswith("title:")), "")
            if any(char in title for char in TITLE_MARKUP):
                problems.append(
                    BuildError(
                        "the front-matter title holds <, > or &, which this engine prints unescaped; "
                        "write the title without them",
                        path,
                        2,
                    )
                )
        html = markdown.markdown(page_body(text), extensions=names, extension_configs=options)
        found = differences(html)
        if found:
            problems.append(
                BuildError(
                    f"the page holds markup that this engine would publish unsanitised: {'; '.join(found)}; "
                    "remove it (MkDocs' build removes it through the archive's hook)",
                    path,
                )
            )
    return problems
