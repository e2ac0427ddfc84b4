"""The quality gate of plain-text import: the development corpus against floors pinned in a file.

38 invented articles in the styles of wire services, newspapers, magazines, blogs, aggregators,
press releases and e-mail newsletters (``tests/fixtures/corpus/``), each with its expected
metadata and kept paragraphs. The suite fails when chrome kept, words lost, header lines kept or
metadata accuracy cross the floors of ``corpus_gate.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from .corpus_measure import CORPUS, check_gate, measure, report

GATE = Path(__file__).with_name("corpus_gate.json")


@pytest.fixture(scope="module")
def measured() -> tuple[dict, list[dict]]:
    return measure()


def test_the_corpus_is_what_its_annotated_sources_give() -> None:
    sys.path.insert(0, str(CORPUS))
    try:
        import make_corpus  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(CORPUS))
    built = make_corpus.build_all()
    assert len(built) >= 30
    assert {p.stem for p in CORPUS.glob("*.txt")} == set(built)
    for name, (text, expected) in built.items():
        assert (CORPUS / f"{name}.txt").read_text(encoding="utf-8") == text, name
        assert (CORPUS / f"{name}.expected.json").read_text(encoding="utf-8") == make_corpus.expected_json(expected)


def test_the_corpus_passes_its_quality_gate(measured: tuple[dict, list[dict]]) -> None:
    summary, results = measured
    crossed = check_gate(summary, json.loads(GATE.read_text(encoding="utf-8")))
    assert not crossed, "\n".join(crossed) + "\n\n" + report(summary, results, verbose=True)


def test_the_corpus_covers_the_styles_and_the_hard_cases(measured: tuple[dict, list[dict]]) -> None:
    _, results = measured
    styles = {r["style"] for r in results}
    assert {"wire", "newspaper", "magazine", "blog", "aggregator"} <= styles
    assert sum(r["kept_words"] for r in results) > 7000
    assert any(r["problem"] == "no-title" for r in results)


def test_an_article_without_a_header_is_kept_whole_under_a_visible_warning(measured: tuple[dict, list[dict]]) -> None:
    _, results = measured
    (untitled,) = [r for r in results if r["problem"] == "no-title"]
    assert untitled["status"] == "warned" and untitled["words_lost"] == 0
    assert "the article has no title" in untitled["warnings"][0]


def test_the_measurement_itself_sees_kept_chrome_and_lost_words(tmp_path: Path) -> None:
    """The gate can fail: with no rules and a cleaner that cannot read headers, the figures are bad."""
    from generator.inputs.rules import load_rules

    (tmp_path / "empty.yml").write_text("blocks: []\n", encoding="utf-8")
    summary, _ = measure(rules=load_rules(tmp_path))
    crossed = check_gate(summary, json.loads(GATE.read_text(encoding="utf-8")))
    assert summary["chrome_kept_share"] > 0.5
    assert any(line.startswith("chrome kept") for line in crossed)
