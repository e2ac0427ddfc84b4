"""Saved web pages: what ``archive add`` keeps of an article, beside plain trafilatura, on the
ScrapingHub article-extraction-benchmark (https://github.com/scrapinghub/article-extraction-benchmark,
181 news pages with their article text as ground truth), in one run.

Usage::

    python bench/extraction.py BENCHMARK_DIR [--limit N] [--results bench/results.json] [--no-gate]

BENCHMARK_DIR is a checkout of the benchmark (its ``html/*.html.gz``, ``ground-truth.json`` and
``evaluate.py``; the figures in ``bench/results.json`` are from commit 4a3bc979f76c). The pages are
other publishers' and stay out of this repository; the benchmark's code is MIT-licensed
(Copyright (c) 2020 Scrapinghub) and is loaded from BENCHMARK_DIR, not copied.

For every page:

* **trafilatura**: ``trafilatura.extract(html, include_comments=False)``, as the benchmark's own
  ``extractors/run_trafilatura.py`` runs it;
* **project**: what ``archive add`` keeps: :func:`generator.inputs.extract.extract_html` → its
  Markdown under front matter made of the page's metadata → :func:`generator.stages.clean.clean`
  with the archive's rules → the article's text.

Figures, averaged as the benchmark's ``evaluate.py`` does (per page tp/fp/fn normalised, mean
precision and recall over pages, F1 of the means): F1, precision and recall on a **bag of words**
(``\\w+`` tokens) and on the benchmark's own **4-gram shingles**; **lost words**: words of
trafilatura's tree missing from the article's Markdown read back (in order, and as multisets),
which must be 0; **removed by the cleaner**: words the rules then took out, each a reported
removal. The gate (unless ``--no-gate``): the project's F1 on both bases at least trafilatura's in
the same run, and no word lost; exit status 1 otherwise.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.errors import ArchiveError  # noqa: E402
from generator.inputs.articles import FrontMatter, Source  # noqa: E402
from generator.inputs.blocks import read_blocks  # noqa: E402
from generator.inputs.extract import extract_html  # noqa: E402
from generator.inputs.rules import load_rules  # noqa: E402
from generator.stages.clean import clean  # noqa: E402

WORD = re.compile(r"\w+")
KEY = "extraction"
"""The key of these figures in ``bench/results.json``."""


def bag_of_words(true: str, pred: str) -> tuple[float, float, float]:
    """tp, fp, fn over ``\\w+`` token multisets, normalised to sum 1 (as the benchmark does)."""
    t, p = Counter(WORD.findall(true or "")), Counter(WORD.findall(pred or ""))
    tp, fp, fn = sum((t & p).values()), sum((p - t).values()), sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _evaluate_module(bench: Path) -> Any:
    spec = importlib.util.spec_from_file_location("benchmark_evaluate", bench / "evaluate.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"{bench}/evaluate.py not found: give the benchmark's checkout")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def project_text(markdown: str, metadata: dict[str, Any], rules: Any, name: str) -> tuple[str, int, str]:
    """The article's text as ``archive add`` and the build keep it, the words the cleaner removed,
    and why cleaning failed (empty when it did not)."""
    fields = {k: v for k, v in metadata.items() if v is not None}
    try:
        front = FrontMatter(**fields)
    except ValueError:  # a field the import would refuse (and ask to correct): keep the others
        front = FrontMatter(**{k: v for k, v in fields.items() if k in ("title", "author", "publisher")})
    try:
        article = clean(Source("page", Path(name), front, markdown, 1, None), rules)
    except ArchiveError as exc:
        return "", 0, exc.reason
    removed = sum(len(r.text.split()) for r in article.removals if not r.kept_words)
    return article.text, removed, ""


def measure(bench: Path, limit: int = 0) -> dict[str, Any]:
    import trafilatura

    evaluate = _evaluate_module(bench)
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    rules = load_rules(ROOT / "rules")
    pages = sorted((bench / "html").glob("*.html.gz"))[: limit or None]
    bow: dict[str, list[tuple[float, float, float]]] = {"trafilatura": [], "project": []}
    shingles: dict[str, list[tuple[float, float, float]]] = {"trafilatura": [], "project": []}
    lost_in_order = lost_multiset = lost_pages = removed = 0
    refused: list[str] = []
    worst: list[tuple[int, str, list[str]]] = []
    started = time.perf_counter()
    for number, path in enumerate(pages, 1):
        key = path.name.split(".")[0]
        data = gzip.decompress(path.read_bytes())
        true = truth[key].get("articleBody", "")
        texts = {"trafilatura": trafilatura.extract(data.decode("utf-8"), include_comments=False) or ""}
        extracted = extract_html(data)
        if extracted is None:
            refused.append(f"{key}: no article text found")
            texts["project"] = ""
        else:
            read = " ".join(block.text for block in read_blocks(extracted.markdown))
            multiset = Counter(WORD.findall(" ".join(extracted.words))) - Counter(WORD.findall(read))
            lost_multiset += sum(multiset.values())
            lost_in_order += len(extracted.dropped)
            lost_pages += bool(extracted.dropped or multiset)
            if extracted.dropped:
                worst.append((len(extracted.dropped), key, list(extracted.dropped[:8])))
            text, words_removed, reason = project_text(extracted.markdown, extracted.metadata, rules, f"{key}.md")
            if reason:
                refused.append(f"{key}: {reason}")
            removed += words_removed
            texts["project"] = text
        for name, text in texts.items():
            bow[name].append(bag_of_words(true, text))
            shingles[name].append(evaluate.string_shingle_matching(true=true, pred=text))
        if number % 30 == 0:
            print(f"  {number}/{len(pages)} pages, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    results: dict[str, Any] = {
        "pages": len(pages),
        "trafilatura_version": trafilatura.__version__,
        "seconds": round(time.perf_counter() - started, 1),
    }
    for name in ("trafilatura", "project"):
        results[name] = {
            "bag_of_words": {k: round(v, 4) for k, v in evaluate.metrics_from_tp_fp_fns(bow[name]).items()},
            "shingles_4": {k: round(v, 4) for k, v in evaluate.metrics_from_tp_fp_fns(shingles[name]).items()},
        }
    results["project"].update(
        lost_words_in_order=lost_in_order,
        lost_words_multiset=lost_multiset,
        pages_with_lost_words=lost_pages,
        removed_by_cleaner_words=removed,
        pages_refused=refused,
        worst_pages=[f"{key}: {n} ({' '.join(words)})" for n, key, words in sorted(worst, reverse=True)[:5]],
    )
    return results


def gate(results: dict[str, Any]) -> list[str]:
    """What fails the gate (empty when it passes)."""
    failed = [
        f"{basis} F1 {results['project'][basis]['f1']:.4f} < trafilatura's {results['trafilatura'][basis]['f1']:.4f}"
        for basis in ("bag_of_words", "shingles_4")
        if results["project"][basis]["f1"] < results["trafilatura"][basis]["f1"]
    ]
    lost = results["project"]["lost_words_in_order"] + results["project"]["lost_words_multiset"]
    if lost:
        failed.append(f"{lost} words of trafilatura's tree lost")
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bench", type=Path, help="the benchmark's checkout (html/, ground-truth.json, evaluate.py)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (by file name)")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--no-gate", action="store_true", help="report only; exit 0 whatever the figures")
    args = parser.parse_args()
    if not (args.bench / "ground-truth.json").is_file():
        parser.error(f"{args.bench} holds no ground-truth.json: give the benchmark's checkout")
    results = measure(args.bench, args.limit)
    print(f"\n{results['pages']} pages, trafilatura {results['trafilatura_version']}, {results['seconds']} s\n")
    print(f"{'':<12} {'F1 bow':>7} {'P':>6} {'R':>6} {'F1 4-gram':>10} {'P':>6} {'R':>6}")
    for name in ("trafilatura", "project"):
        b, s = results[name]["bag_of_words"], results[name]["shingles_4"]
        print(
            f"{name:<12} {b['f1']:>7.3f} {b['precision']:>6.3f} {b['recall']:>6.3f} "
            f"{s['f1']:>10.3f} {s['precision']:>6.3f} {s['recall']:>6.3f}"
        )
    project = results["project"]
    print(
        f"\nlost words: {project['lost_words_in_order']} in order, {project['lost_words_multiset']} as multisets, "
        f"on {project['pages_with_lost_words']} pages; removed by the cleaner (reported): "
        f"{project['removed_by_cleaner_words']} words; pages refused: {len(project['pages_refused'])}"
    )
    for line in project["worst_pages"] + project["pages_refused"]:
        print(f"  {line}")
    failed = gate(results)
    results["gate"] = "passed" if not failed else "failed: " + "; ".join(failed)
    print(f"\ngate: {results['gate']}")
    if not args.limit:
        stored = json.loads(args.results.read_text(encoding="utf-8")) if args.results.is_file() else {}
        stored[KEY] = results
        args.results.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"figures written to {args.results} under {KEY!r}")
    return 1 if failed and not args.no_gate else 0


if __name__ == "__main__":
    sys.exit(main())
