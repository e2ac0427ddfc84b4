"""Building the site from the docs folder: only what changed when the last site allows it, else
in full into a fresh folder.

**Only what changed** (MkDocs with Pagefind, the same code, configuration, theme files and
hand-written pages as the last build, and that build's site in place): the files of the docs
folder whose size or time differ from what the last build saw (the record's ``built`` table)
are handed to a dirty MkDocs build (:mod:`generator.engines.mkdocs_dirty`) into the standby copy
of the site (:mod:`generator.output.generations`); the site files of removed pages are removed;
Pagefind indexes the changed pages into its delta bundle (:func:`generator.engines.pagefind.update_index`);
the feeds are written again; and the standby copy trades places with ``site/`` in one step.

**In full** otherwise (and always with Zensical, whose own cache does not make a small change
cheap, and below the Pagefind threshold, where Material's search index must hold every page):
the engine and Pagefind build a fresh folder, which is swapped into place.

Either way the served site never changes while a build runs, and a failed build leaves it as it
was.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.engines import pagefind
from generator.engines.mkdocs_dirty import all_built
from generator.engines.pagefind import build_with_search, pagefind_config, uses_pagefind
from generator.engines.run import failure_message
from generator.errors import BuildError, WriteError
from generator.output import generations, runstate
from generator.output.docs import SITE_TEMP_PREFIX, Stats, scan_docs
from generator.output.epoch import source_date_epoch
from generator.output.record import Record
from generator.paths import GENERATED, site_file
from generator.render.feeds import write_feeds
from generator.settings import Settings, child_environment
from generator.stages.entity_cache import cache_dir
from generator.stages.modelinfo import package_version
from generator.util.files import FOLDER_MODE, make_readable, os_reason
from generator.util.process import die_with_parent

ENGINE_PACKAGES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "pagefind", "zensical")


@dataclass
class EngineReport:
    """What the engine step did."""

    full: bool = True
    """Whether the whole site was built (else only what changed)."""
    why: str = ""
    """Why a full build, in the user's words."""
    rendered: list[str] = field(default_factory=list)
    """The site's HTML pages the engine wrote."""
    removed: list[str] = field(default_factory=list)
    indexed_pages: int = 0
    """Pages Pagefind read."""
    indexed_bytes: int = 0
    """Bytes of the pages Pagefind read."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall-clock seconds of each part."""
    given: tuple[int, int] | None = None
    """How many files of the docs folder MkDocs was given, of how many (after a build of only what changed)."""


def engine_context(settings: Settings, docs: Stats, searched: bool) -> str:
    """What every page of the built site depends on besides its own docs file: the run's context
    (code, settings, model), ``mkdocs.yml``, the theme's overrides, the hooks, the hand-written
    pages and assets, the engine's and the theme's versions, and which search is used."""
    digest = hashlib.sha256(runstate.context_digest(settings).encode())
    digest.update(f"\x00search={searched}\x00".encode())
    for package in ENGINE_PACKAGES:
        digest.update(f"{package}={package_version(package)}\x00".encode())
    if settings.config.is_file():
        digest.update(settings.config.read_bytes())
    for name in ("overrides", "hooks"):
        for path in sorted((settings.root / name).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"\x00{name}/{path.relative_to(settings.root / name).as_posix()}\x00".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    for rel in sorted(docs):
        if rel.split("/", 1)[0] not in GENERATED:
            digest.update(f"\x00docs/{rel}\x00".encode())
            digest.update(hashlib.sha256((settings.docs / rel).read_bytes()).digest())
    return digest.hexdigest()


def build_engine(
    settings: Settings, articles: int, docs: Stats | None, use_cache: bool, feeds: Callable[[Record], tuple[Any, Any]]
) -> EngineReport:
    """Build the site of the docs folder into ``site/``; *feeds* gives the feeds' summaries and notes."""
    docs = scan_docs(settings.docs) if docs is None else docs
    searched = uses_pagefind(settings, articles)
    context = engine_context(settings, docs, searched)
    epoch = source_date_epoch(settings)
    with Record.open(settings.root, runstate.context_digest(settings)) as record:
        previous = record.built()
        why = _why_full(settings, record, context, searched, use_cache)
        if why:
            report = _full(settings, articles, epoch, feeds, record)
            report.why = why
        else:
            report = _dirty(settings, docs, epoch, feeds, record, previous)
        record.set_built(docs, previous)
        record.set_meta("built", context)
        record.set_meta("site", generations.identity(settings.site))
    return report


def _why_full(settings: Settings, record: Record, context: str, searched: bool, use_cache: bool) -> str:
    if not use_cache:
        return "--no-cache"
    if settings.engine != "mkdocs":
        return f"the {settings.engine} engine builds every page"
    if not searched:
        return "Material's search index must hold every page"
    if not record.meta("built"):
        return "no earlier build is recorded"
    if record.meta("built") != context:
        return "the code, the configuration, the theme or a hand-written page changed"
    if not settings.site.is_dir():
        return "there is no site/ to start from"
    if record.meta("site") != generations.identity(settings.site):
        return "site/ is not the one the last build made"
    if not record.meta("search"):
        return "the search index is not known"
    return ""


def _feeds(
    settings: Settings, site: Path, epoch: str, feeds: Callable[[Record], tuple[Any, Any]], record: Record
) -> list[str]:
    # Feeds are XML, which the docs folder refuses (see generator.render.feeds): written after the engine.
    if not settings.site_url:
        return []
    summaries, notes_of = feeds(record)
    return write_feeds(site, summaries, notes_of, settings.site_name, settings.site_url, epoch)


def _full(
    settings: Settings, articles: int, epoch: str, feeds: Callable[[Record], tuple[Any, Any]], record: Record
) -> EngineReport:
    report, started = EngineReport(), time.perf_counter()
    try:
        temp = Path(tempfile.mkdtemp(prefix=SITE_TEMP_PREFIX, dir=settings.root))
    except OSError as exc:
        raise WriteError(f"cannot start the build: {os_reason(exc)}", settings.root) from None
    try:
        # SOURCE_DATE_EPOCH: the dates the engine writes (sitemap) come from the sources, not the clock.
        state = build_with_search(settings, temp, articles, env={"SOURCE_DATE_EPOCH": epoch})
        _feeds(settings, temp, epoch, feeds, record)
        make_readable(temp)  # 0755/0644 whatever the umask: a web server may run as another user
        report.seconds["build"] = time.perf_counter() - started
        old = generations.put_in_place(temp, settings.site)
    except OSError as exc:
        generations.remove(temp)
        raise _site_error(exc, settings) from None
    except BaseException:
        generations.remove(temp)
        raise
    generations.remove(old)
    standby = settings.root / generations.STANDBY
    generations.remove(standby)
    record.set_meta("search", json.dumps(state) if state else "")
    record.set_meta("standby", "")
    if state is not None and settings.engine == "mkdocs":
        # The next build that changes a few pages will write into this copy (made now, off its way).
        started = time.perf_counter()
        generations.link_copy(settings.site, standby)
        record.set_meta("standby", generations.identity(standby))
        record.set_meta("standby_diff", "[]")
        report.seconds["standby"] = time.perf_counter() - started
    return report


def _site_error(exc: OSError, settings: Settings) -> WriteError:
    return WriteError(
        f"cannot write the built site: {os_reason(exc)}. Free some space and build again; "
        "the published site was not changed",
        settings.site,
    )


def _readable_folders(site: Path, written: list[str]) -> None:
    """Give the folders holding *written* (new ones among them) the published mode."""
    folders = {Path(rel).parent for rel in written}
    for folder in sorted({parent for f in folders for parent in (f, *f.parents)}):
        path = site / folder
        if path.is_dir() and not path.is_symlink():
            os.chmod(path, FOLDER_MODE)


def _dirty(
    settings: Settings,
    docs: Stats,
    epoch: str,
    feeds: Callable[[Record], tuple[Any, Any]],
    record: Record,
    built: dict[str, tuple[int, int]],
) -> EngineReport:
    """Build only what changed since the site was built from the docs files *built*."""
    report, clock = EngineReport(full=False), time.perf_counter()
    changed = sorted(rel for rel, stat in docs.items() if built.get(rel) != stat)
    removed = sorted(rel for rel in built if rel not in docs)
    live, standby = settings.site, settings.root / generations.STANDBY
    if record.meta("standby") == generations.identity(standby) and standby.is_dir():
        generations.resync(live, standby, json.loads(record.meta("standby_diff") or "[]"))
    else:
        generations.remove(standby)
        generations.link_copy(live, standby)
    report.seconds["standby"], clock = time.perf_counter() - clock, time.perf_counter()
    written: list[str] = []
    try:
        if changed:
            # The same pages as the last site (none added, none removed): MkDocs may be given
            # only those the changed ones need (see generator.engines.mkdocs_dirty).
            same = not any(rel.endswith(".md") for rel in removed) and all(
                rel in built for rel in changed if rel.endswith(".md")
            )
            written, given = _mkdocs_dirty(settings, standby, docs, changed, epoch, same)
            report.given = (given, len(docs))
        report.seconds["mkdocs"], clock = time.perf_counter() - clock, time.perf_counter()
        gone = [site_file(rel) for rel in removed]
        for rel in gone:
            (standby / rel).unlink(missing_ok=True)
        report.rendered = sorted(rel for rel in written if rel.endswith(".html"))
        report.removed = gone
        state = json.loads(record.meta("search") or "{}")
        updated = pagefind.update_index(standby, state, report.rendered, gone)
        if updated is None:  # the delta grew too large: index everything again
            for folder in standby.glob("pagefind*"):
                generations.remove(folder)
            state = pagefind.index_site(standby, settings.pagefind_shard)
            report.indexed_pages = len(pagefind.searched(standby))
        else:
            state, report.indexed_bytes = updated
            report.indexed_pages = len(state["delta"])  # type: ignore[arg-type]
        report.seconds["pagefind"], clock = time.perf_counter() - clock, time.perf_counter()
        feeds_written = _feeds(settings, standby, epoch, feeds, record)
        _readable_folders(standby, written)
        for folder in standby.glob(f"{pagefind.DELTA}*"):
            make_readable(folder)
    except OSError as exc:
        record.set_meta("standby", "")
        raise _site_error(exc, settings) from None
    except BaseException:
        # The standby copy may now differ anywhere: the next build makes it again.
        record.set_meta("standby", "")
        raise
    generations.put_in_place(standby, live)
    report.seconds["swap"] = time.perf_counter() - clock
    # The old site is the standby copy now: it differs from the new one where this build wrote.
    search_folders = sorted({p.name + "/" for p in (*live.glob("pagefind*"), *standby.glob("pagefind*"))})
    diff = sorted({*written, *gone, *feeds_written, pagefind.BUNDLES, *search_folders})
    record.set_meta("standby", generations.identity(standby))
    record.set_meta("standby_diff", json.dumps(diff))
    record.set_meta("search", json.dumps(state))
    return report


def _templates(settings: Settings) -> Path:
    """Where the compiled templates of the theme are kept, one folder per Jinja and Python."""
    import platform

    version = f"jinja2-{package_version('jinja2')}-{platform.python_implementation()}-{platform.python_version()}"
    return cache_dir(settings.root) / "templates" / version


def _mkdocs_dirty(
    settings: Settings, site: Path, docs: Stats, changed: list[str], epoch: str, same_pages: bool
) -> tuple[list[str], int]:
    with (
        pagefind_config(settings.config) as config,
        tempfile.NamedTemporaryFile("w", suffix=".json", dir=settings.root, prefix=".dirty-", delete=False) as job,
    ):
        files = sorted(docs)
        # Absolute paths: the child runs in the archive's folder, which --root may name relatively.
        json.dump(
            {"config": str(config.resolve()), "site": str(site.resolve()), "files": files, "changed": changed,
             "strict": settings.strict, "same_pages": same_pages, "templates": str(_templates(settings).resolve())},
            job,
        )  # fmt: skip
        job.close()
        try:
            # -P: the archive's folder is not put on sys.path (see generator.engines.run); the
            # engine dies with the build that started it.
            command = [sys.executable, "-P", "-m", "generator.engines.mkdocs_dirty", job.name]
            env = child_environment(SOURCE_DATE_EPOCH=epoch)
            child = subprocess.Popen(
                command, cwd=settings.root, env=env, text=True, preexec_fn=die_with_parent,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )  # fmt: skip
            try:
                # Whether the site holds every file, found here while MkDocs is imported there.
                verdict = "1\n" if same_pages and all_built(str(site), files) else "0\n"
                stdout, stderr = child.communicate(verdict)
            except BaseException:
                child.kill()
                child.communicate()
                raise
        finally:
            os.unlink(job.name)
    if child.returncode != 0:
        raise BuildError(failure_message("MkDocs", stdout + stderr), settings.config)
    said = json.loads(stdout.strip().splitlines()[-1])
    return said["written"], said["given"]
