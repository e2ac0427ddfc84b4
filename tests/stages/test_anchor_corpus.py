"""The edit corpus (:mod:`.edit_corpus`) as a quality gate: on every edited case the archive's
anchoring, given the lock entry recorded on the original text, is never wrong, and is right at
least as often as the floors pinned below. The table per edit type is written to
``tests/artifacts/anchoring-corpus.md``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from generator.util.text import shorten

from ..conftest import REPO
from . import edit_corpus
from .edit_corpus import EDITS, Case, run, table, verdict

ARTIFACTS = REPO / "tests" / "artifacts"
FLOORS = {"bundled": 239, "synthetic": 239, "heldout": 398, "fresh": 552}
"""Cases anchored right (of 240, 240, 400, 560) when this gate was set: a change may raise them."""
HYPOTHESIS_CORRECT = 192
"""The Hypothesis client's ``matchQuote`` (quote, 32 characters either side, position hint) on the
same 240 bundled cases, run in node beside this corpus: 192 right, 48 wrong (it is not run here:
the suite needs no node)."""
INDISTINGUISHABLE = {"fresh:delete:council-1:s8"}
"""The one case where the edit cannot be told from another: "Residents of Derna welcomed the list
of candidates without a vote, local media reported. Residents of Derna approved the list …" with
the first sentence deleted reads exactly as the first changed to "approved" and the second
deleted. The note is re-anchored on the second, with a warning naming the old and new words."""


@pytest.fixture(scope="module")
def outcomes() -> list[tuple[Case, edit_corpus.Outcome, str]]:
    cases = edit_corpus.build_corpus(REPO)
    rows = []
    for case in cases:
        outcome = run(case)
        rows.append((case, outcome, verdict(case, outcome.status, outcome.span)))
    ARTIFACTS.mkdir(exist_ok=True)
    parts = ["# Anchoring on the edit corpus\n", "With the lock entry recorded on the original text.\n"]
    for source in edit_corpus.SOURCES:
        chosen = [(c, v, o.warning is not None) for c, o, v in rows if c.source == source]
        parts.append(f"\n## {source} ({len(chosen)} cases)\n\n{table(chosen)}\n")
    bundled = [c for c in cases if c.source == "bundled"]
    without = [(c, verdict(c, o.status, o.span), o.warning is not None) for c in bundled for o in [run(c, lock=False)]]
    parts.append(f"\n## bundled, without a lock entry (the first build)\n\n{table(without)}\n")
    (ARTIFACTS / "anchoring-corpus.md").write_text("".join(parts), encoding="utf-8")
    return rows


def test_the_corpus_has_eight_edits_of_each_of_the_archives_notes(outcomes) -> None:
    bundled = [case for case, _, _ in outcomes if case.source == "bundled"]
    notes = {(case.note.path, case.note.id) for case in bundled}
    assert len(notes) >= 30 and len(bundled) == 8 * len(notes)
    assert Counter(case.edit for case in bundled) == dict.fromkeys(EDITS, len(notes))
    for case in bundled:
        if case.expected is not None:
            assert case.text[slice(*case.expected)].split()  # a span of words


@pytest.mark.parametrize("source", edit_corpus.SOURCES)
def test_never_wrong_and_right_at_least_as_often_as_the_floor(outcomes, source: str) -> None:
    rows = [(case, outcome, v) for case, outcome, v in outcomes if case.source == source]
    wrong = {case.id: f"{case.id}: {outcome.message}" for case, outcome, v in rows if v == "wrong"}
    assert set(wrong) <= INDISTINGUISHABLE, "\n".join(wrong.values())
    correct = sum(v == "correct" for _, _, v in rows)
    assert correct >= FLOORS[source]
    for case, outcome, _ in rows:
        if case.edit == "delete" and case.id not in INDISTINGUISHABLE:
            assert outcome.status == "orphan", case.id  # a deleted sentence stays an orphan


def test_the_same_words_are_anchored_without_a_warning(outcomes) -> None:
    for case, outcome, v in outcomes:
        if case.source == "bundled" and case.edit in ("insert", "whitespace", "decoy-untouched"):
            assert (v, outcome.warning) == ("correct", None), case.id


def test_every_reanchored_note_is_a_warning_naming_old_and_new_words(outcomes) -> None:
    for case, outcome, _ in outcomes:
        if outcome.status == "anchored" and case.edit in ("typo", "synonym", "decoy-edited"):
            assert outcome.warning is not None and "moved: the note now marks" in outcome.warning, case.id
            assert f'instead of "{shorten(case.recorded.exact, 120, one_line=True)}"' in outcome.warning, case.id


def test_beats_the_hypothesis_matcher_on_the_bundled_cases(outcomes) -> None:
    correct = sum(v == "correct" for case, _, v in outcomes if case.source == "bundled")
    assert correct > HYPOTHESIS_CORRECT


def test_without_an_anchors_file_the_context_note_add_writes_is_enough(outcomes) -> None:
    # A note written by 'archive note add' carries the 32 characters either side as its own
    # prefix and suffix: before any build has recorded it, it is as safe.
    rows = []
    for case, _, _ in outcomes:
        if case.source == "bundled":
            note = replace(case.note, prefix=case.recorded.prefix, suffix=case.recorded.suffix)
            outcome = run(replace(case, note=note), lock=False)
            rows.append((case, verdict(case, outcome.status, outcome.span)))
    assert [case.id for case, v in rows if v == "wrong"] == []
    assert sum(v == "correct" for _, v in rows) >= 238
