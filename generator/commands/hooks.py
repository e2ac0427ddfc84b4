"""Publishing from a git server: hooks that check every push and publish every good commit.

``archive hooks install REPO --publish DIR`` writes two hooks into a bare repository:

- ``pre-receive`` exports the pushed commit into a temporary folder and runs ``archive check``
  there; if it fails, git rejects the push and the editor reads the check's messages in the output
  of ``git push``.
- ``post-receive`` builds the branch's new tip into a fresh folder ``<DIR>.releases/<commit>/``,
  then points the symbolic link *DIR* at it in one atomic step (``os.replace`` of a new link). A
  failed build leaves the link, so the last good site stays online, and the reason is written to
  ``<DIR>.releases/publish.log``. A lock file serialises the builds of quick successive pushes,
  and only the newest few releases are kept.

The hooks run the archive with the Python that installed them, so the server needs no other setup.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click

from generator.errors import PublishError
from generator.settings import child_environment
from generator.util.files import atomic_write

HOOKS = ("pre-receive", "post-receive")
DEFAULT_KEEP = 5
"""How many built sites to keep by default (the published one and the newest others)."""
LOG_NAME = "publish.log"
LOCK_NAME = ".lock"
BUILD_PREFIX = ".build-"


@dataclass(frozen=True)
class Target:
    """Where a self-hosted archive is published."""

    publish: Path
    """The symbolic link the web server serves; it points at one folder of :attr:`releases`."""
    branch: str
    """The full name of the branch that is checked and published, e.g. ``refs/heads/main``."""
    keep: int = DEFAULT_KEEP
    """How many built sites to keep in :attr:`releases`, the published one included."""

    @property
    def releases(self) -> Path:
        """The folder beside :attr:`publish` holding one built site per commit, the log and the lock."""
        return self.publish.with_name(self.publish.name + ".releases")

    @property
    def log(self) -> Path:
        return self.releases / LOG_NAME

    @property
    def lock(self) -> Path:
        return self.releases / LOCK_NAME


@dataclass(frozen=True)
class RefUpdate:
    """One line of what git feeds a pre- or post-receive hook: a ref moved from one commit to another."""

    old: str
    """The commit the ref pointed at before the push (all zeros if the ref is new)."""
    new: str
    """The commit the ref points at after the push (all zeros if the ref is deleted)."""
    ref: str
    """The full ref name, e.g. ``refs/heads/main``."""

    @property
    def deleted(self) -> bool:
        return set(self.new) == {"0"}


def read_updates(lines: Iterable[str]) -> list[RefUpdate]:
    """Parse the ``<old> <new> <ref>`` lines git writes to a receive hook's standard input."""
    updates = []
    for line in lines:
        parts = line.split()
        if len(parts) == 3:
            updates.append(RefUpdate(*parts))
    return updates


# ---------------------------------------------------------------------------------------------
# Installing


def install_hooks(repo: Path, publish: Path, branch: str | None = None, keep: int = DEFAULT_KEEP) -> Target:
    """Write the pre- and post-receive hooks into the bare repository *repo*; return the target."""
    repo = repo.resolve()
    bare = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--is-bare-repository"], capture_output=True, text=True, check=False
    )
    if bare.returncode != 0 or bare.stdout.strip() != "true":
        raise PublishError("not a bare git repository; create one with 'git init --bare' and push to it", repo)
    if branch is None:
        head = subprocess.run(["git", "-C", str(repo), "symbolic-ref", "HEAD"], capture_output=True, text=True)
        branch = head.stdout.strip() or "refs/heads/main"
    elif not branch.startswith("refs/"):
        branch = f"refs/heads/{branch}"
    target = Target(Path(os.path.abspath(publish)), branch, keep)
    if target.publish.exists() and not target.publish.is_symlink():
        raise PublishError(
            "already exists and is not a symbolic link; the hooks publish by replacing a link, "
            "so move it away or choose another --publish path",
            target.publish,
        )
    target.releases.mkdir(parents=True, exist_ok=True)
    hooks_dir = repo / "hooks"
    hooks_dir.mkdir(exist_ok=True)
    for name in HOOKS:
        atomic_write(hooks_dir / name, hook_script(name, target), mode=0o755)
    return target


def hook_script(name: str, target: Target) -> str:
    """The shell script of hook *name*: it runs this archive with this Python."""
    package_parent = Path(__file__).resolve().parents[2]
    command = [
        sys.executable, "-m", "generator", "hooks", name,
        "--publish", str(target.publish), "--branch", target.branch, "--keep", str(target.keep),
    ]  # fmt: skip
    what = {
        "pre-receive": f"checks every push to {target.branch} with 'archive check' and rejects it if that fails",
        "post-receive": f"builds {target.branch} and publishes it at {target.publish}",
    }[name]
    return (
        "#!/bin/sh\n"
        f"# Written by 'archive hooks install': {what}.\n"
        "# Run that command again to change it.\n"
        f"PYTHONPATH={shlex.quote(str(package_parent))} exec {shlex.join(command)}\n"
    )


# ---------------------------------------------------------------------------------------------
# Running an archive command on a commit


def git(*args: str) -> subprocess.CompletedProcess[str]:
    """Run git in the hook's repository, with the environment git gave the hook.

    In a pre-receive hook the pushed objects are still in quarantine; the variables git sets for
    the hook are what makes them readable.
    """
    return subprocess.run(["git", *args], capture_output=True, text=True, check=False)


def export_tree(commit: str, dest: Path) -> None:
    """Write the files of *commit* into the folder *dest* (like a checkout, without ``.git``)."""
    process = subprocess.Popen(["git", "archive", "--format=tar", commit], stdout=subprocess.PIPE)
    assert process.stdout is not None
    try:
        with tarfile.open(fileobj=process.stdout, mode="r|") as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(dest, filter="data")
            else:  # Python < 3.11.4; the tree comes from the repository being published
                tar.extractall(dest)
    except (tarfile.TarError, OSError) as exc:
        process.kill()
        raise PublishError(f"could not export commit {commit}: {exc}") from None
    finally:
        process.stdout.close()
        process.wait()
    if process.returncode != 0:
        raise PublishError(f"'git archive {commit}' failed with status {process.returncode}")


def run_archive(root: Path, *args: str, epoch: int | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``archive ARGS --root .`` in *root* with this Python, outside the hook's git environment."""
    env = child_environment(**({"SOURCE_DATE_EPOCH": str(epoch)} if epoch is not None else {}))
    return subprocess.run(
        [sys.executable, "-m", "generator", *args, "--root", "."],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _output(result: subprocess.CompletedProcess[str]) -> str:
    return "\n".join(line for line in (result.stdout + result.stderr).splitlines() if line.strip())


# ---------------------------------------------------------------------------------------------
# pre-receive


def pre_receive(updates: list[RefUpdate], target: Target) -> bool:
    """Check the commit pushed to the published branch; print the problems; True if it may land."""
    for update in updates:
        if update.ref != target.branch or update.deleted:
            continue
        with tempfile.TemporaryDirectory(prefix="archive-check-") as tmp:
            export_tree(update.new, Path(tmp))
            result = run_archive(Path(tmp), "check", "--quiet", "--strict")
        if result.returncode != 0:
            click.echo(_output(result), err=True)
            click.echo(
                f"archive: push to {update.ref} rejected: 'archive check' found problems in {update.new[:12]}. "
                "Fix them, commit, and push again.",
                err=True,
            )
            return False
        click.echo(f"archive: {update.new[:12]} checked, no problems found.", err=True)
    return True


# ---------------------------------------------------------------------------------------------
# post-receive


@contextmanager
def locked(target: Target) -> Iterator[None]:
    """Hold the publishing lock: one build and switch at a time, the others wait their turn."""
    target.releases.mkdir(parents=True, exist_ok=True)
    with open(target.lock, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            click.echo("archive: waiting for the build of an earlier push to finish", err=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def published_commit(target: Target) -> str | None:
    """The commit whose site is online, from the link's target, or None before the first publish."""
    if not target.publish.is_symlink():
        return None
    return Path(os.readlink(target.publish)).name


def log(target: Target, message: str) -> None:
    """Append a time-stamped entry to the publish log and tell the pusher."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with open(target.log, "a", encoding="utf-8") as handle:
        handle.write(f"{stamp} {message}\n")
    click.echo(f"archive: {message.splitlines()[0]}", err=True)


def post_receive(updates: list[RefUpdate], target: Target) -> bool:
    """Publish the branch's tip if this push moved it; True if the site online is its tip."""
    if not any(u.ref == target.branch and not u.deleted for u in updates):
        return True
    with locked(target):
        # Read the tip under the lock: when pushes overtake each other, the newest commit wins.
        tip = git("rev-parse", "--verify", "--quiet", f"{target.branch}^{{commit}}").stdout.strip()
        if not tip:
            return True
        if published_commit(target) == tip:
            log(target, f"{tip[:12]} is already published")
            return True
        return publish(tip, target)


def publish(commit: str, target: Target) -> bool:
    """Build *commit* into its own release folder and switch the site to it; hold the lock."""
    for stale in target.releases.glob(BUILD_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)  # left by an interrupted build
    release = target.releases / commit
    if not (release / "index.html").is_file():
        log(target, f"building {commit[:12]}")
        started = time.perf_counter()
        work = target.releases / f"{BUILD_PREFIX}{commit}"
        try:
            work.mkdir()
            export_tree(commit, work)
            epoch = git("log", "-1", "--format=%ct", commit).stdout.strip()
            result = run_archive(work, "build", "--strict", epoch=int(epoch) if epoch.isdigit() else None)
            if result.returncode != 0:
                kept = published_commit(target)
                log(
                    target,
                    f"build of {commit[:12]} FAILED; the site online stays at {kept[:12] if kept else 'nothing'}.\n"
                    + _indent(_output(result)),
                )
                click.echo(_output(result), err=True)
                return False
            shutil.rmtree(release, ignore_errors=True)
            os.replace(work / "site", release)
            os.chmod(release, 0o755)  # MkDocs builds into a private temporary folder; the web server must read it
        except PublishError as exc:
            log(target, f"build of {commit[:12]} FAILED: {exc.format_message()}")
            return False
        finally:
            shutil.rmtree(work, ignore_errors=True)
        log(target, f"built {commit[:12]} in {time.perf_counter() - started:.1f} s")
    else:
        os.utime(release)  # published again: the newest for pruning
    switch(target, release)
    log(target, f"published {commit[:12]} at {target.publish}")
    prune(target)
    return True


def switch(target: Target, release: Path) -> None:
    """Point the published link at *release* in one step: readers see the old site or the new one."""
    if target.publish.exists() and not target.publish.is_symlink():
        raise PublishError("is not a symbolic link; move it away so the site can be published there", target.publish)
    link = target.publish.with_name(f".{target.publish.name}.{os.getpid()}.link")
    if link.is_symlink():
        link.unlink()
    os.symlink(os.path.relpath(release, target.publish.parent), link)
    os.replace(link, target.publish)


def prune(target: Target) -> list[Path]:
    """Remove all but the newest :attr:`Target.keep` releases, never the published one."""
    current = published_commit(target)
    releases = [p for p in target.releases.iterdir() if p.is_dir() and not p.name.startswith(".")]
    releases.sort(key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
    removed = []
    kept = 0
    for release in releases:
        if release.name == current or kept < target.keep - 1:
            kept += release.name != current
            continue
        shutil.rmtree(release)
        removed.append(release)
    return removed


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())
