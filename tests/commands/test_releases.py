"""The releases folder of a self-hosted site after a hook was killed mid-build: the next run
records the build as interrupted, ends its processes (only its own), and removes what it left.
Real processes; the whole story with git and a killed hook is in bench/faults.py."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from generator.commands import releases
from generator.commands.releases import Target, recover, unfinished

OLD, NEW, OTHER = "b" * 40, "a" * 40, "c" * 40


def test_a_build_that_never_ended_is_found_in_the_log() -> None:
    log = (
        "2026-01-01T00:00:00Z building aaaaaaaaaaaa\n"
        "2026-01-01T00:00:09Z built aaaaaaaaaaaa\n"
        "2026-01-01T00:01:00Z building cccccccccccc\n"
        "    INFO - an indented line of a build's output\n"
    )
    assert unfinished(log) == "cccccccccccc"
    assert unfinished(log + "2026-01-01T00:02:00Z build of cccccccccccc FAILED; the site online stays at x.\n") is None
    assert unfinished(log + "2026-01-01T00:02:00Z build of cccccccccccc was interrupted (…)\n") is None
    assert unfinished("") is None


def test_recover_records_the_interrupted_build_and_ends_only_its_processes(tmp_path: Path) -> None:
    target = Target(tmp_path / "www" / "archive")
    (target.releases / OLD).mkdir(parents=True)
    os.symlink(f"archive.releases/{OLD}", target.publish)
    releases.log(target, f"building {NEW[:12]}", tell=False)
    work = target.releases / f"{releases.BUILD_PREFIX}{NEW}"
    (work / ".site-x1").mkdir(parents=True)
    (target.releases / ".site-x2").mkdir()
    build = subprocess.Popen(["sleep", "300"], cwd=work, start_new_session=True)
    unrelated = subprocess.Popen(["sleep", "300"], cwd=tmp_path, start_new_session=True)
    (target.releases / f"{releases.BUILD_PREFIX}{NEW}.pid").write_text(f"{build.pid}\n")
    # A pid file of a long-gone build whose number now belongs to another process: left alone.
    (target.releases / f"{releases.BUILD_PREFIX}{OTHER}.pid").write_text(f"{unrelated.pid}\n")
    try:
        recover(target)
        assert build.wait(timeout=10) == -signal.SIGKILL, "the orphaned build is ended"
        assert unrelated.poll() is None, "a process outside the build's folder is not touched"
    finally:
        for process in (build, unrelated):
            if process.poll() is None:
                process.kill()
                process.wait()
    log = target.log.read_text(encoding="utf-8")
    assert (
        f"build of {NEW[:12]} was interrupted (the hook was stopped before it finished); "
        f"the site online stayed at {OLD[:12]}" in log
    )
    assert sorted(p.name for p in target.releases.iterdir()) == [OLD, "publish.log"]
    recover(target)  # nothing more to say the second time
    assert target.log.read_text(encoding="utf-8") == log
