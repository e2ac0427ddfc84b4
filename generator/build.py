"""The pipeline, top to bottom: load sources → clean → find entities → anchor notes → render →
write, then hand over to MkDocs.

All data is gathered from every file first, so a problem anywhere stops the run before any page
is written, and every problem is reported at once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import pages
from .clean import clean
from .epoch import source_date_epoch
from .errors import ArchiveError, BuildError, ErrorList
from .model import Article
from .render import Links
from .rules import load_rules
from .site import SyncReport, check_docs_dir, replace_dir, sync_pages
from .sources import find_sources, read_source

SITE_INTRO = (
    "News articles kept as published, with the publisher's chrome removed, people, organisations "
    "and places linked, and editorial notes at the exact words they concern."
)


@dataclass(frozen=True)
class Project:
    """Where an archive's files are, by convention, under its root folder."""

    root: Path

    @property
    def articles(self) -> Path:
        return self.root / "articles"

    @property
    def rules(self) -> Path:
        return self.root / "rules" / "cleaning.yml"

    @property
    def docs(self) -> Path:
        return self.root / "site_src"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"


@dataclass
class Loaded:
    """Everything read from an archive's sources, with the problems found on the way."""

    articles: list[Article] = field(default_factory=list)
    errors: list[ArchiveError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def load(project: Project) -> Loaded:
    """Read and clean every article; collect every problem instead of stopping at the first."""
    loaded = Loaded()
    try:
        rules = load_rules(project.rules)
    except ArchiveError as exc:
        loaded.errors.append(exc)
        return loaded
    paths, loaded.errors = find_sources(project.articles)
    for path in paths:
        try:
            loaded.articles.append(clean(read_source(path), rules))
        except ArchiveError as exc:
            loaded.errors.append(exc)
    loaded.articles = pages.sort_articles(loaded.articles)
    return loaded


def render_site(loaded: Loaded) -> dict[str, str]:
    """Every generated page, as relative path → Markdown text."""
    articles = loaded.articles
    out: dict[str, str] = {
        "index.md": pages.home_page(articles, "Annotated reading archive", SITE_INTRO),
        "articles/index.md": pages.articles_index(articles),
    }
    for article in articles:
        out[f"articles/{article.slug}.md"] = pages.article_page(article, Links(root="../../"))
    return out


def generate(project: Project, strict: bool = False) -> tuple[Loaded, SyncReport]:
    """Load, check and render the archive, then write the pages into the docs folder."""
    loaded = load(project)
    if strict and loaded.warnings and not loaded.errors:
        loaded.errors.extend(ArchiveError(f"{w} (a warning, made an error by --strict)") for w in loaded.warnings)
    if loaded.errors:
        raise ErrorList(loaded.errors)
    check_docs_dir(project.docs)
    site_pages = render_site(loaded)
    return loaded, sync_pages(site_pages, project.docs)


def build_site(project: Project, strict: bool = False) -> tuple[Loaded, SyncReport]:
    """Generate the pages, then build the site with MkDocs into a fresh folder swapped into place."""
    loaded, report = generate(project, strict)
    temp = Path(tempfile.mkdtemp(prefix=".site-", dir=project.root))
    # No --quiet: it hides MkDocs' warnings from --strict too. The output is captured and shown on failure.
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(project.config), "-d", str(temp)]
    if strict:
        command.append("--strict")
    # SOURCE_DATE_EPOCH: the dates MkDocs writes (sitemap) come from the sources, not the clock.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": source_date_epoch(project.root)}
    result = subprocess.run(command, cwd=project.root, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(temp, ignore_errors=True)
        output = "\n".join(line for line in (result.stdout + result.stderr).splitlines() if line.strip())
        raise BuildError(f"MkDocs could not build the site; the previous site is kept.\n{output}", project.config)
    replace_dir(temp, project.site)
    return loaded, report
