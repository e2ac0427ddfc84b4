"""The command line: ``archive build | generate | check | add | rules | entities | note | serve | hooks``.

Slow imports (spaCy, MkDocs) happen inside the commands that need them, so ``--help`` is instant.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from generator import __version__
from generator.commands.note import note
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


cli.add_command(note)


NO_SITE_URL = (
    "Note: mkdocs.yml gives no site_url (the http or https address the site is served from), so the "
    "editorial notes' Web Annotations (annotations/*.jsonld) have addresses relative to their files and "
    "are not published as linked data, the citations give no address, and no Atom feed is written. "
    "Set site_url in mkdocs.yml to publish them."
)
"""Said after a build without a ``site_url``: a plain line, not a warning, so that ``--strict``
(which publishing uses) does not refuse an archive that simply has no address yet."""


def _no_site_url(settings) -> None:  # type: ignore[no-untyped-def]
    if settings.site_url is None:
        click.echo(NO_SITE_URL)


def _settings(root: Path, strict: bool = False, engine: str | None = None, cluster: str | None = None):  # type: ignore[no-untyped-def]
    """The settings of the archive at *root*, read once for the whole command."""
    from generator.settings import Settings

    return Settings.load(root, strict=strict, engine=engine, cluster=cluster)  # type: ignore[arg-type]


cluster_option = click.option(
    "--cluster",
    default=None,
    metavar="ADDRESS",
    help="Run the language model on a Dask cluster: tcp://HOST:8786 (a running scheduler) or local:N "
    "(N worker processes started here); also: ARCHIVE_CLUSTER. The pages are the same wherever it runs.",
)


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
@cluster_option
def build(root: Path, strict: bool, engine: str | None, no_cache: bool, cluster: str | None) -> None:
    """Generate the pages and build the site into site/."""
    from generator.commands import report
    from generator.pipeline import build_site

    started = time.perf_counter()
    settings = _settings(root, strict, engine, cluster)
    loaded, written = build_site(settings, use_cache=not no_cache)
    report.warnings(loaded.warnings)
    report.reuse(loaded)
    report.recorded(loaded.recorded, settings.root)
    report.engine(loaded.engine)
    click.echo(
        f"Built {loaded.articles} articles into {settings.site} "
        f"({len(written.written)} pages written, {written.unchanged} unchanged, {len(written.deleted)} removed) "
        f"in {time.perf_counter() - started:.1f} s ({report.steps(loaded.seconds)})."
    )
    _no_site_url(settings)
    report.verdict_line(loaded.warnings, strict)


@cli.command()
@root_option
@strict_option
@no_cache_option
@cluster_option
@click.option("--list-written", is_flag=True, help="Print the path of every page written or removed.")
def generate(root: Path, strict: bool, no_cache: bool, cluster: str | None, list_written: bool) -> None:
    """Generate the Markdown pages into site_src/ without building the site."""
    from generator.commands import report

    settings = _settings(root, strict, cluster=cluster)
    if not no_cache:
        # The whole-run fast path, checked before the pipeline is even imported.
        from generator.output.lock import build_lock
        from generator.output.runstate import nothing_changed

        with build_lock(settings):
            state = nothing_changed(settings)
            if state is not None:
                report.warnings(state.warnings)
                click.echo(report.NOTHING_CHANGED)
                click.echo(f"Generated {state.articles} articles: 0 pages written, {state.files} unchanged, 0 removed.")
                _no_site_url(settings)
                report.verdict_line(list(state.warnings), strict)
                return
    from generator.pipeline import generate as run

    loaded, written = run(settings, use_cache=not no_cache)
    report.warnings(loaded.warnings)
    report.reuse(loaded)
    report.recorded(loaded.recorded, settings.root)
    click.echo(
        f"Generated {loaded.articles} articles: {len(written.written)} pages written, "
        f"{written.unchanged} unchanged, {len(written.deleted)} removed."
    )
    _no_site_url(settings)
    report.verdict_line(loaded.warnings, strict)
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
    """Validate every source and mkdocs.yml, and print what cleaning removed; build nothing.

    Exits with status 1 if any problem is found (with --strict, any warning too). Without --strict,
    warnings are counted at the end, with what they mean for publishing (which runs with --strict).
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
    report.checked(len(loaded.articles), loaded.warnings, strict)


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
@click.option(
    "--stubs",
    "stubs",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[NAME]",
    help="Print registry entries (YAML) for them, to paste in; with NAME, the entry for that name only.",
)
def entities(root: Path, unlinked: bool, stubs: str | None) -> None:
    """Show the entity registry with mention counts, or what it is missing.

    Reads entities.yml and the articles, runs the entity finder, and prints each entity with
    its number of mentions. Exits with status 1 if a source has a problem.
    """
    from generator.commands import report as problems
    from generator.commands.entities import report
    from generator.pipeline import load

    loaded = load(_settings(root))
    problems.warnings(loaded.warnings)
    loaded.check(strict=False)
    report(loaded, unlinked, stubs is not None, stubs or None)


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


@cli.command()
@root_option
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="The port to serve on.")
def serve(root: Path, port: int) -> None:
    """Preview and edit the site on http://127.0.0.1:PORT/ (this computer only).

    Watches the articles, their notes, the cleaning rules, the entity registry, the hand-written
    pages and mkdocs.yml; after each change the pages that changed are rebuilt and open browser
    tabs reload. On an article page, select words to add a note; open a note to edit or remove
    it; the "Needs attention" panel lists every note and problem to look at.
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
@click.option(
    "--branch",
    default=None,
    help="The branch to check and publish (default: the repository's default branch, or the first one pushed).",
)
@click.option("--keep", default=5, show_default=True, type=click.IntRange(min=1), help="How many builds to keep.")
@click.option(
    "--allow-code-changes",
    is_flag=True,
    help="Build pushes that change the archive's code (generator/, hooks/, overrides/, mkdocs.yml's hooks and "
    "plugins) with that code: anyone who can push can then run programs on this server.",
)
def hooks_install(repo: Path, publish: Path, branch: str | None, keep: int, allow_code_changes: bool) -> None:
    """Install pre-receive and post-receive hooks into the bare repository REPO."""
    from generator.commands.hooks import install_hooks

    target = install_hooks(repo, publish, branch, keep, allow_code_changes)
    which = (
        target.branch
        if target.branch
        else "the repository's default branch (or, while it has no commits, the first branch pushed)"
    )
    code = (
        "Pushes that change the archive's code are built with that code: anyone who can push can run programs here."
        if target.allow_code
        else "Pushes that change the archive's code are rejected: update the archive installed here to change it."
    )
    click.echo(
        f"Installed the hooks into {repo.resolve() / 'hooks'}: every push to {which} is checked, "
        f"and built and published at {target.publish} (builds in {target.releases}, log in {target.log}). {code}"
    )


def _hook_options(function):  # type: ignore[no-untyped-def]
    function = click.option("--allow-code-changes", is_flag=True)(function)
    function = click.option("--keep", default=5, type=click.IntRange(min=1))(function)
    function = click.option("--branch", default=None)(function)
    function = click.option("--publish", required=True, type=click.Path(path_type=Path))(function)
    return function


@hooks.command("pre-receive")
@_hook_options
def hooks_pre_receive(publish: Path, branch: str | None, keep: int, allow_code_changes: bool) -> None:
    """Run by git: check the pushed commit; a failure rejects the push."""
    import sys

    from generator.commands.hooks import Target, run_hook

    if not run_hook("pre-receive", sys.stdin, Target(publish, branch, keep, allow_code_changes)):
        raise SystemExit(1)


@hooks.command("post-receive")
@_hook_options
def hooks_post_receive(publish: Path, branch: str | None, keep: int, allow_code_changes: bool) -> None:
    """Run by git: build the pushed branch and publish it; a failure keeps the last good site."""
    import sys

    from generator.commands.hooks import Target, run_hook

    if not run_hook("post-receive", sys.stdin, Target(publish, branch, keep, allow_code_changes)):
        raise SystemExit(1)


def main() -> None:
    """Entry point of the ``archive`` console script (and of ``python -m generator``).

    SIGTERM (a hook stopped, a service stopped, the parent of a build gone) ends the command the
    way Ctrl-C does: the half-built site folder is removed and the site engine stopped."""
    import signal

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    cli(prog_name="archive")
