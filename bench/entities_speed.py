"""Words per second of the entity stage on the two seed articles repeated, versus raw nlp.pipe.

Usage: python bench/entities_speed.py [COPIES]   (default 200)

Measures, on the same block texts:
  raw-ner      spacy.load(model, exclude=…) with only ner; list(nlp.pipe(texts, batch_size=32))
  raw-pipeline the archive's pipeline (sentencizer + ner + registry ruler); list(nlp.pipe(…))
  stage        generator.entities.find_entities: the pipeline plus resolving mentions and
               adding spans to every article (what the build runs)
Each is run three times after one warm-up; the best time is reported.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.pipeline import load  # noqa: E402
from generator.settings import Settings  # noqa: E402
from generator.stages.entities import BATCH_SIZE, EXCLUDE, find_entities, load_pipeline  # noqa: E402


def best(fn, runs: int = 3) -> float:
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    import spacy

    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    loaded = load(Settings.load(ROOT))
    registry = loaded.entities.registry
    originals = [
        replace(
            a,
            blocks=tuple(
                replace(b, spans=tuple(s for s in b.spans if s.kind not in ("entity", "mention"))) for b in a.blocks
            ),
        )
        for a in loaded.articles
    ]
    articles = [replace(a, slug=f"{a.slug}-{i}") for i in range(copies) for a in originals]
    texts = [b.text for a in articles for b in a.blocks]
    words = sum(len(t.split()) for t in texts)
    model = Settings.load(ROOT).spacy_model
    raw = spacy.load(model, exclude=EXCLUDE)
    nlp = load_pipeline(registry, model)
    print(f"{len(articles)} articles, {len(texts)} blocks, {words} words; model {model}, batch {BATCH_SIZE}")
    for label, fn in (
        ("raw-ner", lambda: list(raw.pipe(texts, batch_size=BATCH_SIZE))),
        ("raw-pipeline", lambda: list(nlp.pipe(texts, batch_size=BATCH_SIZE))),
        ("stage", lambda: find_entities(articles, registry, nlp)),
    ):
        seconds = best(fn)
        print(f"{label:<13} {seconds:6.2f} s  {words / seconds:9.0f} words/s")


if __name__ == "__main__":
    main()
