"""Publishing from a git server: hooks that check every push and publish every good commit.

``archive hooks install REPO --publish DIR`` writes two hooks into a bare repository:

- ``pre-receive`` exports the pushed commit into a temporary folder and runs ``archive check``
  there; if it fails, git rejects the push and the editor reads the check's messages in the output
  of ``git push``. A push to a branch that is not published is accepted without checks, and the
  push output says so.
- ``post-receive`` builds the branch's new tip into a fresh folder ``<DIR>.releases/<commit>/``,
  then points the symbolic link *DIR* at it in one atomic step (:mod:`generator.commands.releases`).
  A failed build leaves the link, so the last good site stays online; the push output says so
  and why, and the log ``<DIR>.releases/publish.log`` keeps the whole story.

Both hooks run the archive **installed on the server** on the pushed *data*: the pushed tree is
never put on Python's path, and a push that changes code the build would run (``generator/``,
``hooks/``, ``overrides/``, the code settings of ``mkdocs.yml``: :mod:`generator.commands.trusted_code`)
is rejected, unless the operator installed the hooks with ``--allow-code-changes``.

Which branch is published: the one given with ``--branch``, else the repository's default branch
(its ``HEAD``). A repository made with a plain ``git init --bare`` names ``master`` as its default
before anything is pushed; when editors push ``main`` instead, the first branch pushed becomes the
default branch and is published.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import click

from generator.commands import releases
from generator.commands.releases import Target
from generator.commands.trusted_code import INSTALLED, code_changes
from generator.engines.run import engine_messages
from generator.errors import PublishError
from generator.settings import child_environment
from generator.util.files import atomic_write
from generator.util.process import die_with_parent

HOOKS = ("pre-receive", "post-receive")
ZERO = "0" * 40


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


def run_hook(name: str, lines: Iterable[str], target: Target) -> bool:
    """Run the hook *name* (``pre-receive`` or ``post-receive``) on the ref updates git wrote
    (*lines*); True if all went well. A failure of the system (a folder the hook cannot write, no
    temporary folder) is a :class:`PublishError` naming it, never a traceback in the push output;
    in ``pre-receive`` it rejects the push."""
    try:
        updates = read_updates(lines)
        return (pre_receive if name == "pre-receive" else post_receive)(updates, target)
    except OSError as exc:
        raise PublishError(
            f"the {name} hook could not run: {releases.os_words(exc)}; ask the server's operator to fix it"
        ) from None
    except UnicodeDecodeError:
        raise PublishError(f"the {name} hook could not read the ref updates git gave it (not text)") from None


def short(ref: str) -> str:
    """``refs/heads/main`` → ``main``."""
    return ref.removeprefix("refs/heads/")


def say(message: str) -> None:
    """A line for the pusher (git shows it in the output of ``git push`` as ``remote: …``)."""
    for line in message.splitlines():
        click.echo(f"archive: {line}", err=True)


# ---------------------------------------------------------------------------------------------
# Installing


def install_hooks(
    repo: Path, publish: Path, branch: str | None = None, keep: int = releases.DEFAULT_KEEP, allow_code: bool = False
) -> Target:
    """Write the pre- and post-receive hooks into the bare repository *repo*; return the target.

    Without *branch*, the hooks follow the repository's default branch (see the module's text)."""
    repo = repo.resolve()
    bare = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--is-bare-repository"],
        capture_output=True,
        text=True,
        check=False,
        env=child_environment(),
    )
    if bare.returncode != 0 or bare.stdout.strip() != "true":
        raise PublishError("not a bare git repository; create one with 'git init --bare' and push to it", repo)
    if branch is not None:
        name = branch.removeprefix("refs/heads/")
        valid = subprocess.run(
            ["git", "check-ref-format", "--branch", name], capture_output=True, text=True, env=child_environment()
        )
        if valid.returncode != 0 or not name:
            raise PublishError(f"--branch {branch!r} is not a branch name git accepts; give one such as main")
        branch = f"refs/heads/{name}"
    target = Target(releases.absolute(publish), branch, keep, allow_code)
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


def default_branch() -> tuple[str, bool]:
    """The repository's default branch (what ``HEAD`` names) and whether it has commits."""
    head = git("symbolic-ref", "-q", "HEAD").stdout.strip() or "refs/heads/main"
    exists = git("rev-parse", "--verify", "-q", f"{head}^{{commit}}").returncode == 0
    return head, exists


def published_branch(target: Target, updates: list[RefUpdate]) -> str:
    """The branch this push is checked and published on: ``--branch``, else the default branch;
    when that has no commits yet (a new repository), the branch this push creates (``main``
    before ``master`` if it creates several)."""
    if target.branch:
        return target.branch
    head, exists = default_branch()
    if exists:
        return head
    created = [u.ref for u in updates if u.ref.startswith("refs/heads/") and not u.deleted]
    if head in created or not created:
        return head
    if len(created) == 1:
        return created[0]
    return next((ref for ref in ("refs/heads/main", "refs/heads/master") if ref in created), created[0])


def hook_script(name: str, target: Target) -> str:
    """The shell script of hook *name*: it runs this archive with this Python."""
    command = [sys.executable, "-P", "-m", "generator", "hooks", name, "--publish", str(target.publish)]
    if target.branch:
        command += ["--branch", target.branch]
    command += ["--keep", str(target.keep)] + (["--allow-code-changes"] if target.allow_code else [])
    branch = target.branch or "the repository's default branch"
    what = {
        "pre-receive": f"checks every push to {branch} with 'archive check' and rejects it if that fails",
        "post-receive": f"builds {branch} and publishes it at {target.publish}",
    }[name]
    return (
        "#!/bin/sh\n"
        f"# Written by 'archive hooks install': {what}.\n"
        "# Run that command again to change it.\n"
        f"PYTHONPATH={shlex.quote(str(INSTALLED))} exec {shlex.join(command)}\n"
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
        # tarfile stops at the archive's end mark; git may still be writing the padding after it,
        # and closing the pipe under it would end git by SIGPIPE (status -13: a push refused).
        while process.stdout.read(1 << 16):
            pass
    except (tarfile.TarError, OSError) as exc:
        process.kill()
        raise PublishError(f"could not export commit {commit}: {exc}") from None
    finally:
        process.stdout.close()
        process.wait()
    if process.returncode != 0:
        raise PublishError(f"'git archive {commit}' failed with status {process.returncode}")


def run_archive(
    root: Path, *args: str, epoch: int | None = None, code: Path | None = None, pid_file: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``archive ARGS --root .`` on the tree *root*, outside the hook's git environment.

    The archive run is the one installed on this server (``-P``: the tree is not on Python's
    path, though it is the working folder), unless *code* names a tree whose ``generator/`` the
    operator allowed. It runs in its own process group, which dies with the hook (the group's id
    is written to *pid_file* while it runs, so that a later run can end it if it outlived a
    killed hook)."""
    changes = {"PYTHONPATH": str(code if code is not None else INSTALLED)}
    if epoch is not None:
        changes["SOURCE_DATE_EPOCH"] = str(epoch)
    process = subprocess.Popen(
        [sys.executable, "-P", "-m", "generator", *args, "--root", "."],
        cwd=root,
        env=child_environment(**changes),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
        preexec_fn=die_with_parent,
    )
    try:
        if pid_file is not None:
            atomic_write(pid_file, f"{process.pid}\n")
        out, err = process.communicate()
    except BaseException:
        releases.end_group(process.pid)
        process.wait()
        raise
    finally:
        if pid_file is not None:
            pid_file.unlink(missing_ok=True)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def own_code(tree: Path, changed: list[str]) -> Path | None:
    """The tree whose ``generator/`` runs for a push that changes code (allowed by the operator):
    the pushed one if it has one, else the installed one (None)."""
    return tree if changed and (tree / "generator" / "__init__.py").is_file() else None


def _output(result: subprocess.CompletedProcess[str]) -> str:
    return "\n".join(line for line in (result.stdout + result.stderr).splitlines() if line.strip())


def _code_refusal(changed: list[str], ref: str) -> str:
    listed = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
    return (
        f"push to {short(ref)} rejected: it changes the archive's code ({listed}), which this server would run. "
        "The server builds changes to articles, notes, the registry, the rules and the hand-written pages "
        "with the archive installed on it. Ask the server's operator to update the archive there (or to "
        "allow code changes: archive hooks install … --allow-code-changes), then push again."
    )


# ---------------------------------------------------------------------------------------------
# pre-receive


def pre_receive(updates: list[RefUpdate], target: Target) -> bool:
    """Check the commit pushed to the published branch; print the problems; True if it may land.

    Pushes to other refs are accepted without checks, and the pusher is told so."""
    branch = published_branch(target, updates)
    accepted = True
    for update in updates:
        if update.deleted:
            if update.ref == branch:
                say(f"{short(update.ref)} was deleted; the site online does not change.")
            continue
        if update.ref != branch:
            say(
                f"{short(update.ref)} is not published (this server publishes {short(branch)}); "
                "it was accepted without checks."
            )
            continue
        with tempfile.TemporaryDirectory(prefix="archive-check-") as tmp:
            export_tree(update.new, Path(tmp))
            changed = code_changes(Path(tmp))
            if changed and not target.allow_code:
                say(_code_refusal(changed, update.ref))
                accepted = False
                continue
            result = run_archive(Path(tmp), "check", "--quiet", "--strict", code=own_code(Path(tmp), changed))
        if result.returncode != 0:
            click.echo(_output(result), err=True)
            say(
                f"push to {update.ref} rejected: 'archive check' found problems in {update.new[:12]}. "
                "Fix them, commit, and push again."
            )
            accepted = False
            continue
        say(f"{update.new[:12]} checked, no problems found.")
    return accepted


# ---------------------------------------------------------------------------------------------
# post-receive


def post_receive(updates: list[RefUpdate], target: Target) -> bool:
    """Publish the branch's tip if this push moved it; True if the site online is its tip."""
    branch = published_branch(target, updates)
    if not any(u.ref == branch and not u.deleted for u in updates):
        return True
    with releases.locked(target):
        releases.recover(target)
        if target.branch is None:
            head, exists = default_branch()
            if not exists and head != branch and git("symbolic-ref", "HEAD", branch).returncode == 0:
                releases.log(target, f"{short(branch)} is now the repository's default branch (the first pushed)")
        # Read the tip under the lock: when pushes overtake each other, the newest commit wins.
        tip = git("rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}").stdout.strip()
        if not tip:
            return True
        if releases.published_commit(target) == tip:
            releases.log(target, f"{tip[:12]} is already published")
            return True
        return publish(tip, target, branch)


def publish(commit: str, target: Target, branch: str = "") -> bool:
    """Build *commit* into its own release folder and switch the site to it; hold the lock."""
    release = target.releases / commit
    if not (release / "index.html").is_file():
        releases.log(target, f"building {commit[:12]}")
        work = target.releases / f"{releases.BUILD_PREFIX}{commit}"
        try:
            work.mkdir()
            export_tree(commit, work)
            changed = code_changes(work)
            if changed and not target.allow_code:
                return _failed(target, commit, branch, [_code_refusal(changed, branch or "the branch")])
            epoch = git("log", "-1", "--format=%ct", commit).stdout.strip()
            result = run_archive(
                work,
                "build",
                "--strict",
                epoch=int(epoch) if epoch.isdigit() else None,
                code=own_code(work, changed),
                pid_file=target.releases / f"{releases.BUILD_PREFIX}{commit}.pid",
            )
            if result.returncode != 0:
                return _failed(target, commit, branch, _reasons(result.stdout + result.stderr), result)
            if not (work / "site" / "index.html").is_file():
                return _failed(target, commit, branch, ["the build finished but made no site (no site/index.html)"])
            releases.install_release(work / "site", release)
        except (PublishError, OSError) as exc:
            reason = exc.format_message() if isinstance(exc, PublishError) else releases.os_words(exc)
            return _failed(target, commit, branch, [reason])
        finally:
            releases.remove_tree(work)
        releases.log(target, f"built {commit[:12]}")
    releases.publish_release(target, release)
    return True


NOT_A_REASON = re.compile(r"could not build the site; the previous site is kept\.$|^[\d,]+ problems? found\.$")
"""Lines of a failed build's output that only say that it failed."""


def _reasons(output: str) -> list[str]:
    """Why a build failed, from its output: the engine's warnings and errors and the archive's
    messages (see :func:`generator.engines.run.engine_messages`)."""
    lines = (line.removeprefix("Error: ") for line in engine_messages(output))
    return [line for line in lines if not NOT_A_REASON.search(line)]


def _failed(
    target: Target,
    commit: str,
    branch: str,
    why: list[str],
    result: subprocess.CompletedProcess[str] | None = None,
) -> bool:
    """Record and say that the build of *commit* failed: the push stands, the site does not move."""
    kept = releases.published_commit(target)
    stays = kept[:12] if kept else "nothing (no build has succeeded yet)"
    full = _output(result) if result is not None else "\n".join(why)
    releases.log(
        target,
        f"build of {commit[:12]} FAILED; the site online stays at {stays}.\n" + releases.indent(full),
        tell=False,
    )
    reasons = why or ["(the build gave no reason; see the log)"]
    say(
        f"your push was accepted ({short(branch) or 'the branch'} is now {commit[:12]}), but the site was NOT "
        f"updated: the build of {commit[:12]} FAILED.\n"
        f"The site online stays at {stays}.\n"
        "Why:\n" + "\n".join(f"    {line}" for line in reasons) + "\n"
        f"Fix it and push again; the full log is in {target.log}."
    )
    return False
