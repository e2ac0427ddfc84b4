"""``archive bench``'s results: the machine it ran on, ``bench/results.json`` (merged with the
sizes already there) and the Markdown table beside it."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from pathlib import Path

from generator.commands.bench import QUERY, RAW_SAMPLE, REPO


def machine() -> dict[str, object]:
    import importlib.metadata

    def version(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "?"

    from generator.settings import DEFAULT_MODEL
    from generator.stages.modelinfo import model_version

    return {
        "date": dt.date.today().isoformat(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "spacy": version("spacy"),
        "model": model_version(DEFAULT_MODEL),
        "mkdocs": version("mkdocs"),
        "mkdocs-material": version("mkdocs-material"),
        "pagefind": version("pagefind"),
        "load_average_at_start": list(os.getloadavg()),
    }


def write_results(results: dict[str, object], out: Path) -> None:
    """Write *results* as JSON, and the table of :func:`table` beside it (``.md``)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(table(results), encoding="utf-8")


ROWS: tuple[tuple[str, str, str], ...] = (
    ("articles", "Articles", "{:,}"),
    ("words", "Words", "{:,}"),
    ("cold_generate_s", "Cold generate (s)", "{:,.1f}"),
    ("generate_wps", "Generate, words/s", "{:,.0f}"),
    ("raw_spacy_wps", "Raw spaCy nlp.pipe, words/s", "{:,.0f}"),
    ("raw_spacy_articles", "… measured on (articles)", "{:,}"),
    ("raw_spacy_wps_by_processes", "… by processes (1, 2)", "procs"),
    ("raw_spacy_wps_before", "… 2 processes, just before the generate", "{:,.0f}"),
    ("raw_spacy_wps_after", "… 2 processes, just after it", "{:,.0f}"),
    ("raw_spacy_wps_default_blas", "… 2 processes, OpenBLAS with a thread per core", "{:,.0f}"),
    ("raw_spacy_best", "… the fastest, the denominator", "{}"),
    ("processes", "… processes the generator used", "{}"),
    ("generate_vs_raw", "**Generate ÷ raw spaCy** (wall clock)", "**{:.2f}**"),
    ("generate_cpu_wps", "Generate, words per CPU second", "{:,.0f}"),
    ("raw_spacy_cpu_wps", "Raw spaCy, words per CPU second", "{:,.0f}"),
    ("generate_vs_raw_cpu", "**Generate ÷ raw spaCy** (CPU time)", "**{:.2f}**"),
    ("noop_rebuild_s", "No-op generate (s)", "{:.2f}"),
    ("noop_vs_cold", "No-op ÷ cold", "{:.1%}"),
    ("one_note_rebuild_s", "Generate after one note changed (s)", "{:.2f}"),
    ("one_note_written", "… files written", "len"),
    ("one_note_build_s", "**`archive build` after one note changed (s)**", "**{:.2f}**"),
    ("one_note_build_generate_s", "… of which generating the pages (s)", "{:.1f}"),
    ("one_note_build_mkdocs_s", "… of which MkDocs (s)", "{:.1f}"),
    ("one_note_build_pages_rendered", "… site pages the engine rendered", "{}"),
    ("one_note_build_pages_indexed", "… pages Pagefind indexed", "{}"),
    ("one_note_build_indexed_kb", "… bytes Pagefind read (KB)", "{:,}"),
    ("one_note_build_peak_rss_mb", "… peak RSS (MB)", "{:,.0f}"),
    ("full_build_s", "`archive build` in full, pages already generated (s)", "{:,.1f}"),
    ("full_build_peak_rss_mb", "… peak RSS (MB)", "{:,.0f}"),
    ("mkdocs_build_s", "MkDocs build (s)", "{:,.1f}"),
    ("pagefind_index_s", "Pagefind indexing (s)", "{:,.1f}"),
    ("pages", "HTML pages", "{:,}"),
    ("mkdocs_ms_per_page", "MkDocs, ms per page", "{:.1f}"),
    ("site_bytes", "Site size (MB)", "mb"),
    ("site_bytes_per_page", "Site size per page (KB)", "kb"),
    ("search_engine", "Search", "{}"),
    ("pagefind_bundles", "… Pagefind bundles", "{}"),
    ("search_first_query_bytes", "Downloaded for one query (KB)", "kb"),
    ("search_first_query_bytes_gzip", "… from a server that compresses text (KB)", "kb"),
    ("search_first_query_bytes_after_edit", "… after one note changed (delta bundle) (KB)", "kb"),
    ("generate_peak_rss_mb", "Peak RSS, generate (MB)", "{:,.0f}"),
    ("one_note_generate_peak_rss_mb", "Peak RSS, generate after one note changed (MB)", "{:,.0f}"),
    ("mkdocs_peak_rss_mb", "Peak RSS, MkDocs (MB)", "{:,.0f}"),
    ("pagefind_peak_rss_mb", "Peak RSS, Pagefind (MB)", "{:,.0f}"),
    ("peak_rss_mb", "Peak RSS, any step (MB)", "{:,.0f}"),
)


def _cell(value: object, style: str) -> str:
    if value is None:
        return "–"
    if style == "procs":
        return " / ".join(f"{float(v):,.0f}" for _, v in sorted(value.items()))  # type: ignore[attr-defined]
    if style == "len":
        return f"{len(value)}"  # type: ignore[arg-type]
    if style == "mb":
        return f"{float(value) / 1e6:,.1f}"  # type: ignore[arg-type]
    if style == "kb":
        return f"{float(value) / 1e3:,.1f}"  # type: ignore[arg-type]
    return style.format(value)


def table(results: dict[str, object]) -> str:
    """The results as a Markdown table, one column per size, with notes on the method."""
    from generator.settings import Settings

    sizes = sorted((k for k in results if k.isdigit()), key=int)
    lines = [
        "# Benchmark results",
        "",
        "Written by `archive bench` (`make bench`); see `generator/commands/bench.py` for the method.",
        "",
        "| | " + " | ".join(f"{int(s):,} articles" for s in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for key, label, style in ROWS:
        cells = [_cell(results[s].get(key), style) for s in sizes]  # type: ignore[attr-defined]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    info = results.get("machine", {})
    lines += [
        "",
        "Notes:",
        "",
        f"- Machine: {info.get('cpus')} cores, Python {info.get('python')}, spaCy {info.get('spacy')}, "  # type: ignore[union-attr]
        f"model {info.get('model')}, MkDocs {info.get('mkdocs')}, Material {info.get('mkdocs-material')}, "  # type: ignore[union-attr]
        f"Pagefind {info.get('pagefind')}; run on {info.get('date')}. The machine is shared: timings "  # type: ignore[union-attr]
        "vary from run to run, which is why raw spaCy is measured in the same run as the generator.",
        "- Generate words/s counts the whole cold run (reading, cleaning, notes, model loading, the model, "
        "rendering, writing) against the words of the cleaned texts; raw spaCy is `nlp.pipe` alone over the "
        f"same block texts (model loaded beforehand), on every article up to {RAW_SAMPLE:,} and on every n-th "
        f"article above that (a deterministic sample of {RAW_SAMPLE:,}), with one process and with as many as "
        "the generator used, with one BLAS thread a process as the generator's model (`OPENBLAS_NUM_THREADS=1`), "
        "and once more with as many processes and OpenBLAS's default of a thread for every core; the fastest "
        "is the denominator. The run with as many processes and one thread is made twice, just before the "
        "generate and just after it, and counts as the mean of their times (the `procs` row shows that mean): "
        "the machine's speed drifts over the generate's minutes, and one raw run of half a minute moved the "
        "ratio by up to 6%. (`nlp.pipe(n_process=2)` sends every "
        "document back to the main process, which reads it at a cost of milliseconds; the generator's worker "
        "processes send back only the mentions.) On a shared machine the wall-clock ratio moves with other "
        "people's load between the two measurements; the CPU-time ratio (user and system seconds of every "
        "process, workers included) is steadier.",
        "- No-op: a second `archive generate` with nothing changed (whole-run fast path). One note: the body "
        "of one note changed, then `archive generate`; the files written are listed in results.json.",
        "- `archive build` after one note: the site built once in full by `archive build` (which records it), "
        "then one note's body changed and `archive build` timed end to end (generate, MkDocs building only the "
        "changed pages into a hard-link copy of the site, Pagefind indexing them into its delta bundle, the "
        "feeds, the swap); the pages and bytes are those the build reported.",
        "- MkDocs build: the engine alone into a fresh folder, without Material's search plugin when Pagefind "
        "is used; per page divides by the HTML pages built. Site size includes the search index.",
        f"- Search: bytes the local server sent after the first keystroke of `{QUERY}` on the home page in "
        "Chromium, until the results showed and the network was idle, plus any search file fetched on page "
        "load (Material's index). The local server sends files as they are; the second figure is what a "
        "server that gzips text (GitHub Pages does) would send: HTML, JavaScript, JSON and CSS compressed, "
        "Pagefind's index files (gzip already) as they are.",
        "- Peak RSS: the largest resident set of one process (the step or a child it waited for). Pagefind "
        "runs after MkDocs in the same step, so its own peak is known only where it is the larger (– otherwise). "
        f"Above {Settings.load(REPO).pagefind_shard:,} searched pages the index is built in several Pagefind "
        "bundles, one run "
        "each, which the browser merges.",
    ]
    lines += [f"- {int(s):,} articles: {results[s]['note']}" for s in sizes if results[s].get("note")]  # type: ignore[index,union-attr]
    return "\n".join(lines) + "\n"
