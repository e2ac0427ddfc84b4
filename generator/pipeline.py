"""The pipeline, top to bottom, in the order the code runs:

1. **load** (:func:`load`): read and check the sources — the cleaning rules, the registry, every
   article file (:mod:`generator.inputs`) — clean each article (:mod:`generator.stages.clean`),
   anchor its notes (:mod:`generator.stages.anchor`), scan every source for invisible characters,
   then find the entities (:mod:`generator.stages.entities`, with its cache);
2. **render** (:func:`render_site`): every page of the site as text (:mod:`generator.render`);
3. **write** (:func:`generate`): check the pages against the sanitiser's allow-list, write the
   ones whose bytes changed into the docs folder, write each article's anchors lock file (where
   its notes are now), record the run (:mod:`generator.output`);
4. **build** (:func:`build_site`): the site engine and search (:mod:`generator.engines`) into a
   fresh folder, the feeds beside them, then the folder swapped into place.

All data is gathered from every file first, so a problem anywhere stops the run before any page
is written, and every problem is reported at once.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator import paths
from generator.engines.pagefind import build_with_search
from generator.errors import ArchiveError, Report, WriteError
from generator.inputs import textcheck
from generator.inputs.articles import NOTES_SUFFIX, find_original, find_sources, read_source, source_warnings
from generator.inputs.config import check_config
from generator.inputs.registry import load_registry, registry_warnings
from generator.inputs.rules import load_rules
from generator.model import AnchorRecord, Article, sort_articles
from generator.output import runstate
from generator.output.docs import (
    SITE_TEMP_PREFIX,
    SyncReport,
    check_docs_dir,
    on_disk,
    remove_stale_builds,
    replace_dir,
    sync_pages,
)
from generator.output.epoch import source_date_epoch
from generator.output.lock import build_lock
from generator.output.locks import write_locks
from generator.render import article as article_parts
from generator.render import notes as note_parts
from generator.render.browse import browse_pages
from generator.render.citation import Citation, citation_files
from generator.render.entity_pages import entity_site_pages
from generator.render.feeds import write_feeds
from generator.render.home import home_page
from generator.render.listings import articles_pages
from generator.render.markup import Links
from generator.render.sanitize import check_pages
from generator.settings import Settings
from generator.stages.anchor import AnchoredNote, load_article_notes
from generator.stages.clean import clean_source
from generator.stages.entities import EntityIndex, find_entities, unreadable_texts
from generator.stages.entity_cache import MentionCache, cache_dir, mentions_version, repair_cache_dir
from generator.util.files import make_readable, os_reason


@dataclass
class Loaded(Report):
    """Everything read from an archive's sources, with the problems found on the way."""

    articles: list[Article] = field(default_factory=list)
    entities: EntityIndex = field(default_factory=EntityIndex)
    """The registry and every mention found in the articles."""
    notes: dict[str, list[AnchoredNote]] = field(default_factory=dict)
    """Article slug → its anchored notes, in reading order."""
    anchors: dict[str, dict[str, AnchorRecord]] = field(default_factory=dict)
    """Article slug → where each of its notes is now: its anchors lock file after a successful run."""
    recorded: list[Path] = field(default_factory=list)
    """The anchors lock files the run wrote or removed (for the editor to commit)."""
    reused: int | None = None
    """Set when nothing changed since the last run and nothing was computed: its article count."""

    @property
    def article_count(self) -> int:
        """How many articles the run generated (or, when reused, the last run did)."""
        return self.reused if self.reused is not None else len(self.articles)


def load(settings: Settings, use_cache: bool = True) -> Loaded:
    """Read and clean every article; collect every problem instead of stopping at the first.

    With *use_cache*, the entity stage reuses what the model found in unchanged texts
    (:mod:`generator.stages.entity_cache`); without, it reads nothing from the cache but still
    stores there."""
    loaded = Loaded()
    try:
        loaded.warnings.extend(repair_cache_dir(settings.root))
        rules = load_rules(settings.rules)
    except ArchiveError as exc:
        loaded.errors.append(exc)
        return loaded
    registry, registry_errors = load_registry(settings.registry)
    sources, loaded.errors = find_sources(settings.articles)
    loaded.errors.extend(check_config(settings.root))
    loaded.errors.extend(registry_errors)
    loaded.warnings.extend(registry_warnings(settings.registry, registry, registry_errors))
    loaded.warnings.extend(source_warnings(settings.articles, sources))
    loaded.warnings.extend(rules.problems)
    for path in sources:
        try:
            cleaned = clean_source(read_source(path), rules)
        except ArchiveError as exc:
            loaded.errors.append(exc)
            continue
        loaded.articles.append(cleaned.article)
        loaded.warnings.extend(cleaned.problems)
    anchor_notes(loaded)
    loaded.articles = sort_articles(loaded.articles)
    notes_files = [a.path.with_name(a.slug + NOTES_SUFFIX) for a in loaded.articles]
    checked = [*rules.files, settings.registry, *(a.path for a in loaded.articles), *notes_files]
    loaded.warnings.extend(textcheck.check_files([path for path in checked if path.is_file()]))
    unreadable = unreadable_texts(loaded.articles)  # the model would fail or take hours: said first
    loaded.errors.extend(unreadable)
    if not registry_errors and not unreadable:
        version = mentions_version(registry, settings.spacy_model)
        cache = MentionCache(cache_dir(settings.root), version, read=use_cache)
        try:
            loaded.articles, loaded.entities = find_entities(
                loaded.articles, registry, cache=cache, model=settings.spacy_model, processes_given=settings.processes
            )
            if not loaded.errors:
                cache.prune()  # entries of texts and versions no longer in the archive
        except ArchiveError as exc:
            loaded.errors.append(exc)
        loaded.warnings.extend(cache.problems)
    return loaded


def anchor_notes(loaded: Loaded) -> None:
    """Read every article's notes file and anchors lock file and anchor its notes; articles gain
    note spans, and :attr:`Loaded.anchors` the lock entries a successful run writes."""
    articles = []
    for article in loaded.articles:
        found = load_article_notes(article)
        articles.append(found.article)
        if found.anchored:
            loaded.notes[article.slug] = found.anchored
        loaded.anchors[article.slug] = found.records
        loaded.warnings.extend(found.warnings)
        loaded.errors.extend(found.errors)
    loaded.articles = articles


def render_site(loaded: Loaded, settings: Settings) -> dict[str, str | bytes]:
    """Every generated page, as relative path → Markdown text (or bytes, for originals).

    The home page links the feeds only when the built site will have them (a ``site_url``)."""
    articles, entities, size = loaded.articles, loaded.entities, settings.page_size
    out: dict[str, str | bytes] = {
        paths.page_file(paths.HOME): home_page(
            articles, entities, loaded.notes, settings.site_name, size, feeds=settings.site_url is not None
        ),
        **articles_pages(articles, size),
    }
    titles = entities.titles()
    for position, article in enumerate(articles):
        folder = paths.article(article.slug)
        root = paths.root_of(folder)
        notes = note_parts.article_note_parts(article, loaded.notes.get(article.slug, ()), root, settings.site_url)
        links = Links(
            root=root,
            entity_title=titles,
            note_number=notes.numbers,
            note_kind=notes.kinds,
            mention_ids=entities.mention_ids(article.slug),
        )
        # A file as received is published only as inert text (``.txt``): a saved web page served
        # as HTML from the archive's own address could run its scripts there.
        original = find_original(article.path.parent, article.slug)
        link = None
        if original is not None:
            out[paths.original(original.name)] = original.read_bytes()
            link = root + paths.original(original.name)
        cite = Citation.of(article, settings.site_url, settings.site_name)
        out.update(citation_files(cite))
        out[paths.page_file(folder)] = article_parts.article_page(
            article,
            links,
            extra_top=(article_parts.reading_line(article), *notes.top),
            extra_bottom=(
                article_parts.entity_panel(article, entities, root),
                *notes.bottom,
                article_parts.pager(articles, position, root),
            ),
            original=link,
            cite=cite,
        )
    out.update(entity_site_pages(articles, entities, size, loaded.notes))
    out.update(browse_pages(articles, size))
    out.update(note_parts.notes_site_pages(articles, loaded.notes, size, settings.site_url))
    return out


def generate(settings: Settings, use_cache: bool = True) -> tuple[Loaded, SyncReport]:
    """Load, check and render the archive, then write the pages into the docs folder.

    With *use_cache*, a run whose inputs and output are as the last successful run left them
    does nothing (:mod:`generator.output.runstate`), and unchanged texts skip the model."""
    with build_lock(settings):  # one build of an archive at a time (its docs folder, its site/)
        last = runstate.last_run(settings) if use_cache else None
        if last is not None and runstate.unchanged(settings, last):
            check_docs_dir(settings.docs)
            loaded = Loaded(warnings=list(last.warnings), reused=last.articles)
            return loaded, SyncReport((), len(last.files), ())
        repaired = repair_cache_dir(settings.root)  # before the run state is read again or removed
        runstate.forget(settings)
        taken = runstate.snapshot(settings)
        loaded = load(settings, use_cache)
        loaded.warnings[:0] = repaired
        loaded.check(settings.strict)
        check_docs_dir(settings.docs)
        site_pages = render_site(loaded, settings)
        # The pages on disk are clean even where MkDocs hooks do not run. A page whose bytes are in a
        # file as the last run (same code) left it passed that run's check, and is not checked again.
        same, checked = on_disk(site_pages, settings.docs, last.files if last is not None else None)
        check_pages(site_pages, checked=checked)
        report = sync_pages(site_pages, settings.docs, unchanged_pages=same)
        # Only now, the run a success, is where each note is worth remembering (articles/*.anchors.yml).
        loaded.recorded = write_locks(loaded.articles, loaded.anchors)
        taken = runstate.refreshed(settings, taken, loaded.recorded)
        not_recorded = runstate.record(settings, taken, loaded.warnings, len(loaded.articles))
        if not_recorded is not None:
            loaded.warnings.append(not_recorded)
        return loaded, report


def build_site(settings: Settings, use_cache: bool = True) -> tuple[Loaded, SyncReport]:
    """Generate the pages, then build the site with the settings' engine into a fresh folder
    swapped into place, readable by a web server (0755/0644, whatever the umask).

    The build lock is held throughout: a second build waits, then finds the site built. What an
    interrupted build left (``.site-*``) is removed first; the fresh folder is removed on any
    failure, Ctrl-C included."""
    with build_lock(settings):
        remove_stale_builds(settings.root, settings.site)
        loaded, report = generate(settings, use_cache)
        try:
            temp = Path(tempfile.mkdtemp(prefix=SITE_TEMP_PREFIX, dir=settings.root))
        except OSError as exc:
            raise WriteError(f"cannot start the build: {os_reason(exc)}", settings.root) from None
        try:
            # SOURCE_DATE_EPOCH: the dates the engine writes (sitemap) come from the sources, not the clock.
            epoch = source_date_epoch(settings)
            build_with_search(settings, temp, loaded.article_count, env={"SOURCE_DATE_EPOCH": epoch})
            # Feeds are XML, which the docs folder refuses (see generator.render.feeds): written after the engine.
            if settings.site_url:
                # After a run that changed nothing, the articles were not read: read them for the feeds.
                feed_source = load(settings) if loaded.reused and not loaded.articles else loaded
                write_feeds(temp, feed_source.articles, feed_source.notes, settings.site_name, settings.site_url, epoch)
            make_readable(temp)
            replace_dir(temp, settings.site)
        except OSError as exc:
            raise WriteError(
                f"cannot write the built site: {os_reason(exc)}. Free some space and build again; "
                "the published site was not changed",
                settings.site,
            ) from None
        finally:
            shutil.rmtree(temp, ignore_errors=True)
    return loaded, report
