"""The preview's builds: regenerate the pages, then the engine's incremental build into the
preview's own folder, after each batch of changes to the sources or the hand-written pages.

A run that fails leaves the last good pages in place and records why (:mod:`.state`); every page
the studio serves then shows the errors. The folder is the preview's alone (never ``site/``).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import click

from generator import paths
from generator.commands.report import relative, verdict_line
from generator.commands.studio.state import PreviewState, items
from generator.engines.run import preview_build
from generator.errors import ArchiveError
from generator.inputs.articles import ANCHORS_SUFFIX
from generator.pipeline import Loaded, generate
from generator.settings import Settings

SOURCE_FOLDERS = ("articles", "rules")
"""Folders whose files are sources (not recursive: articles/originals/ is not read)."""
SOURCE_FILES = ("entities.yml",)
"""Files at the archive's root that are sources."""
SOURCE_SUFFIXES = (".md", ".txt", ".yml", ".yaml")
THEME_FOLDERS = ("overrides", "hooks")
"""Folders the engine reads besides the docs folder."""
DEBOUNCE_MS = 100
"""How long the watcher waits for more changes before a run (an editor's save is one batch)."""


def _skipped(path: Path) -> bool:
    return path.name.startswith(".") or path.name.endswith("~")  # editors' temporary and backup files


def is_source(project: Settings, path: Path) -> bool:
    """True if a change to *path* can change a generated page."""
    if _skipped(path):
        return False
    if path.name.endswith(ANCHORS_SUFFIX):
        return False  # written by the regeneration itself: where the notes are now
    parent = path.parent.resolve()
    root = project.root.resolve()
    if parent == root:
        return path.name in SOURCE_FILES
    return parent in {root / name for name in SOURCE_FOLDERS} and path.suffix in SOURCE_SUFFIXES


def is_site_file(project: Settings, path: Path) -> bool:
    """True if *path* is read by the engine itself: ``mkdocs.yml``, a hand-written page or asset of
    the docs folder (not a generated one: the generator writes those), the theme overrides, hooks."""
    if _skipped(path) or path.suffix == ".pyc":
        return False
    root = project.root.resolve()
    resolved = path.resolve() if path.exists() else path.parent.resolve() / path.name
    if resolved == project.config.resolve():
        return True
    docs = project.docs.resolve()
    if resolved.is_relative_to(docs):
        return resolved.relative_to(docs).parts[0] not in paths.GENERATED
    return any(resolved.is_relative_to(root / name) for name in THEME_FOLDERS)


class Preview:
    """Builds the preview of an archive into *folder* and records each run in :attr:`state`."""

    def __init__(self, settings: Settings, folder: Path) -> None:
        self.settings = settings
        self.folder = folder
        self.state = PreviewState()
        self.loaded: Loaded | None = None
        """What the last good run read (None when it reused the run before it)."""
        self._problems: list = []
        """The warnings of the last run that regenerated, for the verdict line."""
        self._built = False
        self._lock = threading.Lock()

    def rebuild(self, sources_changed: bool = True) -> bool:
        """One run: regenerate (when a source changed) and build; True if the pages are current."""
        with self._lock:
            started = time.perf_counter()
            self.state.building()
            root = self.settings.root
            warnings = self.state.run.warnings
            try:
                if sources_changed or not self._built:
                    loaded, report = generate(self.settings)
                    warnings = items(loaded.warnings, root)
                    self._problems = list(loaded.warnings)
                    self.loaded = loaded if loaded.reused is None else None
                    changed = [*report.written, *(f"{rel} (removed)" for rel in report.deleted)]
                    changed += [relative(path, root) for path in loaded.recorded]
                    if changed:
                        click.echo(f"Regenerated: {', '.join(changed)}", err=True)
                preview_build(self.settings.engine, self.settings.config, self.folder, dirty=self._built)
                self._built = True
            except ArchiveError as exc:
                run = self.state.finished(False, items([exc], root), warnings, time.perf_counter() - started)
                click.secho(
                    f"Not rebuilt; every page of the preview shows why:\n{exc.format_message()}", fg="red", err=True
                )
                return False
            run = self.state.finished(True, (), warnings, time.perf_counter() - started)
            for warning in run.warnings:
                click.secho(f"warning: {warning.where}: {warning.message}", fg="yellow", err=True)
            verdict_line(self._problems, self.settings.strict)
            click.echo(f"Preview rebuilt in {run.seconds:.2f} s.", err=True)
            return True

    def watch(self, stop: threading.Event) -> list[threading.Thread]:
        """Start the watchers: each batch of changes leads to one run, until *stop* is set.

        The archive's root, ``articles/``, ``rules/`` and the docs folder are watched without their
        subfolders (``articles/originals/`` is not read; the generated folders may hold thousands of
        pages); the hand-written folders of the docs folder, the overrides and the hooks with them."""
        root, docs = self.settings.root, self.settings.docs
        flat = [root, *(root / name for name in SOURCE_FOLDERS), docs]
        deep = [root / name for name in THEME_FOLDERS]
        if docs.is_dir():
            deep += [p for p in docs.iterdir() if p.is_dir() and p.name not in paths.GENERATED]
        threads = []
        for folders, recursive in ((flat, False), (deep, True)):
            existing = [folder for folder in folders if folder.is_dir()]
            if existing:
                thread = threading.Thread(
                    target=self._watch, args=(existing, recursive, stop), name="archive-watch", daemon=True
                )
                thread.start()
                threads.append(thread)
        return threads

    def _watch(self, folders: list[Path], recursive: bool, stop: threading.Event) -> None:
        import watchfiles

        def wanted(_change: object, path: str) -> bool:
            return is_source(self.settings, Path(path)) or is_site_file(self.settings, Path(path))

        for changes in watchfiles.watch(
            *folders,
            watch_filter=wanted,
            recursive=recursive,
            stop_event=stop,
            debounce=DEBOUNCE_MS,
            step=20,
            raise_interrupt=False,
        ):
            changed = sorted({Path(path) for _change, path in changes})
            click.echo(f"Changed: {', '.join(os.path.relpath(p, self.settings.root) for p in changed)}", err=True)
            self.rebuild(sources_changed=any(is_source(self.settings, p) for p in changed))
