"""The live preview: ``archive serve`` serves the site and shows an edit within seconds."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.commands.serve import is_source
from generator.commands.studio.preview import Preview, is_site_file
from generator.settings import Settings

from ..conftest import REPO

SLUG = "us-military-considers-re-establishing-presence-in-libya"
OTHER = "2017-07-12-us-looks-to-escalate-involvement-in-libya"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def poll(url: str, until: Callable[[str], bool], timeout: float = 60) -> str:
    """Fetch *url* until *until(body)* holds; fail after *timeout* seconds."""
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode("utf-8")
            if until(body):
                return body
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not show the expected text within {timeout} s")


@pytest.mark.slow
def test_serve_shows_an_edited_article(project: Path, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--port", str(port)],
            cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/articles/{SLUG}/"
        poll(url, lambda body: "The Trump administration is currently working" in body)

        article = project / "articles" / f"{SLUG}.md"
        text = article.read_text(encoding="utf-8")
        article.write_text(text.replace("is currently working", "is presently working"), encoding="utf-8")
        body = poll(url, lambda body: "The Trump administration is presently working" in body)
        assert "is currently working" not in body
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    output = log.read_text()
    assert server.returncode == 0, output
    # Only the pages the edit touches were rewritten: the article's own, and the entity pages that
    # quote the edited passage; not the other article's.
    regenerated = [line for line in output.splitlines() if line.startswith("Regenerated")]
    assert f"articles/{SLUG}/index.md" in regenerated[-1], output
    assert all(p.startswith(("articles/", "entities/")) for p in regenerated[-1].split(": ", 1)[1].split(", "))
    assert OTHER not in regenerated[-1]


def test_serve_names_a_taken_port(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        result = subprocess.run(
            [sys.executable, "-m", "generator", "serve", "--port", str(port)],
            cwd=project, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert result.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("rel", "watched"),
    [
        ("articles/x.md", True),
        ("articles/x.txt", True),
        ("articles/x.notes.yml", True),
        ("articles/x.anchors.yml", False),  # the regeneration writes it itself
        ("rules/newsroom.yml", True),
        ("entities.yml", True),
        ("articles/.x.md.swp", False),
        ("articles/x.md~", False),
        ("articles/originals/x.html", False),
        ("site_src/about.md", False),  # read by the engine, not the generator (is_site_file)
        ("mkdocs.yml", False),
        ("site/index.html", False),
    ],
)
def test_which_changes_regenerate_pages(tmp_path: Path, rel: str, watched: bool) -> None:
    assert is_source(Settings.load(tmp_path), tmp_path / rel) is watched


def test_a_regeneration_counts_its_warnings_as_publishing_does(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = project / "articles" / f"{SLUG}.md"
    article.write_text(article.read_text(encoding="utf-8").replace("Kalifa Haftar", "Khalifa Haftar"), encoding="utf-8")
    assert Preview(Settings.load(project), tmp_path / "preview").rebuild()
    err = capsys.readouterr().err
    assert "note 'haftar-spelling': moved: the note now marks \"Khalifa Haftar\"" in err
    assert "1 warning: a push would be refused (publishing runs with --strict); fix it first." in err
    assert f"articles/{SLUG}.anchors.yml" in err.split("Regenerated: ", 1)[1]


@pytest.mark.parametrize(
    ("rel", "watched"),
    [
        ("site_src/about.md", True),
        ("site_src/guide/adding-notes.md", True),
        ("site_src/assets/archive.css", True),
        ("mkdocs.yml", True),
        ("overrides/main.html", True),
        ("site_src/articles/x/index.md", False),  # generated: the generator writes it
        ("site_src/index.md", False),
        ("site_src/.tmp-abc", False),
        ("site/index.html", False),
        ("articles/x.md", False),
    ],
)
def test_which_changes_rebuild_the_site(tmp_path: Path, rel: str, watched: bool) -> None:
    assert is_site_file(Settings.load(tmp_path), tmp_path / rel) is watched


def test_nothing_of_the_studio_is_in_a_built_site(built_site: Path) -> None:
    # The guides show screenshots of the studio and name its script; what must never be there is
    # the studio itself: its script and style sheet, a page loading them, its token, its routes.
    traces = re.compile(
        rb"<script[^>]*studio\.js|<link[^>]*studio\.css|archive-studio-(?:token|version)|fetch\([^)]*_studio|"
        rb"EventSource\([^)]*_studio"
    )
    site = built_site / "site"
    found = [
        str(path.relative_to(site))
        for path in sorted(site.rglob("*"))
        if path.is_file() and (path.name in ("studio.js", "studio.css") or traces.search(path.read_bytes()))
    ]
    assert not found, found
    assert not [p for p in (built_site / "site_src").rglob("*") if p.name in ("studio.js", "studio.css")]
    # and the check would see it: a served page has every trace
    from generator.commands.studio.app import inject

    assert traces.search(inject((site / "index.html").read_text(), "t", 1).encode())
