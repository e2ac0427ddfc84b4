"""Fault scenarios too slow for the test suite, run with real processes on copies of the archive.

Usage: python bench/faults.py [--rounds N] [--only NAME,...]      (make faults; about 5 minutes)

Scenarios (each prints what it saw and ends with ok or FAILED; the script exits 1 if any failed):

  kill-hook     a bare repository with the archive's hooks; a push whose post-receive hook is
                SIGKILLed while it builds: the build dies with it (no process left), the push ends;
                the next push records the build as interrupted, removes what it left and publishes.
  kill-build    ``archive build`` SIGKILLed N times at growing delays (while the pages are written,
                while MkDocs writes): site/ is intact after each, and the next build succeeds and
                leaves no .site-* folder.
  two-builds    N rounds of two ``archive build`` started at once in one folder: both succeed, one
                waits for the other, nothing is left behind (the survey saw 3 of 10 crash before
                the lock).
  ten-checks    ten ``archive check`` at once on one archive: all agree, no traceback.

The unit-sized versions of these run in the suite (tests/security/test_faults.py,
tests/commands/test_releases.py, tests/commands/test_hooks.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import copy_project  # noqa: E402
from tests.processes import ENV, GIT_ENV, processes_mentioning  # noqa: E402
from tests.processes import retitle as touch  # noqa: E402
from tests.processes import site_signature as signature  # noqa: E402
from tests.processes import start_archive as start  # noqa: E402
from tests.processes import wait_until as shared_wait_until  # noqa: E402


def archive(*args: str, root: Path | None) -> subprocess.CompletedProcess[str]:
    where = ["--root", str(root)] if root is not None else []
    return subprocess.run([sys.executable, "-m", "generator", *args, *where], env=ENV, capture_output=True, text=True)


def git(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    """git as in the tests, but with nothing of this checkout on the path: the hooks must run the installed archive."""
    env = {k: v for k, v in {**os.environ, **GIT_ENV}.items() if k != "PYTHONPATH"}
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {result.stderr}")
    return result


def wait_until(condition: Callable[[], bool], timeout: float = 180.0) -> bool:
    return shared_wait_until(condition, timeout)


class Failed(Exception):
    pass


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise Failed(what)


def built_copy(top: Path) -> Path:
    root = copy_project(top / "archive")
    result = archive("build", root=root)
    expect(result.returncode == 0, f"the first build failed: {result.stderr[-500:]}")
    return root


# ---------------------------------------------------------------------------------------------


def kill_hook(top: Path, rounds: int) -> str:
    bare, work, publish = top / "archive.git", top / "work", top / "www" / "archive"
    git("init", "-q", "--bare", "-b", "main", str(bare), cwd=top)
    installed = archive("hooks", "install", str(bare), "--publish", str(publish), root=None)
    expect(installed.returncode == 0, installed.stderr)
    git("clone", "-q", str(bare), str(work), cwd=top)
    git("symbolic-ref", "HEAD", "refs/heads/main", cwd=work)
    copy_project(work)
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", "The archive", cwd=work)
    releases = publish.with_name("archive.releases")
    env = {k: v for k, v in {**os.environ, **GIT_ENV}.items() if k != "PYTHONPATH"}
    push = subprocess.Popen(["git", "push", "origin", "main"], cwd=work, env=env, stderr=subprocess.PIPE, text=True)
    expect(wait_until(lambda: any(releases.glob(".build-*/site_src/articles"))), "the post-receive build never started")
    hook = processes_mentioning(f"hooks post-receive --publish {publish}")
    expect(bool(hook), "no post-receive hook process found")
    time.sleep(1.0)
    for pid in hook:
        os.kill(pid, signal.SIGKILL)
    push.communicate(timeout=180)
    gone = wait_until(lambda: not processes_mentioning(f"{releases}/.build-"), timeout=20)
    expect(gone, f"build processes outlived the killed hook: {processes_mentioning(str(releases))}")
    log = (releases / "publish.log").read_text(encoding="utf-8")
    expect("building" in log.splitlines()[-1], f"the log should end with the unfinished build: {log[-300:]}")
    touch(work, "Again")
    git("commit", "-q", "-am", "Again", cwd=work)
    second = git("push", "origin", "main", cwd=work, check=False)
    expect(second.returncode == 0, second.stderr)
    log = (releases / "publish.log").read_text(encoding="utf-8")
    expect("was interrupted (the hook was stopped before it finished)" in log, f"no 'interrupted' in the log: {log}")
    expect("interrupted" in second.stderr, "the next push does not say so")
    tip = git("rev-parse", "HEAD", cwd=work).stdout.strip()
    expect(publish.is_symlink() and Path(os.readlink(publish)).name == tip, "the next push is not published")
    left = sorted(p.name for p in releases.glob(".*") if p.name != ".lock")
    expect(not left, f"left behind: {left}")
    return f"hook killed during its build; no process left; next push logged 'interrupted' and published {tip[:12]}"


def kill_build(top: Path, rounds: int) -> str:
    root = built_copy(top)
    seen = []
    for number in range(rounds):
        before = signature(root / "site")
        touch(root, f"Killed{number}")
        build = start("build", root=root)
        time.sleep(0.5 + number * 1.0)  # from the pages being written to MkDocs writing the site
        if build.poll() is not None:  # an incremental build can end before the kill: then it is published whole
            build.communicate(timeout=60)
            expect(build.returncode == 0, f"the build ended by itself and failed: {build.returncode}")
            seen.append("finished before the kill")
            continue
        phase = "MkDocs writing" if any(root.glob(".site*")) else "generating"
        os.kill(build.pid, signal.SIGKILL)
        build.communicate(timeout=60)
        expect(wait_until(lambda: not processes_mentioning(f"{root}/.site"), timeout=20), "MkDocs outlived the kill")
        expect(signature(root / "site") == before, f"site/ changed after a kill while {phase}")
        seen.append(phase)
        result = archive("build", root=root)
        expect(result.returncode == 0, f"the build after a kill failed: {result.stderr[-800:]}")
        expect("Traceback" not in result.stderr, result.stderr)
        expect(not list(root.glob(".site*")), f"left behind: {[p.name for p in root.glob('.site*')]}")
    return f"{rounds} kills ({', '.join(seen)}): site/ intact each time, the next build clean"


def two_builds(top: Path, rounds: int) -> str:
    root = built_copy(top)
    waited = 0
    for number in range(rounds):
        touch(root, f"Twice{number}")
        builds = [start("build", root=root) for _ in range(2)]
        outputs = [b.communicate(timeout=600) for b in builds]
        codes = [b.returncode for b in builds]
        text = "".join(out + err for out, err in outputs)
        expect(codes == [0, 0], f"round {number}: exit codes {codes}: {text[-800:]}")
        expect("Traceback" not in text, text)
        waited += "waiting for another build" in text
        expect(not list(root.glob(".site*")), f"round {number}: left behind {[p.name for p in root.glob('.site*')]}")
        expect(f"Twice{number}" in (root / "site" / "index.html").read_text(encoding="utf-8"), "site not updated")
    return f"{rounds} rounds of two builds: all succeeded, one waited for the other in {waited}, nothing left"


def ten_checks(top: Path, rounds: int) -> str:
    root = built_copy(top)
    checks = [start("check", "-q", root=root) for _ in range(10)]
    outputs = [c.communicate(timeout=600) for c in checks]
    expect(all(c.returncode == 0 for c in checks), f"exit codes {[c.returncode for c in checks]}")
    expect(not any("Traceback" in out + err for out, err in outputs), "a traceback")
    return "ten checks at once agree"


SCENARIOS: dict[str, Callable[[Path, int], str]] = {
    "kill-hook": kill_hook,
    "kill-build": kill_build,
    "two-builds": two_builds,
    "ten-checks": ten_checks,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the repeated scenarios (default 5)")
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    options = parser.parse_args()
    chosen = [name for name in SCENARIOS if not options.only or name in options.only.split(",")]
    failed = 0
    for name in chosen:
        started = time.monotonic()
        top = Path(tempfile.mkdtemp(prefix=f"archive-faults-{name}-"))
        try:
            said, verdict = SCENARIOS[name](top, options.rounds), "ok"
        except (Failed, RuntimeError, subprocess.TimeoutExpired) as exc:
            said, verdict = str(exc), "FAILED"
            failed += 1
        finally:
            shutil.rmtree(top, ignore_errors=True)
        print(f"{name:<11} {verdict:<6} {time.monotonic() - started:6.1f} s  {said}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
