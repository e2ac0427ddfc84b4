"""``archive bench``: how the pipeline scales, measured on synthetic archives.

For each size, a synthetic archive (:mod:`generator.commands.synth`: about 600 words an article, naming
the registry's entities, with two notes each, the same text for the same seed) is written into
the work folder, and each step runs as its own process, as a user would run it:

1. ``archive generate --no-cache`` from cold, beside raw spaCy (``nlp.pipe`` with the same model,
   components, batch size, number of processes and BLAS threads
   (:func:`generator.settings.one_blas_thread`), no archive code) on the same block texts,
   in the same run, just before the generate and just after it: the ratio of their words per
   second is the figure that matters, and the mean of the two raw runs takes out the machine's
   drift over the generate's minutes (one raw run alone moved the ratio by up to 6%);
2. ``archive generate`` again with nothing changed, then after one note's body changed;
3. the site engine (MkDocs) and, above the threshold, Pagefind, into ``site/``;
4. one search query typed in Debian's Chromium against the site served on 127.0.0.1, counting
   the bytes the server sent to answer it.

Timings are wall-clock seconds on whatever machine runs it: figures to compare, not assertions.
Peak memory is the largest resident set of any one process of a step (``wait4``'s ``ru_maxrss``,
which covers the step's children: MkDocs, spaCy's worker processes).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RAW_SAMPLE = 1000
"""Raw spaCy is measured on at most this many articles (every n-th, by file name)."""
QUERY = "ceasefire"
"""The search query: a word in the synthetic text that many pages share."""
CHROMIUM = "/usr/bin/chromium"


def _python_env(**changes: str) -> dict[str, str]:
    from generator.settings import child_environment

    env = child_environment(**changes)
    path = env.get("PYTHONPATH", "")
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + path if path else "")
    return env


def timed(args: list[str], cwd: Path | None = None, **env: str) -> tuple[float, float, str]:
    """Run ``python -m <args>`` (with the variables *env* set); return (wall seconds, peak RSS in
    MB of the process and the children it waited for, via ``os.wait4``, standard output)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", *args],
        cwd=cwd,
        env=_python_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    chunks: dict[str, bytes] = {}

    def drain(name: str, stream: object) -> None:
        chunks[name] = stream.read()  # type: ignore[attr-defined]

    threads = [
        threading.Thread(target=drain, args=(n, s)) for n, s in (("out", process.stdout), ("err", process.stderr))
    ]
    for thread in threads:
        thread.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    for thread in threads:
        thread.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    out = chunks.get("out", b"").decode("utf-8", "replace")
    if process.returncode != 0:
        err = chunks.get("err", b"").decode("utf-8", "replace")
        raise RuntimeError(f"python -m {' '.join(args)} failed ({process.returncode}):\n{out}\n{err}")
    global last_cpu_s
    last_cpu_s = usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss / 1024, out


last_cpu_s = 0.0
"""CPU seconds (user and system) of the last :func:`timed` step and the children it waited for."""


def archive_texts(root: Path) -> tuple[list[str], list[list[str]]]:
    """The slugs and, per article, its block texts after cleaning (what the model reads)."""
    from generator.inputs.articles import find_sources, read_source
    from generator.inputs.rules import load_rules
    from generator.settings import Settings
    from generator.stages.clean import clean

    project = Settings.load(root)
    rules = load_rules(project.rules)
    paths, _ = find_sources(project.articles)
    slugs, texts = [], []
    for path in paths:
        article = clean(read_source(path), rules)
        slugs.append(article.slug)
        texts.append([block.text for block in article.blocks])
    return slugs, texts


def raw_spacy(root: Path, sample: int, processes: int) -> dict[str, float | str]:
    """Words per second of plain ``nlp.pipe`` over the archive's block texts (or every n-th
    article's, when there are more than *sample*), with the generator's model, components
    (``ner`` only), batch size and *processes*, and its BLAS threads (one, unless the step's
    environment says otherwise: :func:`generator.settings.one_blas_thread`). Runs in the step's
    own process."""
    from generator.settings import Settings, one_blas_thread

    blas_threads = one_blas_thread()
    import spacy

    from generator.stages.entities import BATCH_SIZE, EXCLUDE

    _, per_article = archive_texts(root)
    step = max(1, -(-len(per_article) // sample))
    chosen = per_article[::step]
    texts = [text for blocks in chosen for text in blocks]
    words = sum(len(text.split()) for text in texts)
    nlp = spacy.load(Settings.load(root).spacy_model, exclude=EXCLUDE)
    list(nlp.pipe(texts[:20], batch_size=BATCH_SIZE))  # warm up
    import resource

    def cpu() -> float:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    started, cpu_started = time.perf_counter(), cpu()
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=processes):
        pass
    seconds, cpu_seconds = time.perf_counter() - started, cpu() - cpu_started
    return {
        "articles": len(chosen),
        "words": words,
        "seconds": seconds,
        "wps": words / seconds,
        "cpu_s": cpu_seconds,
        "cpu_wps": words / cpu_seconds,
        "blas_threads": blas_threads,
    }


def bracketed(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """One raw run's figures from two, of the same texts, made before and after the step they
    are compared with: the seconds and CPU seconds are their means, the rates follow from them."""
    seconds = (before["seconds"] + after["seconds"]) / 2
    cpu_s = (before["cpu_s"] + after["cpu_s"]) / 2
    words = after["words"]
    return {**after, "seconds": seconds, "wps": words / seconds, "cpu_s": cpu_s, "cpu_wps": words / cpu_s}


def engine_step(root: Path, articles: int) -> dict[str, float | bool]:
    """Build ``site/`` from the generated pages: the engine, then Pagefind above the threshold."""
    import resource

    from generator.engines.pagefind import index_site, pagefind_config, uses_pagefind
    from generator.engines.run import run_engine
    from generator.settings import Settings

    project = Settings.load(root)
    dest = project.root / ".site-bench"
    shutil.rmtree(dest, ignore_errors=True)
    pagefind = uses_pagefind(project, articles)
    started = time.perf_counter()
    if pagefind:
        with pagefind_config(project.config) as config:
            run_engine("mkdocs", config, dest, False)
    else:
        run_engine("mkdocs", project.config, dest, False)
    engine_s = time.perf_counter() - started
    engine_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    started = time.perf_counter()
    if pagefind:
        index_site(dest, project.pagefind_shard)
    index_s = time.perf_counter() - started
    after_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    bundles = len(list(dest.glob("pagefind*/pagefind-entry.json")))
    shutil.rmtree(project.site, ignore_errors=True)
    dest.rename(project.site)
    return {
        "mkdocs_build_s": engine_s,
        "pagefind_index_s": index_s,
        "pagefind": pagefind,
        "pagefind_bundles": bundles,
        "mkdocs_peak_rss_mb": engine_rss,
        # The children's peak only grows: Pagefind's own is known when it passes MkDocs's.
        "pagefind_peak_rss_mb": after_rss if after_rss > engine_rss else None,
    }


def site_size(site: Path) -> tuple[int, int]:
    """(bytes of every file, number of HTML pages) of a built site."""
    total = pages = 0
    for path in site.rglob("*"):
        if path.is_file():
            total += path.stat().st_size
            if path.suffix == ".html" and path.name != "404.html":
                pages += 1
    return total, pages


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    sent: list[tuple[str, int]]

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def copyfile(self, source, outputfile) -> None:  # type: ignore[no-untyped-def]
        data = source.read()
        outputfile.write(data)
        self.sent.append((self.path, len(data)))


@contextlib.contextmanager
def serve_counting(site: Path) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """Serve *site* on 127.0.0.1; yield its URL and the list of (path, bytes) it sends."""
    sent: list[tuple[str, int]] = []
    handler = type("Handler", (_CountingHandler,), {"sent": sent})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/", sent
    finally:
        server.shutdown()
        server.server_close()


def _is_search_file(path: str) -> bool:
    return (
        path.startswith(("/search/", "/pagefind/", "/pagefind-"))
        or "workers/search" in path
        or path.endswith("/search.js")
    )


COMPRESSED_TYPES = (".html", ".js", ".json", ".css", ".svg", ".txt", ".xml")
"""Files a web server such as GitHub Pages sends gzip-compressed (Pagefind's own files are
gzip already)."""


def _gzipped_size(site: Path, path: str, sent: int) -> int:
    """The bytes a server that compresses text would send for *path* (*sent* uncompressed)."""
    import gzip

    local = site / path.split("?", 1)[0].lstrip("/")
    if local.is_dir():
        local = local / "index.html"
    if local.suffix not in COMPRESSED_TYPES or not local.is_file():
        return sent
    return len(gzip.compress(local.read_bytes(), compresslevel=6, mtime=0))


def search_bytes(site: Path, pagefind: bool, query: str = QUERY) -> dict[str, object]:
    """Bytes the server sends to answer one query typed on the home page in Chromium: every
    response after the first keystroke, plus search files fetched before it (Material loads
    its whole index when the page opens)."""
    from playwright.sync_api import sync_playwright

    with serve_counting(site) as (url, sent), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--disable-quic"]
        )
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.goto(url)
            page.wait_for_load_state("networkidle")
            before = len(sent)
            started = time.perf_counter()
            if pagefind:
                page.locator(".archive-search__input").press_sequentially(query, delay=20)
                page.locator(".archive-search__item").first.wait_for(timeout=60_000)
                results = page.locator(".archive-search__item").count()
            else:
                page.locator("label.md-search__icon, .md-search__input").first.click()
                page.locator(".md-search__input").press_sequentially(query, delay=20)
                page.locator(".md-search-result__item").first.wait_for(timeout=60_000)
                results = page.locator(".md-search-result__item").count()
            page.wait_for_load_state("networkidle")
            seconds = time.perf_counter() - started
        finally:
            browser.close()
    counted = [(p, n) for i, (p, n) in enumerate(sent) if i >= before or _is_search_file(p)]
    return {
        "search_first_query_bytes": sum(n for _, n in counted),
        "search_first_query_bytes_gzip": sum(_gzipped_size(site, p, n) for p, n in counted),
        "search_first_query_files": len(counted),
        "search_first_query_s": seconds,
        "search_results_shown": results,
        "search_query": query,
    }


def _change_one_note(root: Path) -> str:
    notes = sorted((root / "articles").glob("*.notes.yml"))[0]
    text = notes.read_text(encoding="utf-8")
    changed = text.replace("three weeks", "four weeks", 1)
    if changed == text:
        changed = text.replace("four weeks", "three weeks", 1)
    notes.write_text(changed, encoding="utf-8")
    return notes.name


def bench_size(size: int, work: Path, raw_sample: int = RAW_SAMPLE, log=print) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Every figure for an archive of *size* articles (written into *work*/<size>)."""
    from generator.commands.synth import make_archive
    from generator.engines.pagefind import uses_pagefind
    from generator.settings import BLAS_THREADS, Settings
    from generator.stages.entities import processes

    root = work.resolve() / str(size)
    shutil.rmtree(root, ignore_errors=True)
    log(f"[{size}] writing the synthetic archive into {root}")
    make_archive(root, size, REPO)
    _, per_article = archive_texts(root)
    words = sum(len(text.split()) for blocks in per_article for text in blocks)
    blocks = sum(len(blocks) for blocks in per_article)
    settings = Settings.load(root)
    n_process = processes(blocks, settings.processes)
    result: dict[str, object] = {"articles": size, "words": words, "blocks": blocks, "processes": n_process}
    os.sync()  # the archive's files go to disk now, not in the middle of a timed step

    def raw_run(count: int, when: str, **env: str) -> dict[str, float]:
        log(f"[{size}] raw spaCy nlp.pipe (n_process={count}){when}")
        _, rss, out = timed(["generator.commands.bench", "raw", str(root), str(raw_sample), str(count)], **env)
        raw = json.loads(out.strip().splitlines()[-1])
        raw["rss_mb"] = rss
        log(f"[{size}]   {raw['wps']:,.0f} words/s on {raw['articles']} articles")
        return raw

    before = raw_run(n_process, ", before the generate")
    log(f"[{size}] cold generate ({words:,} words)")
    seconds, rss, _ = timed(["generator", "generate", "--no-cache", "--root", str(root)])
    result.update(
        cold_generate_s=seconds,
        generate_wps=words / seconds,
        generate_peak_rss_mb=rss,
        cold_generate_cpu_s=last_cpu_s,
        generate_cpu_wps=words / last_cpu_s,
    )
    log(f"[{size}]   {seconds:.1f} s, {words / seconds:,.0f} words/s, {rss:,.0f} MB")

    # The run with as many processes first: "just after" the generate, as "before" was just before.
    after = raw_run(n_process, ", just after the generate")
    by_processes = {str(count): raw_run(count, "") for count in sorted({1} - {n_process})}
    by_processes[str(n_process)] = bracketed(before, after)
    # Raw spaCy as the library comes too: OpenBLAS with a thread for every core it may run on.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    default_blas = raw_run(n_process, f", OpenBLAS with {cores} threads", **{BLAS_THREADS: str(cores)})
    raw_rss = max(raw["rss_mb"] for raw in (before, after, default_blas, *by_processes.values()))
    # The denominator is raw spaCy at its best, whichever way was fastest: with n_process=2, spaCy
    # sends every document back to the main process, which costs more than the second process
    # saves on a busy machine; the BLAS library's threads cost the model more than they give.
    runs = {**by_processes, "default_blas": default_blas}
    best_name = max(runs, key=lambda name: runs[name]["wps"])
    best = runs[best_name]
    result.update(
        raw_spacy_wps=best["wps"],
        raw_spacy_articles=best["articles"],
        raw_spacy_words=best["words"],
        raw_spacy_s=best["seconds"],
        raw_spacy_wps_by_processes={k: v["wps"] for k, v in by_processes.items()},
        raw_spacy_wps_before=before["wps"],
        raw_spacy_wps_after=after["wps"],
        raw_spacy_wps_default_blas=default_blas["wps"],
        raw_spacy_best=best_name,
        raw_spacy_blas_threads=after["blas_threads"],
        generate_vs_raw=(words / seconds) / best["wps"],
        raw_spacy_cpu_wps=max(v["cpu_wps"] for v in runs.values()),
    )
    result["generate_vs_raw_cpu"] = float(result["generate_cpu_wps"]) / float(result["raw_spacy_cpu_wps"])  # type: ignore[arg-type]
    log(f"[{size}]   ratio {result['generate_vs_raw']:.2f}")

    seconds, rss, out = timed(["generator", "generate", "--root", str(root)])
    result.update(noop_rebuild_s=seconds, noop_vs_cold=seconds / float(result["cold_generate_s"]))  # type: ignore[arg-type]
    log(f"[{size}] no-op generate {seconds:.2f} s")

    changed = _change_one_note(root)
    seconds, rss, out = timed(["generator", "generate", "--list-written", "--root", str(root)])
    written = [line.split(": ", 1)[1] for line in out.splitlines() if line.startswith(("  written: ", "  removed: "))]
    result.update(one_note_rebuild_s=seconds, one_note_file=changed, one_note_written=written)
    result["one_note_generate_peak_rss_mb"] = rss
    log(f"[{size}] one note changed: {seconds:.2f} s, {len(written)} files written")

    log(f"[{size}] site engine")
    _, build_rss, out = timed(["generator.commands.bench", "engine", str(root), str(size)])
    engine = json.loads(out.strip().splitlines()[-1])
    site_bytes, pages = site_size(root / "site")
    result.update(
        mkdocs_build_s=engine["mkdocs_build_s"],
        pagefind_index_s=engine["pagefind_index_s"],
        search_engine="pagefind" if engine["pagefind"] else "material",
        pages=pages,
        mkdocs_ms_per_page=1000 * engine["mkdocs_build_s"] / pages,
        site_bytes=site_bytes,
        site_bytes_per_page=site_bytes / pages,
        build_peak_rss_mb=build_rss,
        mkdocs_peak_rss_mb=engine["mkdocs_peak_rss_mb"],
        pagefind_peak_rss_mb=engine["pagefind_peak_rss_mb"],
        pagefind_bundles=engine["pagefind_bundles"],
    )
    log(f"[{size}]   {engine['mkdocs_build_s']:.1f} s for {pages:,} pages; {site_bytes / 1e6:,.1f} MB")

    log(f"[{size}] search in Chromium")
    result.update(search_bytes(root / "site", uses_pagefind(settings, size)))
    log(f"[{size}]   {result['search_first_query_bytes']:,} bytes")
    result.update(one_note_build(root, log=lambda line: log(f"[{size}] {line}")))
    result.update(
        {f"{key}_after_edit": value for key, value in search_bytes(root / "site", uses_pagefind(settings, size)).items()
         if key.startswith("search_first_query_bytes")}
    )  # fmt: skip
    steps = ("generate", "one_note_generate", "full_build", "one_note_build")
    steps = tuple(f"{step}_peak_rss_mb" for step in steps)
    result["peak_rss_mb"] = max(build_rss, *(float(result[key]) for key in steps))  # type: ignore[arg-type]
    result["raw_spacy_peak_rss_mb"] = raw_rss
    return result


SITE_LINE = re.compile(
    r"Site: built only what changed \((\d+) pages? rendered(?:, (\d+) removed)?; "
    r"(\d+) indexed by Pagefind \(([\d,]+) KB\);.*?MkDocs ([\d.]+) s(?: \(given ([\d,]+) of ([\d,]+) files\))?"
)
STEPS_LINE = re.compile(r"pages generated in ([\d.]+) s, site built in ([\d.]+) s\)")


def one_note_build(root: Path, log=print) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """``archive build`` as an editor runs it: once in full (which records the site), then after one
    note's body changed; what the second build re-rendered and re-indexed, from what it printed."""
    log("archive build (in full: no earlier build recorded)")
    seconds, rss, _ = timed(["generator", "build", "--root", str(root)])
    result: dict[str, object] = {"full_build_s": seconds, "full_build_peak_rss_mb": rss}
    log(f"  {seconds:.1f} s, {rss:,.0f} MB")
    changed = _change_one_note(root)
    seconds, rss, out = timed(["generator", "build", "--root", str(root)])
    found = SITE_LINE.search(out)
    result.update(
        one_note_build_s=seconds,
        one_note_build_file=changed,
        one_note_build_peak_rss_mb=rss,
        one_note_build_incremental=found is not None,
        one_note_build_pages_rendered=int(found.group(1)) if found else None,
        one_note_build_pages_indexed=int(found.group(3)) if found else None,
        one_note_build_indexed_kb=int(found.group(4).replace(",", "")) if found else None,
        one_note_build_mkdocs_s=float(found.group(5)) if found else None,
        one_note_build_mkdocs_given=int(found.group(6).replace(",", "")) if found and found.group(6) else None,
        one_note_build_docs_files=int(found.group(7).replace(",", "")) if found and found.group(7) else None,
    )
    steps = STEPS_LINE.search(out)
    if steps:
        result.update(one_note_build_generate_s=float(steps.group(1)), one_note_build_site_s=float(steps.group(2)))
    said = found.group(0) if found else out.strip().splitlines()[-1]
    log(f"archive build after one note changed: {seconds:.2f} s, {rss:,.0f} MB; {said}")
    return result


def run(sizes: list[int], out: Path, work: Path, raw_sample: int = RAW_SAMPLE, log=print) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Benchmark every size; merge into the results already in *out*; write them after each size."""
    from generator.commands.bench_results import machine, write_results

    results: dict[str, object] = {}
    if out.is_file():
        with contextlib.suppress(ValueError):
            results = json.loads(out.read_text(encoding="utf-8"))
    results["machine"] = machine()
    for size in sizes:
        results[str(size)] = bench_size(size, work, raw_sample, log)
        write_results(results, out)
    return results


def _main(argv: list[str]) -> None:
    """Internal steps, each run in its own process: ``raw ROOT SAMPLE PROCESSES``, ``engine ROOT ARTICLES``."""
    step, root = argv[0], Path(argv[1])
    if step == "raw":
        print(json.dumps(raw_spacy(root, int(argv[2]), int(argv[3]))))
    elif step == "engine":
        print(json.dumps(engine_step(root, int(argv[2]))))
    else:
        raise SystemExit(f"unknown step {step!r}")


if __name__ == "__main__":
    _main(sys.argv[1:])
