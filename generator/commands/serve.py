"""Live preview: ``archive serve`` regenerates the pages whenever a source changes.

Two watchers share the work. This module watches the archive's sources (articles, notes files, the
cleaning rules, the entity registry) and regenerates the Markdown pages; :func:`site.sync_pages`
rewrites only the pages whose bytes changed. MkDocs' own development server watches the docs
folder and ``mkdocs.yml``, rebuilds only the pages whose files changed (a "dirty" build, which
Material's search index supports), and reloads the open browser tabs.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from pathlib import Path

import click

from generator.commands.report import relative, verdict_line
from generator.errors import ArchiveError, PreviewError
from generator.inputs.articles import ANCHORS_SUFFIX
from generator.pipeline import generate
from generator.settings import Settings, quiet_mkdocs

SOURCE_FOLDERS = ("articles", "rules")
"""Folders whose files are sources (not recursive: articles/originals/ is not read)."""
SOURCE_FILES = ("entities.yml",)
"""Files at the archive's root that are sources."""
SOURCE_SUFFIXES = (".md", ".txt", ".yml", ".yaml")


def is_source(project: Settings, path: Path) -> bool:
    """True if a change to *path* can change a generated page."""
    if path.name.startswith(".") or path.name.endswith("~"):
        return False  # editors' temporary and backup files
    if path.name.endswith(ANCHORS_SUFFIX):
        return False  # written by the regeneration itself: where the notes are now
    parent = path.parent.resolve()
    root = project.root.resolve()
    if parent == root:
        return path.name in SOURCE_FILES
    return parent in {root / name for name in SOURCE_FOLDERS} and path.suffix in SOURCE_SUFFIXES


def regenerate(project: Settings) -> bool:
    """Regenerate the pages; print what changed, or the problems. True if the pages are current."""
    started = time.perf_counter()
    try:
        loaded, report = generate(project)
    except ArchiveError as exc:
        message = f"Not regenerated; the preview shows the last good pages:\n{exc.format_message()}"
        click.secho(message, fg="red", err=True)
        return False
    for warning in loaded.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    verdict_line(loaded.warnings, project.strict)
    changed = list(report.written) + [f"{rel} (removed)" for rel in report.deleted]
    changed += [relative(path, project.root) for path in loaded.recorded]
    if changed:
        click.echo(f"Regenerated in {time.perf_counter() - started:.2f} s: {', '.join(changed)}", err=True)
    return True


def watch_sources(project: Settings, stop: threading.Event) -> None:
    """Regenerate the pages after each batch of source changes until *stop* is set."""
    import watchfiles

    paths = [project.root] + [project.root / name for name in SOURCE_FOLDERS if (project.root / name).is_dir()]
    for changes in watchfiles.watch(
        *paths,
        watch_filter=lambda _change, path: is_source(project, Path(path)),
        recursive=False,
        stop_event=stop,
        debounce=400,
        raise_interrupt=False,
    ):
        names = sorted({os.path.relpath(path, project.root) for _change, path in changes})
        click.echo(f"Changed: {', '.join(names)}", err=True)
        regenerate(project)


def check_port(host: str, port: int) -> None:
    """Fail with a clear message, before any work, if *port* is taken."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise PreviewError(
                f"cannot serve on {host}:{port} ({exc.strerror}); choose another port with --port"
            ) from None


def serve(project: Settings, port: int = 8000, host: str = "127.0.0.1") -> None:
    """Generate the pages, then serve the site on *host*:*port* until interrupted."""
    check_port(host, port)
    quiet_mkdocs()
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    # Every preview build is a dirty one on purpose; MkDocs warns about that at each rebuild.
    handler.addFilter(lambda record: not record.getMessage().startswith("A 'dirty' build is being performed"))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.INFO)
    from mkdocs.commands.serve import serve as mkdocs_serve

    # Stop on SIGTERM as on Ctrl-C, so MkDocs removes its temporary site folder.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    regenerate(project)
    stop = threading.Event()
    watcher = threading.Thread(target=watch_sources, args=(project, stop), name="archive-watch", daemon=True)
    watcher.start()
    try:
        mkdocs_serve(str(project.config), livereload=True, build_type="dirty", dev_addr=f"{host}:{port}")
    finally:
        stop.set()
        watcher.join(timeout=5)
