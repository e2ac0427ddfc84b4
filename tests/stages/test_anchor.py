"""Anchoring notes to the exact words they quote: exact, ambiguous, missing and fuzzy cases,
typography (curly quotes, non-breaking spaces, line breaks) and code-point offsets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.errors import NoteAnchorError
from generator.inputs.notes_file import Note
from generator.model import Article, Block, Meta
from generator.stages.anchor import anchor_notes, anchor_quote, normalise, with_note_spans

NOTES = Path("articles/t.notes.yml")


def article(*paragraphs: str) -> Article:
    """An article whose paragraphs start on lines 1, 3, 5, … of its source file."""
    blocks = tuple(Block(text, line=1 + 2 * i) for i, text in enumerate(paragraphs))
    return Article("t", Path("articles/t.md"), Meta(title="T"), blocks)


def note(quote: str, prefix: str = "", suffix: str = "", ident: str = "n") -> Note:
    return Note(
        id=ident, kind="context", quote=quote, prefix=prefix, suffix=suffix, body="b", body_text="b",
        body_spans=(), sources=(), author="A", date=dt.date(2026, 1, 1), path=NOTES, line=7,
        quote_line=9, quote_column=10,
    )  # fmt: skip


def test_exact_unique_match_is_anchored_at_its_offsets() -> None:
    art = article("Haftar controls the east.", "Sarraj holds Tripoli.")
    anchor, warning = anchor_quote(art, note("holds Tripoli"))
    assert warning is None and not anchor.fuzzy
    assert (anchor.start, anchor.end) == (34, 47)
    assert art.text[anchor.start : anchor.end] == "holds Tripoli"


def test_repeated_quote_is_an_error_listing_every_occurrence_with_its_line() -> None:
    art = article("U.S officials said yes.", "Later, U.S officials said no.")
    with pytest.raises(NoteAnchorError) as caught:
        anchor_quote(art, note("U.S officials"))
    message = caught.value.format_message()
    assert message.startswith("articles/t.notes.yml:9:10: note 'n': quote 'U.S officials' occurs 2 times")
    assert '(line 1: "U.S officials said yes."; line 3: "Later, U.S officials said no.")' in message
    assert "add a prefix or suffix" in message


@pytest.mark.parametrize(
    ("prefix", "suffix", "expected"),
    [("Later,", "", 1), ("", "said yes", 0), ("Later, ", "said no.", 1), ("later,", "", 1), ("Meanwhile", "", None)],
)
def test_prefix_and_suffix_choose_among_repeated_words(prefix: str, suffix: str, expected: int | None) -> None:
    art = article("U.S officials said yes.", "Later, U.S officials said no.")
    # An edited context ("later,") still picks the occurrence whose surroundings are clearly the most
    # alike; a context like neither occurrence does not guess.
    if expected is None:
        with pytest.raises(NoteAnchorError, match="occurs 2 times"):
            anchor_quote(art, note("U.S officials", prefix, suffix))
        return
    anchor, warning = anchor_quote(art, note("U.S officials", prefix, suffix))
    assert warning is None
    assert anchor.start == [0, 32][expected]


def test_missing_quote_is_an_orphan_naming_the_closest_text() -> None:
    art = article("The Trump administration is working on a policy for Libya.")
    with pytest.raises(NoteAnchorError) as caught:
        anchor_quote(art, note("the Obama administration decided on sanctions against Iran"))
    message = caught.value.format_message()
    assert message.startswith("articles/t.notes.yml:9:10: note 'n': quote not found; closest: \"")
    assert "% similar" in message and "quote the article's words exactly, or delete the note" in message


def test_fuzzy_anchor_after_a_typo_fix_is_a_warning_naming_old_and_new_words() -> None:
    # The article was re-cleaned and "Kalifa" corrected; the note still quotes the old words.
    art = article("Sarraj dominates the west and Khalifa Haftar controls the east.")
    anchor, warning = anchor_quote(art, note("and Kalifa Haftar controls"))
    assert anchor.fuzzy and anchor.exact == "and Khalifa Haftar controls"
    assert str(warning) == (
        "articles/t.notes.yml:9:10: note 'n': quote not found as written; anchored to "
        '"and Khalifa Haftar controls" (line 1, 98% similar) instead of "and Kalifa Haftar controls"; '
        "run 'archive note accept n' to take the new wording, or update the quote in the notes file"
    )


def test_fuzzy_refused_when_two_passages_are_equally_close() -> None:
    art = article("Haftar controls the western part.", "Sarraj said Haftar controls the eastern part.")
    with pytest.raises(NoteAnchorError, match="two passages are about as close") as caught:
        anchor_quote(art, note("Haftar controls the southern part"))  # 92% like each: no clear winner
    assert "(line 1)" in caught.value.format_message() and "(line 3)" in caught.value.format_message()


def test_fuzzy_refused_below_the_score_threshold() -> None:
    art = article("Most of the information will deal with counterterrorism.")
    with pytest.raises(NoteAnchorError, match=r"quote not found; closest: .*\(line 1, \d+% similar\)"):
        anchor_quote(art, note("information about the migration crisis"))


def test_short_quotes_never_anchor_approximately() -> None:
    # A short quote is close to many unrelated words; it must match exactly or not at all.
    art = article("Libya and Syria and Iraq.")
    with pytest.raises(NoteAnchorError, match="a quote this short must match exactly"):
        anchor_quote(art, note("Lybia"))


def test_context_picks_the_fuzzy_passage_among_lookalikes() -> None:
    art = article("In Tripoli the unity government met.", "In Tobruk the unity parliament met.")
    anchor, warning = anchor_quote(art, note("the unity governmnt", prefix="In Tripoli", suffix="met"))
    assert warning and anchor.exact == "the unity government"


def test_curly_quotes_nbsp_and_line_breaks_do_not_stop_a_match() -> None:
    text = "supporting the \u201cunity\u00a0government\u201d in\nTripoli, it said"
    art = article(text)
    anchor, warning = anchor_quote(art, note('the "unity government" in Tripoli'))
    assert warning is None
    assert art.text[anchor.start : anchor.end] == "the \u201cunity\u00a0government\u201d in\nTripoli"
    # and the other way round: a curly quote in the note, straight apostrophe in the text
    art2 = article("the United States' existence in Benghazi")
    anchor2, _ = anchor_quote(art2, note("United States\u2019 existence"))
    assert art2.text[anchor2.start : anchor2.end] == "United States' existence"


def test_offsets_count_code_points_with_astral_characters() -> None:
    art = article("\U0001f600\U0001f30d News \u2014 Haftar\u00a0said so.")
    anchor, _ = anchor_quote(art, note("Haftar said"))
    # Each emoji counts one (a code point), not two (UTF-16 units, as JavaScript would count).
    assert (anchor.start, anchor.end) == (10, 21)
    assert art.text[anchor.start : anchor.end] == "Haftar\u00a0said"


def test_normalise_maps_collapsed_white_space_back_to_the_original() -> None:
    norm = normalise("a \u00a0\n b\u2019c")
    assert norm.text == "a b'c"
    assert norm.span(0, 3) == (0, 6)  # "a b" stands for "a \u00a0\n b"
    assert norm.span(2, 5) == (5, 8)


def test_a_quote_across_two_blocks_becomes_one_span_per_block() -> None:
    art = article("The first paragraph ends here.", "The second starts here.")
    anchored, warnings, errors = anchor_notes(art, [note("ends here. The second")])
    assert not warnings and not errors
    spans = [(b.text[s.start : s.end], s.target) for b in with_note_spans(art, anchored).blocks for s in b.spans]
    assert spans == [("ends here.", "n"), ("The second", "n")]


def test_notes_are_numbered_in_reading_order_and_errors_collected() -> None:
    art = article("alpha beta gamma delta epsilon")
    notes = [note("delta", ident="late"), note("alpha", ident="early"), note("omega omega omega", ident="lost")]
    anchored, warnings, errors = anchor_notes(art, notes)
    assert [(a.number, a.note.id) for a in anchored] == [(1, "early"), (2, "late")]
    assert len(errors) == 1 and "note 'lost'" in errors[0].format_message()


WORDS = st.text(alphabet=st.sampled_from("abcdefgh \u00a0\u2019\u201c\n\U0001f600"), max_size=40)


@settings(max_examples=200, deadline=None)
@given(
    before=WORDS, after=WORDS, insert=WORDS, edit_at=st.floats(0, 1), edit_before=st.booleans(), cut=st.integers(0, 10)
)
def test_edits_outside_the_quote_never_move_or_orphan_the_note(
    before: str, after: str, insert: str, edit_at: float, edit_before: bool, cut: int
) -> None:
    quote = "Kalifa Haftar who controls the western part"
    original = f"{before} {quote} {after}"
    assume(normalise(original).text.count(quote) == 1)
    # Edit (insert text and delete a few characters) somewhere before or after the quote.
    if edit_before:
        at = int(edit_at * len(before))
        edited_before = before[:at] + insert + before[at + cut :]
        edited = f"{edited_before} {quote} {after}"
        start = len(edited_before) + 1
    else:
        at = int(edit_at * len(after))
        edited = f"{before} {quote} {after[:at] + insert + after[at + cut :]}"
        start = len(before) + 1
    assume(normalise(edited).text.count(normalise(quote).text) == 1)
    anchor, warning = anchor_quote(article(edited), note(quote))
    assert warning is None
    assert (anchor.start, anchor.end) == (start, start + len(quote))
