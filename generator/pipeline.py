"""The pipeline, top to bottom, in the order the code runs:

1. **stage** (:func:`generate`, first pass): read and check the rules and the registry, then
   every article whose files changed since the last run (:mod:`generator.output.record`): read,
   clean, anchor its notes (:mod:`generator.stages.staged`), find its entities
   (:mod:`generator.stages.batches`, the model only for texts the cache does not hold), and
   record what the other pages show of it (:mod:`generator.stages.summary`);
2. **plan and render** (second pass): every page of the site as the function that renders it
   and the values it is given (:mod:`generator.render.plan`); only the pages whose values changed
   are rendered, checked against the sanitiser's allow-list and written aside
   (:class:`generator.output.docs.DocsWriter`), then put in place together; then the anchors
   lock file of each article read (where its notes are now, :mod:`generator.output.locks`);
3. **build** (:func:`build_site`): the site engine and search (:mod:`generator.engines`), only
   for what changed when the last site allows it, the feeds beside them, then the new site
   swapped into place.

Every source that changed is read and checked before any page is written, and every problem is
reported at once; a failed run leaves the docs folder, the site and the record as they were.
Both passes hold one batch of articles, or one page, at a time, so memory does not grow with
the archive. :func:`load` and :func:`render_site` do the same work in memory, for ``archive
check``, ``archive entities`` and the tests.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.errors import ArchiveError, ErrorList, Problem, Report
from generator.inputs import textcheck
from generator.inputs.articles import ORIGINALS_DIR, find_original, find_sources, source_warnings
from generator.inputs.config import check_config
from generator.inputs.registry import Registry, load_registry, registry_warnings
from generator.inputs.rules import Rules, load_rules
from generator.model import AnchorRecord, Article, sort_articles
from generator.output import codec, runstate
from generator.output.docs import DocsListing, DocsWriter, SyncReport, generated, remove_stale_builds
from generator.output.lock import build_lock
from generator.output.locks import digest_with_lock, write_run_locks
from generator.output.record import ArticleRow, Record, passages_digest
from generator.output.runstate import file_sha256, staged_digest
from generator.output.spill import Spill, Values
from generator.render.fragments import note_links
from generator.render.plan import Digests, Group, Original, PageSpec, Ref, Site, flatten, resolve, site_plan
from generator.render.sanitize import check_pages
from generator.settings import Settings
from generator.stages.anchor import AnchoredNote, lock_path
from generator.stages.batches import stage_all
from generator.stages.entities import EntityIndex
from generator.stages.entity_cache import MentionCache, cache_dir, mentions_version, repair_cache_dir
from generator.stages.finders import Finder, LocalFinder, finder_for
from generator.stages.staged import Staged, prepare
from generator.stages.summary import Mentioned, Passage, Summary, summarize
from generator.util.collector import fewer_collections
from generator.util.fingerprint import Fingerprints
from generator.util.forked import FAILED, in_order


@dataclass
class Loaded(Report):
    """Everything read from an archive's sources, in memory, with the problems found on the way."""

    articles: list[Article] = field(default_factory=list)
    entities: EntityIndex = field(default_factory=EntityIndex)
    """The registry and every mention found in the articles."""
    notes: dict[str, list[AnchoredNote]] = field(default_factory=dict)
    """Article slug → its anchored notes, in reading order."""
    analysed: int = 0
    """How many articles the language model read (the others came from the cache)."""
    anchors: dict[str, dict[str, AnchorRecord]] = field(default_factory=dict)
    """Article slug → where each of its notes is now: its anchors lock file after a successful run."""


@dataclass
class Generated(Report):
    """What a run of :func:`generate` did."""

    articles: int = 0
    """How many articles the archive has."""
    staged: int = 0
    """How many of them were read this run (the others had not changed)."""
    analysed: int = 0
    """How many the language model read (the others' mentions came from the cache)."""
    reused: bool = False
    """True when nothing changed since the last run and nothing was read."""
    rendered: int = 0
    """Pages rendered (the others were as the last run made them)."""
    replanned: list[str] = field(default_factory=list)
    """The groups of pages planned again (:class:`generator.render.plan.Group`; the others were as
    the last run recorded them)."""
    summaries: list[Summary] | None = None
    """Every article's summary, in the archive's order (None when reused)."""
    notices: list[str] = field(default_factory=list)
    """What the user should know about the run that is not a problem of the sources."""
    docs: dict[str, tuple[int, int]] | None = None
    """Every file of the docs folder after the run (size, time); None when reused."""
    recorded: list[Path] = field(default_factory=list)
    """The anchors lock files the run wrote or removed (for the editor to commit)."""
    engine: object = None
    """What the engine step did (:class:`generator.engines.incremental.EngineReport`), after a build."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall-clock seconds of the generate and site steps of a build."""


@dataclass
class _Sources:
    rules: Rules | None
    registry: Registry
    usable: bool
    """False when the rules or the registry have errors: the articles can then only be checked."""
    paths: list[Path]
    """Every article file."""


def _sources(settings: Settings, report: Report) -> _Sources:
    """The rules, the registry and the article files, with their problems added to *report*."""
    rules = None
    try:
        report.warnings.extend(repair_cache_dir(settings.root))
        rules = load_rules(settings.rules)
    except ArchiveError as exc:
        report.errors.append(exc)
    registry, registry_errors = load_registry(settings.registry)
    paths, errors = find_sources(settings.articles)
    report.errors.extend(errors)
    report.errors.extend(check_config(settings.root))
    report.errors.extend(registry_errors)
    report.warnings.extend(registry_warnings(settings.registry, registry, registry_errors))
    report.warnings.extend(source_warnings(settings.articles, paths))
    if rules is not None:
        report.warnings.extend(rules.problems)
    checked = [path for path in (*(rules.files if rules else ()), settings.registry) if path.is_file()]
    report.warnings.extend(textcheck.check_files(checked))
    return _Sources(rules, registry, rules is not None and not registry_errors, paths)


def _check_only(sources: _Sources, report: Report) -> None:
    """Read and clean every article only to report its problems too (the rules or the registry
    failed, so nothing more can be done)."""
    if sources.rules is None:
        return
    for path in sources.paths:
        prepared, errors = prepare(path, sources.rules)
        report.errors.extend(errors)
        if prepared is not None:
            report.warnings.extend(prepared.warnings)


def load(settings: Settings, use_cache: bool = True) -> Loaded:
    """Read and stage every article in memory; collect every problem instead of stopping at the first.

    With *use_cache*, the entity stage reuses what the model found in unchanged texts
    (:mod:`generator.stages.entity_cache`); without, it reads nothing from the cache but still
    stores there."""
    loaded = Loaded()
    sources = _sources(settings, loaded)
    if not sources.usable:
        _check_only(sources, loaded)
        return loaded
    registry, staged = sources.registry, []
    assert sources.rules is not None
    cache = MentionCache(cache_dir(settings.root), mentions_version(registry, settings.spacy_model), read=use_cache)
    finder = finder_for(settings, registry, len(sources.paths))
    try:
        counts = stage_all(
            sources.paths, sources.rules, finder, cache, lambda item, _: staged.append(item), loaded.errors
        )
    finally:
        finder.close()
    for item in staged:
        loaded.warnings.extend(item.warnings)
    loaded.warnings.extend(cache.problems)
    loaded.articles = sort_articles(item.article for item in staged)
    loaded.notes = {item.article.slug: list(item.notes) for item in staged if item.notes}
    loaded.anchors = {item.article.slug: item.records for item in staged}
    occurrences = {item.article.slug: item.occurrences for item in staged}
    mentions = {item.article.slug: item.mentions for item in staged}
    loaded.entities = EntityIndex(registry, mentions, occurrences, analysed=counts.analysed)
    loaded.analysed = counts.analysed
    return loaded


def render_site(loaded: Loaded, settings: Settings) -> dict[str, str | bytes]:
    """Every generated page of *loaded*, as relative path → Markdown text (or bytes, for originals)."""
    by_slug = {}
    summaries, digests, passages = [], {}, {}
    for article in loaded.articles:
        item = Staged(article, tuple(loaded.notes.get(article.slug, ())), loaded.entities.occurrences[article.slug], ())
        summary, found = _summarize(item)
        by_slug[article.slug] = item
        summaries.append(summary)
        passages[article.slug] = found
        digests[article.slug] = Digests("", "", {entity: "" for entity in found})

    def lookup(ref: Ref) -> object:
        if ref.kind == "staged":
            return by_slug[ref.slug]
        if ref.kind == "notes":
            return by_slug[ref.slug].notes
        return passages[ref.slug][ref.entity]

    site = Site(summaries, digests, loaded.entities.registry, _originals(settings, summaries, {}), settings.site_name,
                settings.page_size, settings.site_url is not None, settings.site_url)  # fmt: skip
    return {spec.path: spec.render(lookup) for spec in flatten(site_plan(site))}


def _summarize(item: Staged) -> tuple[Summary, dict[str, tuple[Passage, ...]]]:
    """:func:`summarize`, with where each note's link goes on the article page."""
    summary, found = summarize(item)
    links = note_links(item.article, item.notes)
    return replace(summary, notes=tuple(replace(head, link=links[head.id]) for head in summary.notes)), found


def _originals(settings: Settings, summaries: Iterable[Summary], shas: dict[str, str]) -> dict[str, Original]:
    found = {}
    for summary in summaries:
        path = find_original(settings.articles, summary.slug)
        if path is not None:
            rel = path.relative_to(settings.root).as_posix()
            found[summary.slug] = Original(str(path), shas.get(rel) or hashlib.sha256(path.read_bytes()).hexdigest())
    return found


def generate(settings: Settings, use_cache: bool = True) -> tuple[Generated, SyncReport]:
    """Stage the articles that changed, then render and write the pages whose inputs changed.

    With *use_cache*, a run whose inputs and output are as the last successful run left them
    does nothing, and unchanged texts skip the model."""
    with build_lock(settings), fewer_collections():  # one build of an archive at a time (its docs folder, its site/)
        stats = runstate.input_stats(settings)  # listed once: for the fast path and for the run
        reuse = runstate.nothing_changed(settings, stats) if use_cache else None
        if reuse is not None:
            result = Generated(warnings=list(reuse.warnings), articles=reuse.articles, reused=True)
            return result, SyncReport((), reuse.files, ())
        context = runstate.context_digest(settings)
        with (
            DocsListing(settings.docs) as listing,  # listed on another core while the sources are read
            Record.open(settings.root, context, read=use_cache) as record,
            Spill(cache_dir(settings.root)) as spill,
        ):
            result, report = _generate(settings, record, use_cache, spill, stats, listing)
        if record.not_kept is not None:
            result.warnings.append(record.not_kept)
    return result, report


def _generate(
    settings: Settings,
    record: Record,
    use_cache: bool,
    spill: Spill,
    stats: dict[str, tuple[int, int]],
    listing: DocsListing,
) -> tuple[Generated, SyncReport]:
    result = Generated()
    if record.notice:
        result.notices.append(record.notice)
    sources = _sources(settings, result)
    if not sources.usable:
        _check_only(sources, result)
        result.check(settings.strict)
    rules, registry, paths = sources.rules, sources.registry, sources.paths
    assert rules is not None
    global_warnings = list(result.warnings)
    known = record.files()
    shas = {}
    for rel, stat in stats.items():
        old = known.get(rel)
        shas[rel] = old[2] if old is not None and old[:2] == stat else file_sha256(settings.root / rel)
    rules_files = sorted((rel, sha) for rel, sha in shas.items() if rel.startswith("rules/"))
    context = hashlib.sha256(f"{record.context}\x00{rules_files}\x00{registry.matching}".encode()).hexdigest()
    own: dict[str, list[tuple[str, str]]] = {}
    for rel, sha in shas.items():
        slug = runstate.slug_of(rel)
        if slug is not None:
            own.setdefault(slug, []).append((rel, sha))
    rows = record.articles()
    by_slug = {path.stem: path for path in paths}
    wanted = {slug: staged_digest(context, own.get(slug, [])) for slug in by_slug}
    dirty = [by_slug[slug] for slug in sorted(by_slug) if rows.get(slug) is None or rows[slug].staged != wanted[slug]]
    summaries: dict[str, Summary] = {}
    digests: dict[str, Digests] = {}
    warnings: dict[str, list[Problem]] = {}
    mentions: dict[str, Mentioned] = {}
    for slug, row in rows.items():
        if slug in by_slug and row.staged == wanted[slug]:
            try:
                summaries[slug] = codec.summary_value(row.summary, mentions)
                warnings[slug] = codec.warnings_value(row.warnings, settings.root)
            except (ValueError, KeyError, TypeError):
                dirty.append(by_slug[slug])
                continue
            digests[slug] = Digests(row.staged, row.notes, row.passages, row.passages_digest)
    cache = MentionCache(cache_dir(settings.root), mentions_version(registry, settings.spacy_model), read=use_cache)
    cache.used.update(row.cache_key for slug, row in rows.items() if slug in summaries)
    locks: dict[str, tuple[Path, dict[str, AnchorRecord]]] = {}

    def keep(item: Staged, key: str) -> None:
        slug = item.article.slug
        summary, found = _summarize(item)
        text = codec.summary_text(summary)
        notes = codec.notes_text(item.notes, settings.root)
        passages = {entity: codec.passages_text(values) for entity, values in found.items()}
        digested = {entity: codec.digest(found) for entity, found in passages.items()}
        problems = codec.warnings_text(item.warnings, settings.root)
        row = ArticleRow(
            slug, wanted[slug], text, codec.digest(notes), digested, problems, key, passages_digest(digested)
        )
        record.put_article(row, notes, passages, rows.get(slug))
        summaries[slug] = replace(summary, fingerprint=codec.digest(text))
        digests[slug] = Digests(row.staged, row.notes, row.passages, row.passages_digest)
        warnings[slug] = list(item.warnings)
        locks[slug] = (lock_path(item.article), item.records)
        spill.put(slug, item)

    finder = finder_for(settings, registry, len(dirty))
    try:
        counts = stage_all(sorted(set(dirty)), rules, finder, cache, keep, result.errors)
    finally:
        finder.close()
    if getattr(finder, "notice", ""):
        result.notices.append(finder.notice)  # type: ignore[attr-defined]
    for slug in sorted(warnings):
        result.warnings.extend(warnings[slug])
    result.warnings.extend(cache.problems)
    result.check(settings.strict)
    # The docs folder is checked once the sources are (a docs_dir that is not one is said first).
    all_docs = listing.stats()
    docs = generated(all_docs)
    record.drop_articles(slug for slug in rows if slug not in by_slug)
    if counts.staged:
        cache.prune()  # entries of texts and versions no longer in the archive
    for slug, (path, records) in locks.items():  # the pages name what it is made from with its lock
        digests[slug] = replace(
            digests[slug], staged=digest_with_lock(settings.root, context, own.get(slug, []), path, records)
        )
    ordered = sort_articles(summaries.values())  # type: ignore[arg-type]
    result.articles, result.staged, result.analysed, result.summaries = (
        len(ordered),
        counts.staged,
        counts.analysed,
        ordered,
    )
    site = Site(ordered, digests, registry, _originals(settings, ordered, shas), settings.site_name,
                settings.page_size, settings.site_url is not None, settings.site_url)  # fmt: skip
    report, rows, gone, result.rendered, result.replanned = _write_pages(
        settings, record, site, docs, spill, rules, registry, cache, by_slug
    )
    # Only now, the run a success, is where each note is worth remembering (articles/*.anchors.yml).
    staged = {slug: digests[slug].staged for slug in locks}
    result.recorded = write_run_locks(settings.root, record, locks, staged, stats, shas)
    for rel in gone:
        all_docs.pop(rel, None)
    all_docs.update((rel, (size, mtime)) for rel, _, size, mtime in rows)
    result.docs = all_docs
    changed = ((rel, *stats[rel], shas[rel]) for rel in stats if known.get(rel) != (*stats[rel], shas[rel]))
    record.set_files(changed, (rel for rel in known if rel not in stats))
    record.set_meta("warnings", codec.warnings_text(global_warnings, settings.root))
    return result, report


def _write_pages(
    settings: Settings,
    record: Record,
    site: Site,
    docs: dict[str, tuple[int, int]],
    spill: Spill,
    rules: Rules,
    registry: Registry,
    cache: MentionCache,
    paths: dict[str, Path],
) -> tuple[SyncReport, list[tuple[str, str, int, int]], list[str], int, list[str]]:
    """Render, check and write the pages of *site* whose fingerprint changed (planning only the
    groups of pages whose key changed). From :data:`FORK_FROM` pages on, the others are
    rendered and checked in worker processes (:func:`generator.util.forked.in_order`), and
    written here in the same order."""
    restaged: list[Staged] = []
    finder: list[Finder] = []

    def fetch(ref: Ref) -> object:
        """What *ref*'s value is made from: the record's text, the spilled bytes, or the value."""
        if ref.kind != "staged":
            return Values.recorded(ref, record)
        found = spill.data(ref.slug)
        if found is not None:
            return found
        # An unchanged article shown on a page that changed (its neighbour was renamed, say).
        if not finder:
            finder.append(LocalFinder(registry, settings.spacy_model))
        path = paths[ref.slug]
        errors: list[ArchiveError] = []
        stage_all([path], rules, finder[0], cache, lambda item, _: restaged.append(item), errors)
        if errors or not restaged:
            raise ErrorList(errors or [ArchiveError("internal error: an article could not be read again", path)])
        return restaged.pop()

    values = Values(settings.root)
    writer = DocsWriter(settings.docs, record.pages(), docs, lambda rel, page: check_pages({rel: page}))
    fingerprints = Fingerprints()
    recorded, groups, seen = record.groups(), [], set()

    def wanted() -> Iterator[tuple[PageSpec, str]]:
        """Every page to render, with its key, in the plan's order."""
        for item in site_plan(site):
            if not isinstance(item, Group):
                specs: Iterable[PageSpec] = (item,)
            else:
                seen.add(item.name)
                key, known = fingerprints.of(record.context, item.key), recorded.get(item.name)
                if known is not None and known[0] == key and writer.keep(known[1]):
                    continue  # every page of the group as the last run left it
                specs = list(item.specs())
                groups.append((item.name, key, [spec.path for spec in specs]))
            for spec in specs:
                key = fingerprints.of(
                    record.context, spec.make.__module__, spec.make.__qualname__, spec.path, spec.args
                )
                if writer.wanted(spec.path, key):
                    yield spec, key

    def rendered(spec: PageSpec) -> str | bytes:
        return spec.render(lambda ref: values.decode(ref, fetch(ref)))

    def worked(job: tuple[PageSpec, str, tuple[tuple[Ref, object], ...]]) -> str | bytes:
        """In a worker: the page rendered from the values fetched for it, and checked."""
        spec, _, fetched = job
        given = {ref: values.decode(ref, raw) for ref, raw in fetched}
        content = spec.render(given.__getitem__)
        check_pages({spec.path: content})
        return content

    def fetched(spec: PageSpec) -> tuple[tuple[Ref, object], ...]:
        refs: dict[Ref, object] = {}

        def take(ref: Ref) -> Ref:
            if ref not in refs:
                refs[ref] = fetch(ref)
            return ref

        resolve(spec.args, take)
        return tuple(refs.items())

    def jobs(planned: Iterator[tuple[PageSpec, str]]) -> Iterator[tuple[PageSpec, str, tuple[tuple[Ref, object], ...]]]:
        return ((spec, key, fetched(spec)) for spec, key in planned)

    try:
        planned = wanted()
        for spec, key in itertools.islice(planned, FORK_FROM):
            writer.put(spec.path, key, rendered(spec))
        count = settings.processes or os.cpu_count() or 1
        if count > 1:
            for (spec, key, _), content in in_order(worked, jobs(planned), count):
                if content is FAILED:  # done here again: any error is then this process's own
                    writer.put(spec.path, key, rendered(spec))
                else:
                    writer.put(spec.path, key, content, checked=True)
        else:
            for spec, key in planned:
                writer.put(spec.path, key, rendered(spec))
        report, rows, gone = writer.finish()
    except BaseException:
        writer.abort()
        raise
    finally:
        for one in finder:
            one.close()
    record.set_pages(rows, gone)
    record.set_groups(groups, [name for name in recorded if name not in seen])
    return report, rows, gone, writer.rendered, [name for name, _, _ in groups]


FORK_FROM = 500
"""Pages rendered in the run's own process before worker processes (fewer cost more to fork)."""


def build_site(settings: Settings, use_cache: bool = True) -> tuple[Generated, SyncReport]:
    """Generate the pages, then build the site with the settings' engine (only what changed, when
    the last site allows it) and swap it into place."""
    from generator.engines.incremental import build_engine

    with build_lock(settings), fewer_collections():  # a second build waits, then finds the site built
        remove_stale_builds(settings.root, settings.site)
        started = time.perf_counter()
        result, report = generate(settings, use_cache)
        result.seconds["generate"], started = time.perf_counter() - started, time.perf_counter()
        feeds = functools.partial(Record.feed_values, summaries=result.summaries, root=settings.root)
        result.engine = build_engine(settings, result.articles, result.docs, use_cache, feeds=feeds)
        result.seconds["site"] = time.perf_counter() - started
    return result, report


__all__ = ["Generated", "Loaded", "build_site", "generate", "load", "render_site", "ORIGINALS_DIR", "Passage"]
