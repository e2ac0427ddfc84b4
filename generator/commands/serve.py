"""Live preview and editing studio: ``archive serve``.

A server of our own (:mod:`generator.commands.studio`), bound to 127.0.0.1 only: it builds the
site into a folder of its own, then after each change to a source or a hand-written page
regenerates the pages and runs the engine's incremental build, and serves that folder. Open
pages reload after each good run, and show the errors of a failed one; editors add, edit and
remove notes and registry entries from the pages themselves.

MkDocs' own development server is not used: its live reload is an inline script that the site's
Content-Security-Policy blocks.
"""

from __future__ import annotations

import logging
import shutil
import socket
import tempfile
import threading
from pathlib import Path

import click

from generator.commands.studio.preview import is_source  # noqa: F401  (the watcher's rule, tested)
from generator.errors import PreviewError
from generator.settings import Settings, quiet_mkdocs

HOST = "127.0.0.1"
"""The studio writes files: it answers on the loopback interface only, never on the network."""


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


def _mkdocs_log() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    # Every preview build after the first is a dirty one on purpose; MkDocs warns about that each time.
    handler.addFilter(lambda record: not record.getMessage().startswith("A 'dirty' build is being performed"))
    handler.setLevel(logging.WARNING)
    log = logging.getLogger("mkdocs")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def serve(project: Settings, port: int = 8000) -> None:
    """Build the preview, then serve the studio on 127.0.0.1:*port* until interrupted."""
    import uvicorn

    from generator.commands.studio.app import studio_app
    from generator.commands.studio.guard import Guard
    from generator.commands.studio.preview import Preview

    check_port(HOST, port)
    quiet_mkdocs()
    _mkdocs_log()
    folder = Path(tempfile.mkdtemp(prefix="archive-preview-"))
    stop = threading.Event()
    try:
        preview = Preview(project, folder)
        preview.rebuild()
        preview.watch(stop)
        click.echo(
            f"Studio on http://{HOST}:{port}/ (this computer only); pages reload after each change. Ctrl-C stops.",
            err=True,
        )
        config = uvicorn.Config(
            studio_app(preview, Guard.new(port)),
            host=HOST,
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=1,
            lifespan="off",
        )
        try:
            uvicorn.Server(config).run()
        except KeyboardInterrupt:
            pass  # uvicorn stops on Ctrl-C (or SIGTERM), then raises it again: stopping is not an error
        click.echo("Studio stopped.", err=True)
    finally:
        stop.set()
        shutil.rmtree(folder, ignore_errors=True)
