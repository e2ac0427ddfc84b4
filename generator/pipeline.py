"""The pipeline, top to bottom: load sources → clean → find entities → anchor notes → render →
write, then hand over to MkDocs.

All data is gathered from every file first, so a problem anywhere stops the run before any page
is written, and every problem is reported at once.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.engines.pagefind import build_with_search
from generator.engines.run import Engine
from generator.errors import ArchiveError, BuildError, ErrorList
from generator.inputs import textcheck
from generator.inputs.articles import NOTES_SUFFIX, find_original, find_sources, read_source
from generator.inputs.registry import load_registry
from generator.inputs.rules import load_rules
from generator.model import Article
from generator.output import runstate
from generator.output.docs import SyncReport, check_docs_dir, on_disk, replace_dir, sync_pages
from generator.output.epoch import source_date_epoch
from generator.project import Project
from generator.render import article as pages
from generator.render import browse
from generator.render import notes as notepages
from generator.render.entity_pages import entity_site_pages
from generator.render.feeds import site_url_of, write_feeds
from generator.render.markup import Links
from generator.render.sanitize import check_pages
from generator.stages.anchor import AnchoredNote, load_article_notes
from generator.stages.clean import clean
from generator.stages.entities import EntityIndex, find_entities
from generator.stages.entity_cache import MentionCache, cache_dir, mentions_version

SITE_INTRO = (
    "News articles kept as published, with the publisher's chrome removed, people, organisations "
    "and places linked, and editorial notes at the exact words they concern."
)


@dataclass
class Loaded:
    """Everything read from an archive's sources, with the problems found on the way."""

    articles: list[Article] = field(default_factory=list)
    errors: list[ArchiveError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    entities: EntityIndex = field(default_factory=EntityIndex)
    """The registry and every mention found in the articles."""
    notes: dict[str, list[AnchoredNote]] = field(default_factory=dict)
    """Article slug → its anchored notes, in reading order."""
    reused: int | None = None
    """Set when nothing changed since the last run and nothing was computed: its article count."""

    @property
    def article_count(self) -> int:
        """How many articles the run generated (or, when reused, the last run did)."""
        return self.reused if self.reused is not None else len(self.articles)


def load(project: Project, use_cache: bool = True) -> Loaded:
    """Read and clean every article; collect every problem instead of stopping at the first.

    With *use_cache*, the entity stage reuses what the model found in unchanged texts
    (:mod:`generator.stages.entity_cache`); without, it reads nothing from the cache but still stores there."""
    loaded = Loaded()
    try:
        rules = load_rules(project.rules)
    except ArchiveError as exc:
        loaded.errors.append(exc)
        return loaded
    registry, registry_errors = load_registry(project.registry)
    paths, loaded.errors = find_sources(project.articles)
    loaded.errors.extend(registry_errors)
    for path in paths:
        try:
            loaded.articles.append(clean(read_source(path), rules))
        except ArchiveError as exc:
            loaded.errors.append(exc)
    anchor_notes(loaded)
    loaded.articles = pages.sort_articles(loaded.articles)
    notes_files = [a.path.with_name(a.slug + NOTES_SUFFIX) for a in loaded.articles]
    checked = [project.rules, project.registry, *(a.path for a in loaded.articles), *notes_files]
    loaded.warnings.extend(textcheck.check_files([path for path in checked if path.is_file()]))
    if not registry_errors:
        try:
            cache = MentionCache(cache_dir(project.root), mentions_version(registry), read=use_cache)
            loaded.articles, loaded.entities = find_entities(loaded.articles, registry, cache=cache)
            if not loaded.errors:
                cache.prune()  # entries of texts and versions no longer in the archive
        except ArchiveError as exc:
            loaded.errors.append(exc)
    return loaded


def anchor_notes(loaded: Loaded) -> None:
    """Read every article's notes file and anchor its notes; articles gain note spans."""
    articles = []
    for article in loaded.articles:
        article, anchored, warnings, errors = load_article_notes(article)
        articles.append(article)
        if anchored:
            loaded.notes[article.slug] = anchored
        loaded.warnings.extend(warnings)
        loaded.errors.extend(errors)
    loaded.articles = articles


def render_site(loaded: Loaded, feeds: bool = True) -> dict[str, str | bytes]:
    """Every generated page, as relative path → Markdown text (or bytes, for originals).

    *feeds*: whether the built site will have feeds (it needs a ``site_url``), to link them."""
    articles = loaded.articles
    out: dict[str, str | bytes] = {
        "index.md": browse.home_page(
            articles, loaded.entities, loaded.notes, "Annotated reading archive", SITE_INTRO, feeds
        ),
        **pages.articles_pages(articles),
    }
    entities = loaded.entities
    titles = entities.titles()
    for position, article in enumerate(articles):
        notes = notepages.article_note_parts(article, loaded.notes.get(article.slug, ()))
        links = Links(
            root="../../",
            entity_title=titles,
            note_number=notes.numbers,
            mention_ids=entities.mention_ids(article.slug),
        )
        # A file as received is published only as inert text (``.txt``): a saved web page served
        # as HTML from the archive's own address could run its scripts there.
        original = find_original(article.path.parent, article.slug)
        link = None
        if original is not None:
            out[f"originals/{original.name}.txt"] = original.read_bytes()
            link = f"../../originals/{original.name}.txt"
        out[f"articles/{article.slug}/index.md"] = pages.article_page(
            article,
            links,
            extra_top=(browse.reading_line(article), *notes.top),
            extra_bottom=(browse.entity_panel(article, entities), *notes.bottom, browse.pager(articles, position)),
            original=link,
        )
    out.update(entity_site_pages(articles, entities))
    out.update(browse.browse_pages(articles))
    out.update(notepages.notes_site_pages(articles, loaded.notes))
    return out


def generate(project: Project, strict: bool = False, use_cache: bool = True) -> tuple[Loaded, SyncReport]:
    """Load, check and render the archive, then write the pages into the docs folder.

    With *use_cache*, a run whose inputs and output are as the last successful run left them
    does nothing (:mod:`generator.output.runstate`), and unchanged texts skip the model."""
    last = runstate.last_run(project, strict) if use_cache else None
    if last is not None and runstate.unchanged(project, last):
        check_docs_dir(project.docs)
        loaded = Loaded(warnings=list(last.warnings), reused=last.articles)
        return loaded, SyncReport((), len(last.files), ())
    runstate.forget(project)
    taken = runstate.snapshot(project, strict)
    loaded = load(project, use_cache)
    if strict and loaded.warnings and not loaded.errors:
        loaded.errors.extend(ArchiveError(f"{w} (a warning, made an error by --strict)") for w in loaded.warnings)
    if loaded.errors:
        raise ErrorList(loaded.errors)
    check_docs_dir(project.docs)
    site_pages = render_site(loaded, feeds=site_url_of(project.config) is not None)
    # The pages on disk are clean even where MkDocs hooks do not run. A page whose bytes are in a
    # file as the last run (same code) left it passed that run's check, and is not checked again.
    same, checked = on_disk(site_pages, project.docs, last.files if last is not None else None)
    check_pages(site_pages, checked=checked)
    report = sync_pages(site_pages, project.docs, unchanged_pages=same)
    runstate.record(project, taken, loaded.warnings, len(loaded.articles))
    return loaded, report


def build_site(
    project: Project, strict: bool = False, engine: Engine = "mkdocs", use_cache: bool = True
) -> tuple[Loaded, SyncReport]:
    """Generate the pages, then build the site with *engine* into a fresh folder swapped into place."""
    loaded, report = generate(project, strict, use_cache)
    temp = Path(tempfile.mkdtemp(prefix=".site-", dir=project.root))
    try:
        # SOURCE_DATE_EPOCH: the dates the engine writes (sitemap) come from the sources, not the clock.
        epoch = source_date_epoch(project.root)
        build_with_search(engine, project.config, temp, strict, loaded.article_count, env={"SOURCE_DATE_EPOCH": epoch})
        # Feeds are XML, which the docs folder refuses (see generator.feeds): written after the engine.
        url = site_url_of(project.config)
        if url:
            # After a run that changed nothing, the articles were not read: read them for the feeds.
            feed_source = load(project) if loaded.reused and not loaded.articles else loaded
            write_feeds(temp, feed_source.articles, feed_source.notes, url, epoch)
    except BuildError:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    replace_dir(temp, project.site)
    return loaded, report
