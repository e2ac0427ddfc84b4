"""The development corpus measured: how well cleaning removes chrome, keeps every word and reads
the metadata of plain-text articles (``tests/fixtures/corpus/<name>.txt`` with
``<name>.expected.json``, written from ``src/<name>.ann``).

Each article goes through what a build does with it: ``read_source`` → the archive's rules →
``clean_source``. Then, by line of the .txt (the expected file records where each kept paragraph
starts and where each chrome and header line is; each kept block keeps its first line):

* **chrome kept**: chrome lines (navigation, share prompts …) whose text is still in the kept
  block that spans their line;
* **header kept**: header lines (headline, byline, dateline, masthead) still in the text;
* **words lost**: words of an expected paragraph missing from the block kept at its line (an
  article that fails to clean loses all its words);
* **metadata accuracy** per field (title, author, publisher, date, and original_publisher where
  expected): case and spacing ignored, authors compared as lists of names ("Dr." ignored);
* **build-stopping files**: articles whose cleaning raises; an article with an expected
  ``problem`` (no usable header) must carry a warning instead.

Run ``python -m tests.stages.corpus_measure [-v]`` for the table; the quality gate is
``tests/stages/test_corpus_gate.py`` with its floors in ``corpus_gate.json``.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from generator.errors import ArchiveError
from generator.inputs.articles import read_source
from generator.inputs.blocks import split_blocks
from generator.inputs.rules import Rules, load_rules
from generator.stages.clean import clean_source

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "fixtures" / "corpus"
FIELDS = ("title", "author", "publisher", "date")
EXTRA_FIELDS = ("original_publisher",)
_NAMES = re.compile(r"\s*(?:,|&|\band\b)\s*", re.IGNORECASE)
_HONORIFIC = re.compile(r"^(?:dr|prof|professor)\.?\s+")


def normal(value: Any) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return " ".join(text.casefold().replace("’", "'").split()) or None


def same(field: str, got: Any, want: Any) -> bool:
    got, want = normal(got), normal(want)
    if field == "author" and got and want:

        def names(value: str) -> list[str]:
            return sorted(_HONORIFIC.sub("", name) for name in _NAMES.split(value) if name)

        return names(got) == names(want)
    return got == want


def measure_article(txt: Path, rules: Rules) -> dict[str, Any]:
    expected = json.loads(txt.with_suffix(".expected.json").read_text(encoding="utf-8"))
    lines = expected["lines"]
    result: dict[str, Any] = {
        "name": txt.stem,
        "style": expected.get("style"),
        "problem": expected.get("problem"),
        "chrome_total": len(expected["chrome"]),
        "header_total": len(expected["header"]),
        "kept_total": len(expected["kept"]),
        "kept_words": sum(len(p.split()) for p in expected["kept"]),
        "chrome_kinds": [expected["chrome_kinds"][t] for t in expected["chrome"]],
        "judged": [f for f in (*FIELDS, *EXTRA_FIELDS) if f in FIELDS or f in expected],
        "expected": {f: expected.get(f) for f in (*FIELDS, *EXTRA_FIELDS)},
    }
    try:
        source = read_source(txt)
        cleaned = clean_source(source, rules)
    except ArchiveError as exc:
        result.update(
            status="error", error=exc.format_message(), chrome_kept=[], header_kept=[], lost=[],
            words_lost=result["kept_words"], intact=0, meta={}, correct={}, warnings=[],
        )  # fmt: skip
        return result
    article = cleaned.article
    span = {first: (first, first + text.count("\n")) for first, text in split_blocks(source.body, source.body_line)}
    kept_blocks = [(block, span.get(block.line, (block.line, block.line))) for block in article.blocks]

    def still_there(text: str, line: int) -> bool:
        wanted = " ".join(text.split())
        return any(lo <= line <= hi and wanted in " ".join(b.text.split()) for b, (lo, hi) in kept_blocks)

    chrome_kept = [
        (text, expected["chrome_kinds"][text])
        for text, line in zip(expected["chrome"], lines["chrome"], strict=True)
        if still_there(text, line)
    ]
    header_kept = [
        text for text, line in zip(expected["header"], lines["header"], strict=True) if still_there(text, line)
    ]
    by_line = {block.line: block for block in article.blocks}
    lost = 0
    intact = 0
    sample: list[str] = []
    for text, line in zip(expected["kept"], lines["kept"], strict=True):
        block = by_line.get(line)
        got = block.text if block is not None else ""
        missing = Counter(text.split()) - Counter(got.split())
        lost += sum(missing.values())
        intact += got == text
        if missing:
            sample.append(text[:70] if block is None else "…" + " ".join(list(missing)[:6]))
    meta = {f: getattr(article.meta, f, None) for f in (*FIELDS, *EXTRA_FIELDS)}
    correct = {f: same(f, meta[f], expected.get(f)) for f in result["judged"]}
    warnings = [str(p) for p in cleaned.problems]
    result.update(
        status="warned" if warnings else "ok",
        warnings=warnings,
        chrome_kept=chrome_kept,
        header_kept=header_kept,
        words_lost=lost,
        lost=sample,
        intact=intact,
        meta={f: (v.isoformat() if hasattr(v, "isoformat") else v) for f, v in meta.items()},
        correct=correct,
    )
    return result


def measure(corpus: Path = CORPUS, rules: Rules | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(totals, per-article results) over every article of *corpus*."""
    rules = rules or load_rules(REPO / "rules")
    results = [measure_article(txt, rules) for txt in sorted(corpus.glob("*.txt"))]
    return totals(results), results


def totals(results: list[dict[str, Any]]) -> dict[str, Any]:
    regular = [r for r in results if not r["problem"]]
    problems = [r for r in results if r["problem"]]
    chrome_total = sum(r["chrome_total"] for r in results)
    chrome_kept = sum(len(r["chrome_kept"]) for r in results)
    accuracy = {}
    for field in (*FIELDS, *EXTRA_FIELDS):
        judged = [r["correct"].get(field, False) for r in regular if field in r["judged"]]
        accuracy[field] = round(sum(judged) / len(judged), 3) if judged else None
    return {
        "articles": len(results),
        "chrome_lines": chrome_total,
        "chrome_kept": chrome_kept,
        "chrome_kept_share": round(chrome_kept / chrome_total, 3) if chrome_total else 0.0,
        "header_lines": sum(r["header_total"] for r in results),
        "header_kept": sum(len(r["header_kept"]) for r in results),
        "kept_words": sum(r["kept_words"] for r in results),
        "words_lost": sum(r["words_lost"] for r in results),
        "paragraphs": sum(r["kept_total"] for r in results),
        "paragraphs_intact": sum(r["intact"] for r in results),
        "metadata_accuracy": accuracy,
        "build_stopping_files": [r["name"] for r in results if r["status"] == "error"],
        "problem_files_silent": [r["name"] for r in problems if r["status"] != "warned"],
        "warned_files": [r["name"] for r in regular if r["status"] == "warned"],
    }


def check_gate(summary: dict[str, Any], gate: dict[str, Any]) -> list[str]:
    """The floors the totals cross (empty when the gate passes)."""
    crossed = []
    if summary["chrome_kept_share"] > gate["max_chrome_kept_share"]:
        crossed.append(f"chrome kept {summary['chrome_kept_share']:.3f} > {gate['max_chrome_kept_share']}")
    for key in ("words_lost", "header_kept"):
        if summary[key] > gate[f"max_{key}"]:
            crossed.append(f"{key} {summary[key]} > {gate[f'max_{key}']}")
    if summary["paragraphs_intact"] < summary["paragraphs"] - gate["max_paragraphs_changed"]:
        crossed.append(f"paragraphs intact {summary['paragraphs_intact']} of {summary['paragraphs']}")
    for field, floor in gate["min_metadata_accuracy"].items():
        value = summary["metadata_accuracy"].get(field)
        if value is None or value < floor:
            crossed.append(f"{field} accuracy {value} < {floor}")
    if summary["build_stopping_files"]:
        crossed.append(f"build-stopping files {summary['build_stopping_files']}")
    if summary["problem_files_silent"]:
        crossed.append(f"problem files accepted without a warning: {summary['problem_files_silent']}")
    if len(summary["warned_files"]) > gate["max_warned_files"]:
        crossed.append(f"articles warned about: {summary['warned_files']}")
    return crossed


def report(summary: dict[str, Any], results: list[dict[str, Any]], verbose: bool = False) -> str:
    out = []
    for r in results:
        marks = " ".join(
            "E" if r["status"] == "error" else "-" if r["problem"] else "✓" if r["correct"].get(f) else "✗"
            for f in FIELDS
        )
        out.append(
            f"{r['name'][:34]:<34} {len(r['chrome_kept']):>2}/{r['chrome_total']:<2} {len(r['header_kept']):>2}/"
            f"{r['header_total']:<2} {r['words_lost']:>4} {r['intact']:>2}/{r['kept_total']:<2} {marks}"
        )
        if verbose:
            out += [f"    error: {r['error']}" for _ in [0] if r["status"] == "error"]
            out += [f"    chrome kept [{kind}]: {text[:90]}" for text, kind in r["chrome_kept"]]
            out += [f"    header kept: {text[:90]}" for text in r["header_kept"]]
            out += [f"    words lost: {line}" for line in r["lost"]]
            out += [f"    warning: {w}" for w in r.get("warnings", [])]
            out += [
                f"    {f}: got {r['meta'].get(f)!r}, expected {r['expected'].get(f)!r}"
                for f, ok in r["correct"].items()
                if not ok
            ]
    s = summary
    accuracy = "  ".join(f"{k} {v:.3f}" for k, v in s["metadata_accuracy"].items() if v is not None)
    out += [
        "",
        f"chrome lines kept {s['chrome_kept']} of {s['chrome_lines']} ({s['chrome_kept_share']:.1%}); "
        f"header lines kept {s['header_kept']} of {s['header_lines']}; words lost {s['words_lost']} of "
        f"{s['kept_words']}; paragraphs intact {s['paragraphs_intact']} of {s['paragraphs']}",
        f"metadata accuracy: {accuracy}",
        f"build-stopping files {s['build_stopping_files']}; problem files without a warning "
        f"{s['problem_files_silent']}; warned {s['warned_files']}",
    ]
    return "\n".join(out)


if __name__ == "__main__":
    summary, results = measure()
    print(report(summary, results, verbose="-v" in sys.argv))
