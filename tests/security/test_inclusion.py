"""File-inclusion probes: snippet lines in articles and pages never pull a file into the site."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..conftest import run_archive

MARKER = "SECRET-b41c07e2-must-not-leak"


def _probe_lines(project: Path) -> list[str]:
    """``--8<--`` lines naming the secret by absolute, relative, sibling-folder and symlinked
    paths, in each of the forms pymdownx.snippets understands."""
    paths = [
        str(project / "secret.txt"),
        "secret.txt",
        "../secret.txt",
        "../../secret.txt",
        "private/secret.txt",
        "../private/secret.txt",
        "linked-secret.txt",
        "site_src/linked-dir/secret.txt",
    ]
    lines = []
    for path in paths:
        lines += [f'--8<-- "{path}"', f"--8<-- {path}", f";--8<-- {path}"]
    lines += ["--8<--", *paths, "--8<--"]  # block form
    return lines


def _fenced(lines: list[str]) -> str:
    return "```text\n" + "\n".join(lines) + "\n```"


@pytest.fixture
def probed(project: Path, tmp_path: Path) -> Path:
    (project / "secret.txt").write_text(MARKER + "\n", encoding="utf-8")
    (project / "private").mkdir()
    (project / "private" / "secret.txt").write_text(MARKER + "\n", encoding="utf-8")
    os.symlink(project / "private" / "secret.txt", project / "linked-secret.txt")
    lines = _probe_lines(project)
    body = "\n\n".join(lines) + "\n\n" + _fenced(lines) + "\n"
    for suffix in (".md", ".txt"):
        article = f"---\ntitle: Inclusion probe {suffix}\n---\n\n{body}"
        (project / "articles" / f"inclusion-probe{suffix.replace('.', '-')}{suffix}").write_text(
            article, encoding="utf-8"
        )
    (project / "site_src" / "probe.md").write_text("# Probe\n\n" + body, encoding="utf-8")
    return project


def _leaks(site: Path) -> list[str]:
    return [
        str(path.relative_to(site))
        for path in site.rglob("*")
        if path.is_file() and MARKER.encode() in path.read_bytes()
    ]


def test_no_file_content_reaches_the_site(probed: Path) -> None:
    run_archive("build", "--strict", cwd=probed, check=True)
    site = probed / "site"
    assert (site / "search" / "search_index.json").is_file()
    assert _leaks(site) == []
    # The probe lines are shown as the text they are.
    page = (site / "articles" / "inclusion-probe-md" / "index.html").read_text(encoding="utf-8")
    assert "--8&lt;-- &quot;secret.txt&quot;" in page or '--8&lt;-- "secret.txt"' in page
    assert "--8&lt;--" in (site / "probe" / "index.html").read_text(encoding="utf-8")


def test_snippets_extension_cannot_be_switched_on(probed: Path) -> None:
    config = probed / "mkdocs.yml"
    extra = (
        "  - pymdownx.snippets:\n      base_path: ['.']\n      restrict_base_path: false\n      check_paths: false\n"
    )
    config.write_text(config.read_text(encoding="utf-8") + extra, encoding="utf-8")
    result = run_archive("build", cwd=probed)
    assert result.returncode == 1
    assert "pymdownx.snippets is not allowed" in result.stderr
    assert not (probed / "site").exists() or _leaks(probed / "site") == []


def test_symlinked_folder_in_docs_cannot_leak(probed: Path) -> None:
    os.symlink(probed / "private", probed / "site_src" / "linked-dir")
    result = run_archive("build", cwd=probed)
    assert result.returncode == 1
    assert "site_src/linked-dir: symbolic links are not allowed in the docs folder" in result.stderr
    assert not (probed / "site").exists()


def test_symlinked_article_is_refused(probed: Path) -> None:
    os.symlink(probed / "secret.txt", probed / "articles" / "linked.md")
    result = run_archive("build", cwd=probed)
    assert result.returncode == 1
    assert "articles/linked.md: symbolic links are not read" in result.stderr
