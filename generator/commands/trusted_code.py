"""Which parts of a pushed archive are code the server would run, and whether a push changes them.

The publishing hooks (:mod:`generator.commands.hooks`) build the pushed *data* (articles, notes,
the registry, the rules, the hand-written pages, the site's settings) with the archive installed
on the server. Some files of a pushed tree are code all the same, because the build runs them:

- ``generator/``: the archive itself (the server runs its installed copy, never the pushed one);
- ``hooks/``: MkDocs imports and runs the Python files ``mkdocs.yml`` names under ``hooks:``;
- ``overrides/`` (``theme.custom_dir``): Jinja templates, which can call into Python;
- the settings of ``mkdocs.yml`` that choose code: ``hooks``, ``plugins``,
  ``markdown_extensions``, ``INHERIT`` (another file's settings) and ``theme``'s name and
  ``custom_dir``.

:func:`code_changes` lists those that differ from the server's installed archive. A push that
changes any of them is built only if the operator allowed it (``hooks install
--allow-code-changes``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from generator.inputs.config import read_config

INSTALLED = Path(__file__).resolve().parents[2]
"""The archive installed on this machine: the folder holding the running ``generator/`` package
(with its ``hooks/``, ``overrides/`` and ``mkdocs.yml`` beside it, in a checkout)."""
CODE_FOLDERS = ("generator", "hooks", "overrides")
CODE_SETTINGS = ("hooks", "plugins", "markdown_extensions", "INHERIT")
"""Top-level keys of ``mkdocs.yml`` that choose which code the build runs."""
SKIPPED = ("__pycache__",)


def _files(folder: Path) -> dict[str, bytes]:
    """Relative path → sha256 of every file under *folder* (compiled files left out)."""
    found = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob("*")):
        if any(part in SKIPPED for part in path.parts) or path.suffix in (".pyc", ".pyo"):
            continue
        if path.is_symlink():
            found[path.relative_to(folder).as_posix()] = b"link:" + str(path.readlink()).encode()
        elif path.is_file():
            found[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).digest()
    return found


def _code_settings(config: dict[str, Any]) -> dict[str, Any]:
    theme = config.get("theme")
    chosen = {key: config.get(key) for key in CODE_SETTINGS}
    if isinstance(theme, dict):
        chosen["theme"] = {key: theme.get(key) for key in ("name", "custom_dir")}
    else:
        chosen["theme"] = theme
    return chosen


def _folders(config: dict[str, Any]) -> list[str]:
    """The code folders of a tree whose settings are *config*: the fixed ones, its theme's
    ``custom_dir``, and the folders of the files it names under ``hooks:``."""
    folders = list(CODE_FOLDERS)
    theme = config.get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    hooks = config.get("hooks") if isinstance(config.get("hooks"), list) else []
    for name in [custom, *(Path(h).parent.as_posix() for h in hooks if isinstance(h, str))]:
        if isinstance(name, str) and name not in ("", ".") and name not in folders:
            folders.append(name)
    return folders


def code_changes(tree: Path, installed: Path = INSTALLED) -> list[str]:
    """The files and settings of *tree* that are code and differ from the *installed* archive's,
    as paths relative to the tree (``mkdocs.yml (hooks)`` for a setting), sorted. A tree without
    its own ``generator/`` (a repository of data only) does not change the generator."""
    pushed, trusted = read_config(tree / "mkdocs.yml"), read_config(installed / "mkdocs.yml")
    changed: set[str] = set()
    mine, theirs = _code_settings(pushed), _code_settings(trusted)
    changed.update(f"mkdocs.yml ({key})" for key in mine if mine[key] != theirs.get(key))
    for folder in sorted(set(_folders(pushed)) | set(_folders(trusted))):
        if folder == "generator" and not (tree / folder).exists():
            continue
        new, old = _files(tree / folder), _files(installed / folder)
        changed.update(f"{folder}/{rel}" for rel in set(new) | set(old) if new.get(rel) != old.get(rel))
        if (tree / folder).is_file() or (tree / folder).is_symlink():
            changed.add(folder)
    return sorted(changed)
