"""The command line: ``archive build | generate | check | add | entities | note | serve | hooks``.

Slow imports (spaCy, MkDocs) happen inside the commands that need them, so ``--help`` is instant.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from generator import __version__
from generator.project import Project

root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The archive's folder (holding articles/, site_src/ and mkdocs.yml).",
)
SHORT_TEXT_WORDS = 50
"""An article extracted from a page with fewer words than this is probably not the article."""
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
no_cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Ignore .archive-cache/: run the language model over every article and regenerate every page.",
)


@click.group()
@click.version_option(__version__, prog_name="archive")
def cli() -> None:
    """Build and check an annotated reading archive."""


@cli.command()
@root_option
@strict_option
@click.option(
    "--engine",
    type=click.Choice(["mkdocs", "zensical"]),
    default="mkdocs",
    show_default=True,
    envvar="ARCHIVE_ENGINE",
    help="The static site engine (also: ARCHIVE_ENGINE).",
)
@no_cache_option
def build(root: Path, strict: bool, engine: str, no_cache: bool) -> None:
    """Generate the pages and build the site into site/."""
    from generator.pipeline import build_site

    started = time.perf_counter()
    loaded, report = build_site(Project(root), strict, engine, use_cache=not no_cache)  # type: ignore[arg-type]
    _print_warnings(loaded.warnings)
    _print_reuse(loaded)
    click.echo(
        f"Built {loaded.article_count} articles into {Project(root).site} "
        f"({len(report.written)} pages written, {report.unchanged} unchanged, {len(report.deleted)} removed) "
        f"in {time.perf_counter() - started:.1f} s."
    )


@cli.command()
@root_option
@strict_option
@no_cache_option
@click.option("--list-written", is_flag=True, help="Print the path of every page written or removed.")
def generate(root: Path, strict: bool, no_cache: bool, list_written: bool) -> None:
    """Generate the Markdown pages into site_src/ without building the site."""
    if not no_cache:
        # The whole-run fast path, checked before the pipeline is even imported.
        from generator.output.docs import check_docs_dir
        from generator.output.runstate import last_run, unchanged

        project = Project(root)
        state = last_run(project, strict)
        if state is not None and unchanged(project, state):
            check_docs_dir(project.docs)
            _print_warnings(list(state.warnings))
            click.echo("Nothing changed since the last run: no page recomputed, the language model not loaded.")
            click.echo(
                f"Generated {state.articles} articles: 0 pages written, {len(state.files)} unchanged, 0 removed."
            )
            return
    from generator.pipeline import generate as run

    loaded, report = run(Project(root), strict, use_cache=not no_cache)
    _print_warnings(loaded.warnings)
    _print_reuse(loaded)
    click.echo(
        f"Generated {loaded.article_count} articles: {len(report.written)} pages written, "
        f"{report.unchanged} unchanged, {len(report.deleted)} removed."
    )
    if list_written:
        for rel in report.written:
            click.echo(f"  written: {rel}")
        for rel in report.deleted:
            click.echo(f"  removed: {rel}")


@cli.command()
@root_option
@strict_option
@click.option("--quiet", "-q", is_flag=True, help="Print only problems, not the cleaning report.")
def check(root: Path, strict: bool, quiet: bool) -> None:
    """Validate every source and print what cleaning removed; build nothing.

    Exits with status 1 if any problem is found (with --strict, any warning too).
    """
    from generator.errors import ErrorList
    from generator.pipeline import load

    loaded = load(Project(root))
    if not quiet:
        for article in loaded.articles:
            notes = len(loaded.notes.get(article.slug, ()))
            click.echo(
                f"{article.path}: {article.words} words kept, {len(article.removals)} removals, {notes} notes anchored"
            )
            for removal in article.removals:
                what = "unlinked" if removal.kept_words else "removed"
                text = removal.text if len(removal.text) <= 70 else removal.text[:69] + "…"
                click.echo(f"  line {removal.line}: {what} by {removal.rule}: {text}")
    _print_warnings(loaded.warnings)
    problems = list(loaded.errors)
    if strict:
        problems += [f"{w} (warning made an error by --strict)" for w in loaded.warnings]  # type: ignore[misc]
    if problems:
        raise ErrorList([p if not isinstance(p, str) else _plain_error(p) for p in problems])
    click.echo(f"OK: {len(loaded.articles)} articles checked, no problems found.")


@cli.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@root_option
@click.option("--url", help="The article's address, where it was published (http or https).")
@click.option("--title", help="The article's title, if the page's is wrong or missing.")
@click.option("--author", help="The article's author.")
@click.option("--publisher", help="Who published it (the site's name).")
@click.option("--date", type=click.DateTime(["%Y-%m-%d"]), help="When it was published (YYYY-MM-DD).")
@click.option("--language", help="Its language code (en, fr, pt-BR …); default: the page's, else en.")
@click.option(
    "--archived", type=click.DateTime(["%Y-%m-%d"]), help="The archiving date (default: today, or SOURCE_DATE_EPOCH's)."
)
@click.option("--slug", help="The file name to use (default: made from the date and the title).")
@click.option("--force", is_flag=True, help="Replace the article if it is already in the archive.")
def add(path: str, root: Path, force: bool, slug: str | None, **options: object) -> None:
    """Add an article from a saved web page (.html) or a text/Markdown file (- reads standard input).

    The file is kept as received under articles/originals/; the article's text and metadata go
    into articles/<slug>.md. Nothing is fetched from the network.
    """
    from generator.commands.add import Given, receive
    from generator.commands.add import add as run

    for name in ("date", "archived"):
        if options[name] is not None:
            options[name] = options[name].date()  # type: ignore[attr-defined]
    data = click.get_binary_stream("stdin").read() if path == "-" else Path(path).read_bytes()
    added = run(root, receive(path, data), Given(slug=slug, force=force, **options))  # type: ignore[arg-type]
    _print_added(added, root)


def _print_added(added: object, root: Path) -> None:
    from generator.commands.add import FIELD_ORDER, Added

    assert isinstance(added, Added)
    article, received = added.article, added.received
    kind = "web page" if received.kind == "html" else "text"
    click.echo(f"Added {received.name} ({kind}, {len(received.data):,} bytes) as {_rel(added.path, root)}")
    click.echo(f"  kept as received: {_rel(added.original, root)} (sha256 {added.sha256})")
    for path in added.replaced:
        click.echo(f"  replaced: {_rel(path, root)}")
    if added.page_words is not None and added.text_words is not None:
        dropped = max(0, added.page_words - added.text_words)
        click.echo(
            f"  extracted: {added.text_words:,} words of article text from about {added.page_words:,} words "
            f"on the page; about {dropped:,} words of page chrome (navigation, comments, related links …) left out"
        )
        if added.text_words < SHORT_TEXT_WORDS:
            click.secho(
                f"warning: only {added.text_words} words were found as the article's text; open "
                f"{_rel(added.path, root)} and check that it holds the article",
                fg="yellow",
                err=True,
            )
    order = sorted(added.found, key=lambda name: FIELD_ORDER.index(name) if name in FIELD_ORDER else len(FIELD_ORDER))
    found = ", ".join(f"{name} from {added.found[name]}" for name in order)
    click.echo(f"  metadata: {found}")
    if added.missing:
        options = " ".join(f"--{name} …" for name in added.missing)
        click.echo(f"  not found: {', '.join(added.missing)} (give them with {options}, or edit the front matter)")
    click.echo(f"  cleaning: {article.words} words kept, {len(article.removals)} removals")
    for removal in article.removals:
        what = "unlinked" if removal.kept_words else "removed"
        text = removal.text if len(removal.text) <= 70 else removal.text[:69] + "…"
        click.echo(f"    line {removal.line}: {what} by {removal.rule}: {text}")
    click.echo(f"OK: {article.meta.title!r} is in the archive; 'archive build' publishes it.")


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


@cli.command()
@root_option
@click.option("--unlinked", is_flag=True, help="List names the model found that the registry does not know.")
@click.option("--stubs", is_flag=True, help="Print registry entries (YAML) for them, to paste in.")
def entities(root: Path, unlinked: bool, stubs: bool) -> None:
    """Show the entity registry with mention counts, or what it is missing.

    Reads entities.yml and the articles, runs the entity finder, and prints each entity with
    its number of mentions. Exits with status 1 if a source has a problem.
    """
    from generator.commands.entities import print_counts, print_stubs, print_unlinked
    from generator.errors import ErrorList
    from generator.pipeline import load
    from generator.stages.entities import unlinked as find_unlinked

    loaded = load(Project(root))
    if loaded.errors:
        raise ErrorList(loaded.errors)
    if unlinked or stubs:
        missing = find_unlinked(loaded.articles, loaded.entities)
        if unlinked:
            print_unlinked(missing)
        if stubs:
            print_stubs(missing)
    else:
        print_counts(loaded.entities)


@cli.command()
@click.option(
    "--sizes",
    default="100,1000,10000",
    show_default=True,
    help="Archive sizes to measure, in articles, separated by commas.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("bench/results.json"),
    show_default=True,
    help="Results file (merged with the sizes already in it); a Markdown table is written beside it.",
)
@click.option(
    "--work",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("bench/work"),
    show_default=True,
    help="Where the synthetic archives are written (replaced on each run).",
)
def bench(sizes: str, out: Path, work: Path) -> None:
    """Measure generate, rebuild, site build and search on synthetic archives of each size.

    Each size writes a synthetic archive (about 600 words an article, with entities and notes)
    and runs every step as its own process; raw spaCy is measured in the same run. The 10,000
    article run takes about half an hour on two cores.
    """
    from generator.commands.bench import run

    try:
        numbers = [int(size.replace("_", "")) for size in sizes.split(",") if size.strip()]
    except ValueError:
        raise click.BadParameter(
            "give whole numbers separated by commas, e.g. 100,1000", param_hint="--sizes"
        ) from None
    run(numbers, out, work, log=click.echo)
    click.echo(f"Results in {out} and {out.with_suffix('.md')}.")


@cli.group()
def note() -> None:
    """Work with an article's editorial notes (articles/<slug>.notes.yml)."""


@note.command("add")
@root_option
@click.argument("article")
@click.option("--quote", required=True, help="The article's exact words the note concerns.")
@click.option(
    "--kind",
    required=True,
    type=click.Choice(["correction", "spelling", "clarification", "context"]),
    help="What the note does.",
)
@click.option("--body", required=True, help="The note: one short paragraph; *emphasis* and [links](https://…) only.")
@click.option("--source", "sources", multiple=True, required=True, help="URL of a source (repeat for several).")
@click.option("--source-title", "source_titles", multiple=True, help="Title of each --source, in the same order.")
@click.option("--id", "note_id", help="The note's id (default: made from the quote's first words).")
@click.option("--prefix", default="", help="Words just before the quote, if the quote occurs more than once.")
@click.option("--suffix", default="", help="Words just after the quote, if the quote occurs more than once.")
@click.option("--author", default="Archive editors", show_default=True, help="Who wrote the note.")
def note_add(
    root: Path,
    article: str,
    quote: str,
    kind: str,
    body: str,
    sources: tuple[str, ...],
    source_titles: tuple[str, ...],
    note_id: str | None,
    prefix: str,
    suffix: str,
    author: str,
) -> None:
    """Add a note to ARTICLE (its slug or path), after checking that its quote anchors exactly."""
    from generator.commands.note import add_note

    added = add_note(
        Project(root),
        article,
        quote=quote,
        kind=kind,
        body=body,
        sources=list(sources),
        source_titles=list(source_titles),
        note_id=note_id,
        prefix=prefix,
        suffix=suffix,
        author=author,
    )
    click.echo(
        f"Added note {added.note_id!r} to {added.path}:{added.line}, anchored at characters "
        f'{added.anchor.start}–{added.anchor.end}: "{added.anchor.exact}"'
    )


@cli.command()
@root_option
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="The port to serve on.")
def serve(root: Path, port: int) -> None:
    """Preview the site on http://127.0.0.1:PORT/, rebuilt whenever a source changes.

    Watches the articles, their notes, the cleaning rules, the entity registry, the hand-written
    pages and mkdocs.yml; only the pages that changed are regenerated, and open browser tabs reload.
    """
    from generator.commands.serve import serve as run

    run(Project(root), port=port)


@cli.group()
def hooks() -> None:
    """Publish from your own git server: check every push, build and publish the site."""


@hooks.command("install")
@click.argument("repo", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--publish",
    required=True,
    type=click.Path(path_type=Path),
    help="The path the web server serves; it becomes a symbolic link to the newest good build.",
)
@click.option("--branch", default=None, help="The branch to check and publish (default: the repository's HEAD).")
@click.option("--keep", default=5, show_default=True, type=click.IntRange(min=1), help="How many builds to keep.")
def hooks_install(repo: Path, publish: Path, branch: str | None, keep: int) -> None:
    """Install pre-receive and post-receive hooks into the bare repository REPO."""
    from generator.commands.hooks import install_hooks

    target = install_hooks(repo, publish, branch, keep)
    click.echo(
        f"Installed the hooks into {repo.resolve() / 'hooks'}: every push to {target.branch} is checked, "
        f"and built and published at {target.publish} (builds in {target.releases}, log in {target.log})."
    )


def _hook_options(function):  # type: ignore[no-untyped-def]
    function = click.option("--keep", default=5, type=click.IntRange(min=1))(function)
    function = click.option("--branch", required=True)(function)
    function = click.option("--publish", required=True, type=click.Path(path_type=Path))(function)
    return function


@hooks.command("pre-receive")
@_hook_options
def hooks_pre_receive(publish: Path, branch: str, keep: int) -> None:
    """Run by git: check the pushed commit; a failure rejects the push."""
    import sys

    from generator.commands.hooks import Target, pre_receive, read_updates

    if not pre_receive(read_updates(sys.stdin), Target(publish, branch, keep)):
        raise SystemExit(1)


@hooks.command("post-receive")
@_hook_options
def hooks_post_receive(publish: Path, branch: str, keep: int) -> None:
    """Run by git: build the pushed branch and publish it; a failure keeps the last good site."""
    import sys

    from generator.commands.hooks import Target, post_receive, read_updates

    if not post_receive(read_updates(sys.stdin), Target(publish, branch, keep)):
        raise SystemExit(1)


def _plain_error(message: str) -> click.ClickException:
    from generator.errors import ArchiveError

    return ArchiveError(message)


def _print_reuse(loaded: object) -> None:
    """Say what was reused from the last run (.archive-cache/), so a slow run explains itself."""
    from generator.pipeline import Loaded

    assert isinstance(loaded, Loaded)
    if loaded.reused is not None:
        click.echo("Nothing changed since the last run: no page recomputed, the language model not loaded.")
        return
    total, analysed = len(loaded.articles), loaded.entities.analysed
    if analysed == 0:
        click.echo(f"Entities: all {total} articles from the cache; the language model not loaded.")
    else:
        click.echo(
            f"Entities: the language model read {analysed} of {total} articles; {total - analysed} from the cache."
        )


def _print_warnings(warnings: list[str]) -> None:
    for warning in warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)


def main() -> None:
    """Entry point of the ``archive`` console script."""
    cli(prog_name="archive")
