"""Time per note of anchoring, by path, on the edit corpus of the tests (tests/stages/edit_corpus.py).

Usage: python bench/anchoring_speed.py [--all]   (default: the bundled notes' 240 cases; --all: 1,440)

Each case is anchored three times and the fastest is kept (the machine is shared: the minimum is
the least disturbed), with the article's text already normalised, as it is for every note of an
article but the first; normalising a text (once per article) is timed apart. The paths:

  unchanged   the article text as recorded: the lock entry is checked against it and stands
  exact       one exact hit with the recorded context on both sides: no approximate search
  scored      every candidate scored (exact words found, but not with their context)
  fuzzy       every candidate scored, anchored approximately (a typo, a word or two changed)
  refused     every candidate scored, the note stopped (orphan, ambiguous, would move)
  no lock     the first build: no entry, the note's own prefix and suffix (none here)

Writes bench/anchoring.json and bench/anchoring.md, and prints the table.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.errors import NoteAnchorError  # noqa: E402
from generator.stages import typography  # noqa: E402
from generator.stages.anchor import anchor_quote  # noqa: E402
from tests.stages import edit_corpus  # noqa: E402


def fastest(fn, runs: int = 3) -> float:
    """The fastest of *runs* calls of *fn*, in microseconds."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter_ns()
        fn()
        best = min(best, (time.perf_counter_ns() - started) / 1000)
    return best


def path_of(case: edit_corpus.Case, recorded: object) -> str:
    try:
        anchor, _ = anchor_quote(case.article, case.note, recorded)  # type: ignore[arg-type]
    except NoteAnchorError:
        return "refused"
    if anchor.method == "scored":
        return "fuzzy" if anchor.fuzzy else "scored"
    return anchor.method


def measure(cases: list[edit_corpus.Case]) -> dict[str, list[float]]:
    times: dict[str, list[float]] = defaultdict(list)
    seen: set[str] = set()
    for case in cases:
        article = case.article
        typography.normalise(article.text)  # as for every note of an article but the first

        def call(recorded: object = case.recorded, art=article, note=case.note) -> None:
            try:
                anchor_quote(art, note, recorded)  # type: ignore[arg-type]
            except NoteAnchorError:
                pass

        times[path_of(case, case.recorded)].append(fastest(call))
        times["no lock"].append(fastest(lambda: call(None)))
        key = f"{case.source}/{case.note.path}/{case.note.id}"
        if key not in seen:  # the article as recorded, once per note
            seen.add(key)
            original = case.original
            typography.normalise(original.text)

            def unchanged(art=original, note=case.note, recorded=case.recorded) -> None:
                anchor_quote(art, note, recorded)

            times["unchanged"].append(fastest(unchanged))
    texts = {case.text for case in cases}
    for text in texts:

        def fold(t: str = text) -> None:
            typography._normalise.cache_clear()
            typography.normalise(t)

        times["normalising a text (once per article)"].append(fastest(fold))
    return times


def table(times: dict[str, list[float]]) -> tuple[str, dict[str, dict[str, float]]]:
    order = ["unchanged", "exact", "scored", "fuzzy", "refused", "no lock", "normalising a text (once per article)"]
    rows = ["| path | notes | median µs | p95 µs | max µs |", "|---|---:|---:|---:|---:|"]
    figures = {}
    for name in order:
        xs = sorted(times.get(name, []))
        if not xs:
            continue
        p95 = xs[min(len(xs) - 1, int(0.95 * len(xs)))]
        figures[name] = {"count": len(xs), "median_us": statistics.median(xs), "p95_us": p95, "max_us": xs[-1]}
        rows.append(f"| {name} | {len(xs)} | {statistics.median(xs):,.0f} | {p95:,.0f} | {xs[-1]:,.0f} |")
    return "\n".join(rows), figures


def main() -> None:
    sources = edit_corpus.SOURCES if "--all" in sys.argv else ("bundled",)
    cases = edit_corpus.build_corpus(ROOT, sources)
    calibration = fastest(lambda: sum(range(10**6)), runs=5) / 1000
    times = measure(cases)
    text, figures = table(times)
    load = os.getloadavg()
    header = (
        f"Anchoring, time per note: {len(cases)} edited cases ({', '.join(sources)}); fastest of three per case; "
        f"calibration sum(range(10**6)) {calibration:.0f} ms; load average {load[0]:.1f}.\n\n"
    )
    out = ROOT / "bench"
    (out / "anchoring.md").write_text(header + text + "\n", encoding="utf-8")
    results = {"sources": list(sources), "cases": len(cases), "calibration_ms": calibration, "paths": figures}
    (out / "anchoring.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(header + text)


if __name__ == "__main__":
    main()
