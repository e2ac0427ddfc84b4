"""Self-hosted publishing, end to end: a bare repository with the archive's hooks, a clone, and
real pushes. A good push is published; a push with a broken source is rejected with the check's
messages and the site online does not change; a failed build keeps the last good site."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ..conftest import copy_project, run_archive
from ..processes import GIT_ENV, git

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Change:
    """Files an editor changes in one commit, and what must follow."""

    files: dict[str, str | None]
    """Relative path → new content (None deletes the file)."""
    page: str = ""
    """For a good change: the published page (relative URL) that must show :attr:`expect`."""
    expect: list[str] = field(default_factory=list)
    """Texts that must appear: on :attr:`page` for a good change, in ``git push``'s output for a bad one."""


NEW_ARTICLE = """\
---
title: Harbour reopens after storm
publisher: Coastal Courier
date: 2026-11-20
---
The harbour at Port Ellery reopened on Friday after the storm surge of last week.

Fishing crews returned to the quays before dawn, and the ferry to Inishmore sailed on time.
"""

GOOD_CHANGES = {
    "new article": Change(
        files={"articles/2026-11-20-harbour-reopens.md": NEW_ARTICLE},
        page="articles/2026-11-20-harbour-reopens/",
        expect=["Port Ellery reopened on Friday", "the ferry to Inishmore sailed on time"],
    ),
    # Once notes land, a note is one more entry here, e.g.:
    # "new note": Change(files={"articles/<slug>.notes.yml": NOTES}, page="articles/<slug>/", expect=[note text]),
}

BROKEN_CHANGES = {
    "malformed front matter": Change(
        files={"articles/2026-11-21-broken.md": "---\ntitle: [unclosed\n---\nSome article text.\n"},
        expect=["articles/2026-11-21-broken.md:2", "the value of 'title' starts with [, which YAML reads as a list"],
    ),
    "unknown front matter key": Change(
        files={"articles/2026-11-21-broken.md": "---\ntitel: A typo\n---\nSome article text.\n"},
        expect=["articles/2026-11-21-broken.md:2", "titel"],
    ),
    # Once notes land: a note whose quote is not in its article, expecting "<slug>.notes.yml:<line>".
}


@dataclass(frozen=True)
class Server:
    """A bare repository with the hooks installed, publishing into :attr:`publish`, and an editor's clone."""

    bare: Path
    work: Path
    publish: Path

    @property
    def log(self) -> Path:
        return self.publish.with_name(self.publish.name + ".releases") / "publish.log"

    def commit(self, files: dict[str, str | None], message: str = "Edit") -> str:
        for rel, text in files.items():
            path = self.work / rel
            if text is None:
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
        git("add", "-A", cwd=self.work)
        git("commit", "-q", "-m", message, cwd=self.work)
        return git("rev-parse", "HEAD", cwd=self.work).stdout.strip()

    def push(self) -> subprocess.CompletedProcess[str]:
        return git("push", "origin", "main", cwd=self.work, check=False)

    def tip(self) -> str:
        return git("rev-parse", "main", cwd=self.bare).stdout.strip()

    def published(self) -> str:
        """The commit whose build is online (the link's target)."""
        return Path(os.readlink(self.publish)).name

    def page(self, url: str) -> str:
        return (self.publish / url / "index.html").read_text(encoding="utf-8")


def make_server(tmp_path: Path, *install_args: str, init: tuple[str, ...] = ("-b", "main")) -> Server:
    bare = tmp_path / "archive.git"
    git("init", "-q", "--bare", *init, str(bare), cwd=tmp_path)
    publish = tmp_path / "www" / "archive"
    run_archive("hooks", "install", str(bare), "--publish", str(publish), *install_args, cwd=tmp_path, check=True)
    work = tmp_path / "work"
    git("clone", "-q", str(bare), str(work), cwd=tmp_path)
    git("symbolic-ref", "HEAD", "refs/heads/main", cwd=work)
    copy_project(work)
    return Server(bare, work, publish)


@pytest.fixture
def server(tmp_path: Path) -> Server:
    """The bundled archive, pushed once and published."""
    server = make_server(tmp_path)
    first = server.commit({}, "The archive")
    result = server.push()
    assert result.returncode == 0, result.stderr
    assert server.published() == first
    assert "Tobruk parliament" in server.page("articles/2017-07-12-us-looks-to-escalate-involvement-in-libya/")
    return server


def test_install_writes_executable_hooks_that_use_this_python(server: Server) -> None:
    for name in ("pre-receive", "post-receive"):
        hook = server.bare / "hooks" / name
        assert os.access(hook, os.X_OK)
        text = hook.read_text()
        assert "-m generator hooks " + name in text
        assert "--publish " + str(server.publish) in text
    assert server.publish.is_symlink()
    assert not Path(os.readlink(server.publish)).is_absolute(), "the link should survive moving the folder"


def test_install_refuses_a_repository_with_a_work_tree(tmp_path: Path) -> None:
    git("init", "-q", str(tmp_path / "plain"), cwd=tmp_path)
    result = run_archive("hooks", "install", "plain", "--publish", "www", cwd=tmp_path)
    assert result.returncode == 1
    assert "not a bare git repository" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", GOOD_CHANGES)
def test_push_publishes_the_change(server: Server, name: str) -> None:
    change = GOOD_CHANGES[name]
    before = server.published()
    commit = server.commit(change.files, name)
    result = server.push()
    assert result.returncode == 0, result.stderr
    assert f"remote: archive: published {commit[:12]}" in result.stderr
    assert server.published() == commit != before
    page = server.page(change.page)
    for text in change.expect:
        assert text in page
    assert (server.publish / "index.html").is_file()


@pytest.mark.parametrize("name", BROKEN_CHANGES)
def test_push_with_a_broken_source_is_rejected(server: Server, name: str) -> None:
    change = BROKEN_CHANGES[name]
    tip, published = server.tip(), server.published()
    server.commit(change.files, name)
    result = server.push()
    assert result.returncode != 0
    assert "pre-receive hook declined" in result.stderr
    for text in change.expect:
        assert text in result.stderr  # the editor reads the check's message in git push's output
    assert "rejected: 'archive check' found problems" in result.stderr
    assert server.tip() == tip, "the branch must not move"
    assert server.published() == published, "the site online must not change"


def test_failed_build_keeps_the_last_good_site_and_logs_why(server: Server) -> None:
    # The sources pass `archive check`, but MkDocs --strict fails on the hand-written page's dead link.
    good = server.published()
    bad = server.commit({"site_src/guide/links.md": "# Links\n\nSee [the missing page](missing.md).\n"}, "Dead link")
    result = server.push()
    assert result.returncode == 0, "the push itself is accepted: the sources are valid"
    assert server.tip() == bad
    assert server.published() == good
    assert "Tobruk parliament" in server.page("articles/2017-07-12-us-looks-to-escalate-involvement-in-libya/")
    log = server.log.read_text()
    assert f"build of {bad[:12]} FAILED; the site online stays at {good[:12]}" in log
    assert "missing.md" in log  # MkDocs' own words about why
    # The push output says it plainly: the branch moved, the site did not, and why.
    said = [
        line.removeprefix("remote: ").rstrip() for line in result.stderr.splitlines() if line.startswith("remote: ")
    ]
    accepted = f"your push was accepted (main is now {bad[:12]}), but the site was NOT updated"
    assert f"archive: {accepted}: the build of {bad[:12]} FAILED." in said
    assert f"archive: The site online stays at {good[:12]}." in said
    why = said[said.index("archive: Why:") + 1 :]
    assert any("guide/links.md" in line and "missing.md" in line for line in why), said
    assert not any(" INFO " in line or line.strip().startswith("INFO") for line in said), "MkDocs' INFO lines are noise"
    assert f"the full log is in {server.log}" in result.stderr

    # The fix is published, and the failed build left nothing behind.
    fixed = server.commit({"site_src/guide/links.md": None}, "Remove the dead link")
    assert server.push().returncode == 0
    assert server.published() == fixed
    releases = server.log.parent
    assert not list(releases.glob(".build-*"))
    assert not (releases / bad).exists()


def test_quick_pushes_build_one_at_a_time_and_old_builds_are_pruned(tmp_path: Path) -> None:
    server = make_server(tmp_path, "--keep", "2")
    first = server.commit({}, "The archive")
    assert server.push().returncode == 0
    second = server.commit({"articles/2026-11-20-harbour-reopens.md": NEW_ARTICLE}, "Second")
    slow = subprocess.Popen(
        ["git", "push", "origin", "main"], cwd=server.work, env={**os.environ, **GIT_ENV},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        # The ref moves before post-receive starts building; push again while it builds.
        deadline = time.monotonic() + 60
        while server.tip() != second and time.monotonic() < deadline and slow.poll() is None:
            time.sleep(0.05)
        third = server.commit({"articles/2026-11-20-harbour-reopens.md": NEW_ARTICLE.replace("Friday", "Sunday")})
        assert server.push().returncode == 0
    finally:
        _out, err = slow.communicate(timeout=120)
    assert slow.returncode == 0, err
    assert server.published() == third
    assert "reopened on Sunday" in server.page("articles/2026-11-20-harbour-reopens/")

    # The log shows each build finished before the next one started.
    building = None
    for line in server.log.read_text().splitlines():
        words = line.split()
        if len(words) < 3:
            continue  # MkDocs output of a failed build, indented
        if words[1] == "building":
            assert building is None, f"two builds at once: {building} and {words[2]}"
            building = words[2]
        elif words[1] == "built" or words[1:3] == ["build", "of"]:
            assert building is not None and building == words[2 if words[1] == "built" else 3]
            building = None
    releases = sorted(p.name for p in server.log.parent.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert len(releases) <= 2 and third in releases and first not in releases


def test_hooks_run_without_the_installers_environment(server: Server) -> None:
    # A server's git runs hooks with a bare environment: no PYTHONPATH, no virtualenv on PATH.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(server.work), **GIT_ENV}
    commit = server.commit({"articles/2026-11-20-harbour-reopens.md": NEW_ARTICLE}, "From a bare shell")
    result = subprocess.run(
        [shutil.which("git") or "git", "push", "origin", "main"],
        cwd=server.work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert server.published() == commit


def test_a_plain_bare_repository_publishes_the_branch_editors_push(tmp_path: Path) -> None:
    # `git init --bare` names master as its default branch; editors push main. Pushed under a
    # strict umask, the published files must still be readable by a web server of another user.
    server = make_server(tmp_path, init=())
    assert git("symbolic-ref", "HEAD", cwd=server.bare).stdout.strip() == "refs/heads/master"
    server.commit({"articles/2026-11-21-broken.md": "---\ntitle: [unclosed\n---\nSome article text.\n"}, "Broken")
    rejected = server.push()
    assert rejected.returncode != 0, "the first push of main is checked"
    assert "articles/2026-11-21-broken.md:2" in rejected.stderr
    good = server.commit({"articles/2026-11-21-broken.md": None}, "Fixed")
    result = git("push", "origin", "main", cwd=server.work, check=False, umask=0o077)
    assert result.returncode == 0, result.stderr
    assert server.published() == good
    assert "main is now the repository's default branch" in result.stderr
    assert git("symbolic-ref", "HEAD", cwd=server.bare).stdout.strip() == "refs/heads/main"
    release = server.publish.resolve()
    modes = {p: p.stat().st_mode & 0o777 for p in [release, *release.rglob("*")]}
    wrong = {str(p.relative_to(release)): oct(m) for p, m in modes.items() if m != (0o755 if p.is_dir() else 0o644)}
    assert not wrong, wrong


def test_a_push_to_a_branch_that_is_not_published_says_so(tmp_path: Path) -> None:
    server = make_server(tmp_path, "--branch", "main")
    server.commit({"articles/2026-11-21-broken.md": "---\ntitle: [unclosed\n---\nSome article text.\n"}, "Draft")
    result = git("push", "origin", "main:draft", cwd=server.work, check=False)
    assert result.returncode == 0
    assert "remote: archive: draft is not published (this server publishes main); it was accepted without checks." in (
        result.stderr
    )
    assert not server.publish.exists()


def test_a_push_that_changes_the_code_is_rejected_and_its_code_never_runs(tmp_path: Path) -> None:
    server = make_server(tmp_path)
    marker = tmp_path / "PUSHED-CODE-RAN"
    code = f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n"
    server.commit({"generator/__init__.py": "", "generator/__main__.py": code}, "Code")
    result = server.push()
    assert result.returncode != 0
    assert "rejected: it changes the archive's code (generator/__init__.py, generator/__main__.py, " in result.stderr
    assert "--allow-code-changes" in result.stderr
    assert not marker.exists(), "the pushed code must not run on the server"
    assert not server.publish.exists()


def test_the_hooks_run_the_installed_archive_with_nothing_of_the_push_on_the_path(server: Server) -> None:
    for name in ("pre-receive", "post-receive"):
        text = (server.bare / "hooks" / name).read_text()
        assert " -P -m generator hooks " in text, "-P: the pushed tree is never on Python's path"
        assert "--allow-code-changes" not in text


def test_a_tree_is_exported_whole_when_git_writes_its_last_padding_late(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tarfile stops reading at a tar's end mark; git may still be writing zero blocks after it
    (under load, a push to a busy server). The export reads them too, so git ends well: closing
    the pipe under it ended git by SIGPIPE, and the push was refused with "status -13"."""
    from generator.commands.hooks import export_tree

    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo)
    (repo / "articles").mkdir()
    (repo / "articles" / "a.md").write_text(NEW_ARTICLE, encoding="utf-8")
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "one article", cwd=repo)
    commit = git("rev-parse", "HEAD", cwd=repo).stdout.strip()
    # git, with its archive's last zero record written half a second after the rest.
    real = shutil.which("git")
    slow = tmp_path / "bin" / "git"
    slow.parent.mkdir()
    slow.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = archive ]; then "{real}" "$@" > "{tmp_path}/t.tar" || exit $?; '
        f'cat "{tmp_path}/t.tar"; sleep 0.5; head -c 10240 /dev/zero; exit $?; fi\n'
        f'exec "{real}" "$@"\n',
        encoding="utf-8",
    )
    slow.chmod(0o755)
    monkeypatch.setenv("PATH", f"{slow.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.chdir(repo)
    dest = tmp_path / "out"
    dest.mkdir()
    export_tree(commit, dest)
    assert (dest / "articles" / "a.md").read_text(encoding="utf-8") == NEW_ARTICLE
