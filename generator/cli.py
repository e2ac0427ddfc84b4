"""The command line: ``archive build | generate | check | add | rules | entities | note | serve | hooks``.

Slow imports (spaCy, MkDocs) happen inside the commands that need them, so ``--help`` is instant.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from generator import __version__
from generator.settings import ENGINES

root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The archive's folder (holding articles/, site_src/ and mkdocs.yml).",
)
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


def _settings(root: Path, strict: bool = False, engine: str | None = None):  # type: ignore[no-untyped-def]
    """The settings of the archive at *root*, read once for the whole command."""
    from generator.settings import Settings

    return Settings.load(root, strict=strict, engine=engine)  # type: ignore[arg-type]


@cli.command()
@root_option
@strict_option
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default=None,
    help="The static site engine: mkdocs (default) or zensical (also: ARCHIVE_ENGINE).",
)
@no_cache_option
def build(root: Path, strict: bool, engine: str | None, no_cache: bool) -> None:
    """Generate the pages and build the site into site/."""
    from generator.commands import report
    from generator.pipeline import build_site

    started = time.perf_counter()
    settings = _settings(root, strict, engine)
    loaded, written = build_site(settings, use_cache=not no_cache)
    report.warnings(loaded.warnings)
    report.reuse(loaded)
    click.echo(
        f"Built {loaded.article_count} articles into {settings.site} "
        f"({len(written.written)} pages written, {written.unchanged} unchanged, {len(written.deleted)} removed) "
        f"in {time.perf_counter() - started:.1f} s."
    )


@cli.command()
@root_option
@strict_option
@no_cache_option
@click.option("--list-written", is_flag=True, help="Print the path of every page written or removed.")
def generate(root: Path, strict: bool, no_cache: bool, list_written: bool) -> None:
    """Generate the Markdown pages into site_src/ without building the site."""
    from generator.commands import report

    settings = _settings(root, strict)
    if not no_cache:
        # The whole-run fast path, checked before the pipeline is even imported.
        from generator.output.docs import check_docs_dir
        from generator.output.runstate import last_run, unchanged

        state = last_run(settings)
        if state is not None and unchanged(settings, state):
            check_docs_dir(settings.docs)
            report.warnings(state.warnings)
            click.echo(report.NOTHING_CHANGED)
            click.echo(
                f"Generated {state.articles} articles: 0 pages written, {len(state.files)} unchanged, 0 removed."
            )
            return
    from generator.pipeline import generate as run

    loaded, written = run(settings, use_cache=not no_cache)
    report.warnings(loaded.warnings)
    report.reuse(loaded)
    click.echo(
        f"Generated {loaded.article_count} articles: {len(written.written)} pages written, "
        f"{written.unchanged} unchanged, {len(written.deleted)} removed."
    )
    if list_written:
        for rel in written.written:
            click.echo(f"  written: {rel}")
        for rel in written.deleted:
            click.echo(f"  removed: {rel}")


@cli.command()
@root_option
@strict_option
@click.option("--quiet", "-q", is_flag=True, help="Print only problems, not the cleaning report.")
def check(root: Path, strict: bool, quiet: bool) -> None:
    """Validate every source and print what cleaning removed; build nothing.

    Exits with status 1 if any problem is found (with --strict, any warning too).
    """
    from generator.commands import report
    from generator.pipeline import load

    loaded = load(_settings(root, strict))
    if not quiet:
        for article in loaded.articles:
            notes = len(loaded.notes.get(article.slug, ()))
            click.echo(
                f"{article.path}: {article.words} words kept, {len(article.removals)} removals, {notes} notes anchored"
            )
            report.removals(article)
    report.warnings(loaded.warnings)
    loaded.check(strict)
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
@click.option("--yes", "-y", is_flag=True, help="Add it as read, without asking (for scripts).")
def add(path: str, root: Path, force: bool, slug: str | None, yes: bool, **options: object) -> None:
    """Add an article from a saved web page (.html) or a text/Markdown file (- reads standard input).

    Shows the metadata it read (title, author, date, publisher, address), the words kept and every
    removal; on a terminal it then asks to add it as shown, to correct it, or to cancel. The file is
    kept as received under articles/originals/; the article's text and metadata go into
    articles/<slug>.md. Nothing is fetched from the network.
    """
    from generator.commands.add import Given, receive
    from generator.commands.add import add as run
    from generator.commands.add_review import ask, report

    for name in ("date", "archived"):
        if options[name] is not None:
            options[name] = options[name].date()  # type: ignore[attr-defined]
    data = click.get_binary_stream("stdin").read() if path == "-" else Path(path).read_bytes()
    # Standard input is the article when the path is '-'; otherwise a terminal there is the editor.
    import sys

    interactive = not yes and path != "-" and sys.stdin is not None and sys.stdin.isatty()
    given = Given(slug=slug, force=force, **options)  # type: ignore[arg-type]
    added = run(_settings(root), receive(path, data), given, review=ask if interactive else None)
    report(added, root, brief=interactive)


@cli.command()
@root_option
@click.option("--unlinked", is_flag=True, help="List names the model found that the registry does not know.")
@click.option("--stubs", is_flag=True, help="Print registry entries (YAML) for them, to paste in.")
def entities(root: Path, unlinked: bool, stubs: bool) -> None:
    """Show the entity registry with mention counts, or what it is missing.

    Reads entities.yml and the articles, runs the entity finder, and prints each entity with
    its number of mentions. Exits with status 1 if a source has a problem.
    """
    from generator.commands.entities import report
    from generator.pipeline import load

    loaded = load(_settings(root))
    loaded.check(strict=False)
    report(loaded, unlinked, stubs)


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
def rules() -> None:
    """Work with the cleaning rules (the files of rules/)."""


@rules.command("suggest")
@root_option
@click.option(
    "--min-articles",
    default=3,
    show_default=True,
    type=click.IntRange(min=2),
    help="How many articles of one publisher a line must be in.",
)
def rules_suggest(root: Path, min_articles: int) -> None:
    """List lines that repeat across articles of one publisher and propose rules for those kept.

    Numbers and dates are set aside when lines are compared. Each line is shown with its count and
    an example; nothing is removed until you paste a proposed rule into a rules file.
    """
    from generator.commands.rules import report, suggest

    repeated, errors = suggest(_settings(root), min_articles)
    report(repeated, errors, root, min_articles)


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
        _settings(root),
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

    run(_settings(root), port=port)


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


def main() -> None:
    """Entry point of the ``archive`` console script."""
    cli(prog_name="archive")
