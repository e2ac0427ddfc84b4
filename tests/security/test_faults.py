"""Faults while a build runs: a kill, Ctrl-C, SIGTERM, two builds at once, a full disk.

Each uses real processes (a fresh interpreter, MkDocs as its child), a real lock, and a real
small file system (a tmpfs mounted for the test; skipped, with the reason, where the machine does
not allow mounting). The published ``site/`` must come through each exactly as it was, nothing
half-written may stay behind, and the next plain build must succeed. Longer and repeated runs of
these are in ``bench/faults.py`` (``make faults``).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.commands.synth import make_archive

from ..conftest import REPO, copy_project, run_archive
from ..processes import processes_mentioning, retitle, start_archive, wait_until
from ..processes import site_signature as signature

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("faults") / "archive")
    run_archive("build", cwd=root, check=True)
    return root


@pytest.fixture
def archive(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(built, root, symlinks=True)
    return root


def mkdocs_writing(root: Path) -> bool:
    return any(any(site.rglob("*.html")) for site in root.glob(".site-*"))


def stop_while_mkdocs_writes(root: Path, how: str) -> str:
    """Start a build of *root*, stop it with *how* while MkDocs writes the site; its stderr."""
    build = start_archive("build", root=root)
    try:
        assert wait_until(lambda: mkdocs_writing(root) or build.poll() is not None), "MkDocs never started writing"
        assert build.poll() is None, build.communicate()
        if how == "SIGINT":
            os.killpg(build.pid, signal.SIGINT)  # Ctrl-C in a terminal reaches the whole group
        else:
            os.kill(build.pid, getattr(signal, how))
        _out, err = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    assert build.returncode != 0
    assert "Traceback" not in err
    # MkDocs dies with the build that started it, whatever stopped the build.
    assert wait_until(lambda: not processes_mentioning(f"{root}/.site-"), timeout=15), "MkDocs kept running"
    return err


def test_a_killed_build_leaves_the_site_and_the_next_build_cleans_up(archive: Path) -> None:
    before = signature(archive / "site")
    retitle(archive, "Stopped")
    stop_while_mkdocs_writes(archive, "SIGKILL")
    assert signature(archive / "site") == before
    assert not list(archive.rglob(".tmp-*"))
    (archive / ".zensical-99999.yml").write_text("site_dir: /tmp/x\n")  # as a killed Zensical build leaves it
    result = run_archive("build", cwd=archive)
    assert result.returncode == 0, result.stderr
    assert not list(archive.glob(".site*")), "the next build removes what the killed one left"
    assert not list(archive.glob(".zensical-*"))
    assert "Stopped" in (archive / "site" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM"])
def test_ctrl_c_or_sigterm_end_a_build_in_order(archive: Path, how: str) -> None:
    before = signature(archive / "site")
    retitle(archive, "Stopped")
    err = stop_while_mkdocs_writes(archive, how)
    assert signature(archive / "site") == before
    assert not list(archive.glob(".site-*")), f"the half-built site is removed at once: {err}"
    assert not list(archive.rglob(".tmp-*"))


def test_two_builds_at_once_take_turns(archive: Path) -> None:
    retitle(archive, "Twice")
    first = start_archive("build", root=archive)
    assert wait_until(lambda: (archive / ".archive-cache" / "build.lock").exists() or first.poll() is not None)
    second = start_archive("build", root=archive)
    results = [process.communicate(timeout=300) for process in (first, second)]
    outputs = [out + err for out, err in results]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert not any("Traceback" in output for output in outputs)
    assert any("waiting for another build of this archive to finish" in output for output in outputs), outputs
    assert not list(archive.glob(".site*")), "no half site and no old site left"
    assert "Twice" in (archive / "site" / "index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# A full disk: a small tmpfs, mounted for the test


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of 24 MB mounted at a fresh folder (skipped where mounting is not allowed)."""
    point = tmp_path / "disk"
    point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): {mounted.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill *disk* but *leave* bytes; return the filler file (delete it to free the space)."""
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free
    with open(filler, "wb") as handle:
        handle.write(b"\0" * max(0, free - leave))
    return filler


def test_a_full_disk_while_pages_are_written_is_a_clear_error(small_disk: Path, built: Path) -> None:
    root = small_disk / "archive"
    copy_project(root)
    shutil.copytree(built / ".archive-cache" / "mentions", root / ".archive-cache" / "mentions")
    filler = fill(small_disk, 150_000)  # room for the sources' reading, not for the 700 KB of pages
    result = run_archive("generate", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot write this page: the disk is full" in result.stderr
    assert "the published site/ was not changed" in result.stderr
    assert not list(root.rglob(".tmp-*")), "no temporary file left behind"
    filler.unlink()
    assert run_archive("generate", cwd=root).returncode == 0


def test_a_full_disk_while_mkdocs_writes_keeps_the_site(small_disk: Path, built: Path) -> None:
    root = small_disk / "archive"
    copy_project(root)
    shutil.copytree(built / ".archive-cache" / "mentions", root / ".archive-cache" / "mentions")
    assert run_archive("build", cwd=root).returncode == 0
    before = signature(root / "site")
    retitle(root, "Full")
    filler = fill(small_disk, 2_000_000)  # room for the pages, not for a second 4 MB site
    result = run_archive("build", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "the disk is full" in result.stderr and "the published site was not changed" in result.stderr
    assert signature(root / "site") == before
    assert not list(root.glob(".site-*")) and not list(root.rglob(".tmp-*"))
    filler.unlink()
    assert run_archive("build", cwd=root).returncode == 0
    assert "Full" in (root / "site" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def many_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 synthetic articles (some 1,900 pages, most of them rendered by worker processes),
    generated once: the model's mentions are in the cache."""
    root = tmp_path_factory.mktemp("many") / "archive"
    make_archive(root, 300, REPO, words=120)
    run_archive("generate", cwd=root, check=True)
    return root


def _stop_when_workers_run(root: Path, how: str, *args: str, env: dict[str, str] | None = None) -> str:
    """Start ``archive generate ARGS`` of *root*; once it has forked its workers, stop it with
    *how*; its standard error."""
    run = f"generator generate {' '.join(args)}{' ' if args else ''}--root {root}"  # and its forked workers
    build = start_archive("generate", *args, root=root, env=env)
    try:
        workers = wait_until(lambda: len(processes_mentioning(run)) >= 3 or build.poll() is not None, timeout=300)
        assert workers and build.poll() is None, build.communicate()
        if how == "SIGINT":
            os.killpg(build.pid, signal.SIGINT)  # Ctrl-C in a terminal reaches the workers too
        else:
            os.kill(build.pid, signal.SIGTERM)
        _out, err = build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    assert build.returncode != 0
    assert "Traceback" not in err
    assert wait_until(lambda: not processes_mentioning(run), timeout=15), "a worker kept running"
    return err


def _docs(root: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted((root / "site_src").rglob("*")) if path.is_file()}


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM"])
def test_ctrl_c_or_sigterm_while_workers_render_pages_end_the_run_in_order(
    many_pages: Path, tmp_path: Path, how: str
) -> None:
    root = tmp_path / "archive"
    shutil.copytree(many_pages, root, symlinks=True)
    docs = _docs(root)
    config = root / "mkdocs.yml"  # another site name: every page is rendered again
    config.write_text(re.sub(r"(?m)^site_name: .*$", "site_name: Renamed Archive", config.read_text()))
    _stop_when_workers_run(root, how)
    assert _docs(root) == docs
    assert not list(root.rglob(".tmp-*"))


def test_ctrl_c_while_the_models_workers_read_ends_the_run_in_order(many_pages: Path, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    shutil.copytree(many_pages, root, symlinks=True)
    docs = _docs(root)
    _stop_when_workers_run(root, "SIGINT", "--no-cache", env={"ARCHIVE_PROCESSES": "2"})
    assert _docs(root) == docs
