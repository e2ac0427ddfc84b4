"""Shared fixtures: a copy of the archive in a temporary folder, and a built site served on
127.0.0.1 for browser tests."""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
PROJECT_FILES = ("articles", "rules", "site_src", "mkdocs.yml", "entities.yml", "hooks", "overrides")
"""What a copy of the archive needs (generated pages are left behind)."""


def copy_project(dest: Path) -> Path:
    """Copy the archive's sources (not its output) into *dest*; return *dest*."""
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(
                source,
                dest / name,
                ignore=shutil.ignore_patterns(
                    "index.md", "articles", "entities", "corrections", "annotations", "originals", "browse"
                )
                if name == "site_src"
                else None,
            )
        elif source.is_file():
            shutil.copy2(source, dest / name)
    return dest


def run_archive(*args: str, cwd: Path, check: bool = False, fresh: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the command line as a user would, in *cwd*, and return what it printed.

    By default the command runs in this process through click's ``CliRunner`` (the language
    model stays loaded between commands, which keeps the suite fast); an exception that escapes
    the command is written to standard error as a traceback, as the interpreter would. With
    *fresh*, it runs as ``python -m generator`` in a new interpreter."""
    if fresh:
        env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
        result = subprocess.run(
            [sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True, text=True
        )
    else:
        result = _in_process(args, cwd)
    if check and result.returncode != 0:
        raise AssertionError(f"archive {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def _in_process(args: tuple[str, ...], cwd: Path) -> subprocess.CompletedProcess[str]:
    import traceback

    from click.testing import CliRunner

    from generator.cli import cli

    before = os.getcwd()
    os.chdir(cwd)
    try:
        outcome = CliRunner().invoke(cli, list(args), prog_name="archive")
    finally:
        os.chdir(before)
    stderr = outcome.stderr
    if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
        stderr += "".join(traceback.format_exception(outcome.exception))
    return subprocess.CompletedProcess(["archive", *args], outcome.exit_code, outcome.stdout, stderr)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the archive's sources, to change freely."""
    return copy_project(tmp_path / "archive")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled archive built once, with ``archive build --strict``; returns its root."""
    root = copy_project(tmp_path_factory.mktemp("built") / "archive")
    run_archive("build", "--strict", cwd=root, check=True)
    return root


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve *directory* on 127.0.0.1 on a free port; yield the base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built bundled site, served on 127.0.0.1."""
    with serve(built_site / "site") as url:
        yield url


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run 'apt-get install chromium' (.ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A new browser page at a desktop width (1280 px: the header search box shows from 1220 px)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def stopped_as_made(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C that comes the moment a new file exists (its descriptor not yet handed back)."""
    real = os.open

    def made_then_stopped(path: object, flags: int, *args: object, **kwargs: object) -> int:
        fd = real(path, flags, *args, **kwargs)  # type: ignore[arg-type]
        if flags & os.O_CREAT:
            os.close(fd)
            raise KeyboardInterrupt
        return fd

    monkeypatch.setattr(os, "open", made_then_stopped)
