"""A note never lands on words it did not quote, however the article is edited: anchoring with the
lock entry of the last build (articles/<slug>.anchors.yml), unit cases and properties.

Covered: decoy + edited original (never the decoy), decoy + untouched original (the original,
with no prefix or suffix in the note), synonyms inside a quote (re-anchored with a warning when
the context and most words agree), a deleted sentence (an orphan), edits outside the quote (the
note does not move), typography (never matters), an unchanged text (nothing searched), an
edited quote, prefix or suffix, and an entry that does not fit the text it claims.
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass, replace

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from generator.errors import LockError, NoteAnchorError
from generator.model import AnchorRecord
from generator.stages.anchor import Anchor, anchor_quote, record
from generator.stages.candidates import FUZZY_MIN_LENGTH, REWORDED_MIN_SCORE

from .test_anchor import article, note


@dataclass(frozen=True)
class Outcome:
    status: str
    start: int | None = None
    end: int | None = None
    warning: str | None = None
    message: str = ""
    method: str = ""


def anchor(text: str, quote: str, prefix: str = "", suffix: str = "", recorded: AnchorRecord | None = None) -> Outcome:
    """Anchor *quote* in the article whose paragraphs are *text*'s (split at blank lines)."""
    art = article(*text.split("\n\n"))
    try:
        found, warning = anchor_quote(art, note(quote, prefix, suffix), recorded)
    except NoteAnchorError as exc:
        return Outcome(exc.outcome, message=exc.format_message())
    return Outcome("anchored", found.start, found.end, None if warning is None else warning.message, "", found.method)


def lock(text: str, quote: str, start: int | None = None, prefix: str = "", suffix: str = "") -> AnchorRecord:
    """The entry a build on *text* records for *quote* (at its first occurrence, or at *start*)."""
    start = text.index(quote) if start is None else start
    return record(article(*text.split("\n\n")), note(quote, prefix, suffix), Anchor(start, start + len(quote), quote))


def span_of(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


P1 = "US officials familiar with the situation say the administration is likely to announce a dramatic change."
P2 = "Libya currently faces a challenge of forming a national government that will be accepted by all sides."
P3 = "Officials believe that the goals of the new strategy will be difficult to accomplish."
TEXT = "\n\n".join([P1, P2, P3])
QUOTE = "forming a national government that will be accepted"
DECOY = f"One reader wrote only this: {QUOTE}."


def test_unchanged_text_uses_the_entry_without_searching() -> None:
    result = anchor(TEXT, QUOTE, recorded=lock(TEXT, QUOTE))
    assert (result.status, result.method, result.warning) == ("anchored", "recorded", None)
    assert TEXT[result.start : result.end] == QUOTE


def test_edit_elsewhere_is_an_exact_hit_with_its_context_and_no_fuzzy_search() -> None:
    edited = TEXT.replace("difficult", "hard")
    result = anchor(edited, QUOTE, recorded=lock(TEXT, QUOTE))
    assert (result.status, result.method, result.warning) == ("anchored", "exact", None)
    assert (result.start, result.end) == span_of(edited, QUOTE)


def test_decoy_and_edited_original_never_lands_on_the_decoy() -> None:
    # The quote is copied into another paragraph, and a word of the original misspelt.
    edited = "\n\n".join([P1 + " " + DECOY, P2.replace("accepted", "acepted"), P3])
    result = anchor(edited, QUOTE, recorded=lock(TEXT, QUOTE))
    assert result.status == "anchored"
    assert (result.start, result.end) == span_of(edited, "forming a national government that will be acepted")
    assert result.warning == (
        "note 'n': moved: the note now marks \"forming a national government that will be acepted\" (line 3, 99% "
        f"similar, a typo or two away) instead of \"{QUOTE}\" (line 3 at the last build); run 'archive note accept n' "
        "to take the new wording, or update the quote in the notes file; the quote's exact words are also at line 1: "
        f'"{QUOTE}", without the recorded context'
    )


def test_decoy_and_rewritten_original_stops_naming_both_places() -> None:
    # The original is rewritten beyond a typo or a synonym (still like the quote, its context
    # intact), and an exact copy stands elsewhere: the note must not move to the copy.
    rewritten = P2.replace(QUOTE, "forming a unity administration which everyone accepted")
    edited = "\n\n".join([P1 + " " + DECOY, rewritten, P3])
    result = anchor(edited, QUOTE, recorded=lock(TEXT, QUOTE))
    assert result.status == "moved"
    assert result.message.startswith(
        "articles/t.notes.yml:9:10: note 'n': the note would move: its place, line 3, now reads "
        '"forming a unity administration which everyone accepted", and the quote matches best at line 1: '
        f'"{QUOTE}"'
    )
    assert "A note does not move on its own" in result.message


def test_decoy_and_untouched_original_is_the_original_without_prefix_or_suffix() -> None:
    edited = "\n\n".join([DECOY, P1, P2, P3])
    result = anchor(edited, QUOTE, recorded=lock(TEXT, QUOTE))
    want = edited.index(P2) + P2.index(QUOTE)
    assert (result.status, result.start, result.end, result.warning) == ("anchored", want, want + len(QUOTE), None)


def test_without_an_entry_two_copies_are_ambiguous_and_a_prefix_picks_one() -> None:
    edited = "\n\n".join([DECOY, P1, P2, P3])
    result = anchor(edited, QUOTE)
    assert result.status == "ambiguous" and f"quote '{QUOTE}' occurs 2 times" in result.message
    result = anchor(edited, QUOTE, prefix="a challenge of")
    assert result.status == "anchored" and result.start == edited.index(P2) + P2.index(QUOTE)


def test_the_port_authority_does_not_move_to_the_other_one() -> None:
    # As a new user tried it: a note placed with a suffix on one of two "the port authority";
    # then its own is edited (a typo made, replaced, or its sentence deleted).
    one = "Officials said the port authority would work with the navy on the plan."
    two = "Critics said the port authority had no budget for it."
    text = "\n\n".join([one, two])
    entry = lock(text, "the port authority", suffix=" would work")
    typo = anchor(
        text.replace("port authority would", "port autority would"), "the port authority", "", " would work", entry
    )
    assert (typo.status, typo.start) == ("anchored", 15) and "moved: the note now marks" in (typo.warning or "")
    replaced = anchor(text.replace("the port authority would", "the harbour board would"), "the port authority", "",
                      " would work", entry)  # fmt: skip
    assert replaced.status == "moved" and 'its place, line 1, now reads "the harbour board"' in replaced.message
    deleted = anchor("\n\n".join(["Officials said nothing.", two]), "the port authority", "", " would work", entry)
    assert deleted.status == "moved"
    assert 'the quote\'s words are at line 3: "the port authority", but none of the context' in deleted.message


def test_synonyms_inside_the_quote_are_reanchored_with_a_warning() -> None:
    edited = TEXT.replace("forming a national government", "creating a national administration")
    result = anchor(edited, QUOTE, recorded=lock(TEXT, QUOTE))
    assert result.status == "anchored"
    assert edited[result.start : result.end] == "creating a national administration that will be accepted"
    assert result.warning is not None
    assert result.warning.startswith(
        "note 'n': moved: the note now marks \"creating a national administration that will be accepted\" "
        "(line 3, 77% similar, a word or two changed)"
    )
    assert f'instead of "{QUOTE}" (line 3 at the last build)' in result.warning


def test_synonyms_with_the_context_changed_too_are_not_guessed() -> None:
    edited = TEXT.replace("challenge of forming a national government", "problem: creating a national administration")
    assert anchor(edited, QUOTE, recorded=lock(TEXT, QUOTE)).status == "orphan"


def test_a_deleted_sentence_is_an_orphan_naming_the_closest_text_and_the_last_build() -> None:
    result = anchor("\n\n".join([P1, P3]), QUOTE, recorded=lock(TEXT, QUOTE))
    assert result.status == "orphan"
    assert result.message.startswith("articles/t.notes.yml:9:10: note 'n': quote not found; closest: \"")
    assert f'at the last build it marked "{QUOTE}" (line 3)' in result.message


def test_typography_never_matters() -> None:
    text = "supporting the \u201cunity government\u201d in Tripoli, officials said"
    edited = 'supporting the\n"unity\u00a0 government" in\nTripoli, officials said'
    quote = 'the "unity government" in Tripoli'
    start = text.index("the \u201cunity")
    result = anchor(edited, quote, recorded=lock(text, text[start : start + 33], start))
    assert (result.status, result.warning) == ("anchored", None)
    assert edited[result.start : result.end] == 'the\n"unity\u00a0 government" in\nTripoli'


def test_a_changed_quote_keeps_only_the_recorded_context() -> None:
    # The editor re-quotes the note to other words: the old entry still tells two copies apart.
    text = "In Tripoli the unity government met. In Tobruk the unity government met."
    entry = lock(text, "In Tripoli the unity")
    result = anchor(text, "the unity government met", recorded=entry)
    assert result.status == "anchored" and result.start == text.index("the unity")


def test_a_new_prefix_or_suffix_overrides_the_entry() -> None:
    # The editor says, with a suffix, that the note is on the other copy: the entry gives way.
    text = "\n\n".join([DECOY, P2])
    entry = lock(text, QUOTE, start=text.index(P2) + P2.index(QUOTE))
    assert anchor(text, QUOTE, recorded=entry).start == text.index(P2) + P2.index(QUOTE)
    chosen = anchor(text, QUOTE, suffix=".", recorded=entry)
    assert (chosen.status, chosen.start) == ("anchored", text.index(QUOTE))


def test_a_quote_fixed_to_the_marked_words_keeps_the_entry_and_a_stale_one_warns_every_build() -> None:
    text = "Sarraj dominates the west and Khalifa Haftar controls the east."
    start = text.index("Khalifa Haftar")
    entry = replace(lock(text, "Khalifa Haftar"), quote="Kalifa Haftar")  # anchored approximately last time
    fixed = anchor(text, "Khalifa Haftar", recorded=entry)
    assert (fixed.status, fixed.method, fixed.warning) == ("anchored", "recorded", None)
    stale = anchor(text, "Kalifa Haftar", recorded=entry)
    assert (stale.status, stale.start, stale.method) == ("anchored", start, "recorded")
    assert stale.warning == (
        "note 'n': quote not found as written; the note marks \"Khalifa Haftar\" (line 1, 96% similar) as at the "
        'last build, instead of "Kalifa Haftar"; '
        "run 'archive note accept n' to take the new wording, or update the quote in the notes file"
    )


def test_an_entry_that_does_not_fit_the_text_it_claims_is_an_error() -> None:
    entry = lock(TEXT, QUOTE)
    for forged in (replace(entry, position=entry.position + 1), replace(entry, prefix="x" + entry.prefix[1:]),
                   replace(entry, block=0), replace(entry, position=len(TEXT))):  # fmt: skip
        with pytest.raises(LockError, match="the entry does not fit the article text it was recorded on"):
            anchor_quote(article(P1, P2, P3), note(QUOTE), forged)
    # The line alone may differ: front matter edited above the text moves it, not the text.
    assert anchor(TEXT, QUOTE, recorded=replace(entry, line=99)).method == "recorded"


def test_short_quotes_never_anchor_approximately() -> None:
    text = "The talks in Libya and Syria went on."
    result = anchor(text.replace("Libya", "Lybia"), "Libya", recorded=lock(text, "Libya"))
    assert result.status == "orphan" and "a quote this short must match exactly" in result.message


# ---------------------------------------------------------------------------------------------
# Properties over random articles. Words are distinct random letters, so only the edits make
# text alike.

WORD = st.text(string.ascii_lowercase, min_size=3, max_size=9)
EXAMPLES = int(os.environ.get("ANCHOR_EXAMPLES", "40"))
"""Examples per property (ANCHOR_EXAMPLES=500 for a long run)."""


@st.composite
def paragraphs_of_words(draw: st.DrawFn) -> list[str]:
    """Paragraphs of sentences of distinct random words: like prose, nothing repeats by chance."""
    words = draw(st.lists(WORD, min_size=12, max_size=90, unique=True))
    paragraphs, sentence, sentences = [], [], []
    sizes = iter(draw(st.lists(st.integers(6, 14), min_size=len(words), max_size=len(words))))
    per_paragraph = draw(st.integers(1, 4))
    size = next(sizes)
    for word in words:
        sentence.append(word)
        if len(sentence) == size:
            sentences.append(" ".join(sentence).capitalize() + ".")
            sentence, size = [], next(sizes)
            if len(sentences) == per_paragraph:
                paragraphs.append(" ".join(sentences))
                sentences = []
    if sentence:
        sentences.append(" ".join(sentence).capitalize() + ".")
    if sentences:
        paragraphs.append(" ".join(sentences))
    assume(len(paragraphs) >= 2)
    return paragraphs


@st.composite
def article_with_quote(draw: st.DrawFn, min_words: int = 3) -> tuple[list[str], int, int, int]:
    """Paragraphs, the index of the one holding the quote, and the quote's span in it (a run of
    words inside one sentence, at least 12 characters, unique in the article)."""
    paragraphs = draw(paragraphs_of_words())
    b = draw(st.integers(0, len(paragraphs) - 1))
    sentences = paragraphs[b].split(". ")
    k = draw(st.integers(0, len(sentences) - 1))
    words = sentences[k].rstrip(".").split(" ")
    assume(len(words) >= min_words)
    n = draw(st.integers(min_words, min(8, len(words))))
    i = draw(st.integers(0, len(words) - n))
    quote = " ".join(words[i : i + n])
    assume(len(quote) >= FUZZY_MIN_LENGTH)
    start = len(". ".join(sentences[:k])) + (2 if k else 0) + len(" ".join(words[:i])) + (1 if i else 0)
    assert paragraphs[b][start : start + len(quote)] == quote
    assume("\n\n".join(paragraphs).count(quote) == 1)
    return paragraphs, b, start, start + len(quote)


def _offset(paragraphs: list[str], b: int) -> int:
    return sum(len(p) + 2 for p in paragraphs[:b])


def _entry(paragraphs: list[str], b: int, s: int, e: int) -> tuple[str, AnchorRecord]:
    text = "\n\n".join(paragraphs)
    quote = paragraphs[b][s:e]
    return quote, lock(text, quote, _offset(paragraphs, b) + s)


def _typo(word: str, at: int, kind: int) -> str:
    at = 1 + at % max(1, len(word) - 2)
    if kind == 0:
        return word[:at] + word[at + 1 :]  # a letter dropped
    if kind == 1:
        return word[:at] + word[at] + word[at:]  # a letter doubled
    return word[:at] + ("a" if word[at] != "a" else "e") + word[at + 1 :]  # a letter changed


@settings(max_examples=EXAMPLES, deadline=None)
@given(data=article_with_quote(), decoy_at=st.integers(0, 10), w=st.integers(0, 10), at=st.integers(0, 10),
       kind=st.integers(0, 2))  # fmt: skip
@example(  # the decoy right before the original: its words exact, a little of the prefix by chance
    data=(["Aaa aad aae aaf aaaaaa aaaaaaa.", "Radrr aab aac aaaa aaab aaaaa."], 1, 6, 18),
    decoy_at=1, w=0, at=0, kind=0,
)  # fmt: skip
def test_property_decoy_and_a_typo_in_the_original_never_the_decoy(data, decoy_at, w, at, kind) -> None:
    paragraphs, b, s, e = data
    quote, entry = _entry(paragraphs, b, s, e)
    words = quote.split(" ")
    words[w % len(words)] = _typo(words[w % len(words)], at, kind)
    edited_quote = " ".join(words)
    assume(edited_quote != quote)
    edited = list(paragraphs)
    edited[b] = edited[b][:s] + edited_quote + edited[b][e:]
    at_decoy = decoy_at % (len(edited) + 1)
    edited.insert(at_decoy, f"Readers were told {quote} without any source.")
    new = "\n\n".join(edited)
    want = _offset(edited, b + (at_decoy <= b)) + s
    result = anchor(new, quote, recorded=entry)
    assert result.status != "anchored" or result.start != new.index(f"told {quote}") + 5  # never the decoy
    # Where the decoy paragraph went next to the original, within the recorded 32 characters, the
    # context no longer confirms the original: the note may then stop instead.
    if new[:want].endswith(entry.prefix) and new[want + len(edited_quote) :].startswith(entry.suffix):
        assert (result.status, result.start, result.end) == ("anchored", want, want + len(edited_quote))
        assert result.warning and edited_quote in result.warning
    else:
        assert result.status in ("anchored", "moved", "ambiguous")
        assert result.status != "anchored" or (result.start, result.end) == (want, want + len(edited_quote))


@settings(max_examples=EXAMPLES, deadline=None)
@given(data=article_with_quote(), decoy_at=st.integers(0, 10))
@example(  # the quote opens the article (no recorded prefix) and the copy follows it at once
    data=(["Abbbbb bbbbbbbaa aad aae aaf aag aah aaaaaaaa.", "Aaa aab aac aaaa aaaaa aaaaaa.", "Aaaaaaa."], 0, 0, 45),
    decoy_at=1,
)
def test_property_decoy_and_untouched_original_is_the_original(data, decoy_at) -> None:
    paragraphs, b, s, e = data
    quote, entry = _entry(paragraphs, b, s, e)
    edited = list(paragraphs)
    at_decoy = decoy_at % (len(edited) + 1)
    edited.insert(at_decoy, f"As a reminder, {quote}, as noted above.")
    new = "\n\n".join(edited)
    want = _offset(edited, b + (at_decoy <= b)) + s
    result = anchor(new, quote, recorded=entry)  # no prefix or suffix in the note: the entry says which
    if new[:want].endswith(entry.prefix) and new[want + len(quote) :].startswith(entry.suffix):
        assert (result.status, result.start, result.end, result.warning) == ("anchored", want, want + len(quote), None)
    else:  # the decoy went within 32 characters of the original: it may stop, never move
        assert result.status in ("anchored", "ambiguous", "moved")
        assert result.status != "anchored" or (result.start, result.end) == (want, want + len(quote))


@settings(max_examples=EXAMPLES, deadline=None)
@given(data=article_with_quote(min_words=5), w=st.integers(0, 10), new_word=WORD)
@example(data=(["Aaa bbb ccc ddd eee fff ggg.", "Hhh iii jjj kkk lll mmm."], 0, 4, 23), w=1, new_word="zzz")
def test_property_a_synonym_inside_the_quote_is_reanchored_with_a_warning(data, w, new_word) -> None:
    paragraphs, b, s, e = data
    quote, entry = _entry(paragraphs, b, s, e)
    words = quote.split(" ")
    assume(new_word not in words)
    # Not the first or last word: a replaced edge word and a shortened window are equally good.
    words[1 + w % (len(words) - 2)] = new_word
    edited_quote = " ".join(words)
    # The condition: the context agrees (untouched here) and most words do (one of five or
    # more replaced); the words are random, so the similarity must stay at a synonym's level too.
    assume(fuzz.ratio(quote, edited_quote) >= REWORDED_MIN_SCORE + 5)
    edited = list(paragraphs)
    edited[b] = edited[b][:s] + edited_quote + edited[b][e:]
    new = "\n\n".join(edited)
    assume(new.count(quote) == 0)
    want = _offset(edited, b) + s
    result = anchor(new, quote, recorded=entry)
    assert (result.status, result.start, result.end) == ("anchored", want, want + len(edited_quote))
    assert result.warning and edited_quote in result.warning and quote in result.warning


@settings(max_examples=EXAMPLES, deadline=None)
@given(data=article_with_quote())
def test_property_a_deleted_sentence_is_an_orphan(data) -> None:
    paragraphs, b, s, e = data
    quote, entry = _entry(paragraphs, b, s, e)
    sentences = paragraphs[b].split(". ")
    ends = [sum(len(x) + 2 for x in sentences[: i + 1]) for i in range(len(sentences))]
    k = next(i for i, end in enumerate(ends) if s < end)  # the sentence holding the quote
    rest = ". ".join(sentences[:k] + sentences[k + 1 :])
    rest = rest if rest.endswith(".") or not rest else rest + "."
    edited = paragraphs[:b] + ([rest] if rest else []) + paragraphs[b + 1 :]
    assume(edited)
    assert anchor("\n\n".join(edited), quote, recorded=entry).status == "orphan"


@settings(max_examples=EXAMPLES, deadline=None)
@given(data=article_with_quote(), insert=st.lists(WORD, min_size=0, max_size=8).map(" ".join),
       where=st.floats(0, 1), cut=st.integers(0, 12), before=st.booleans())  # fmt: skip
def test_property_edits_outside_the_quote_do_not_move_it(data, insert, where, cut, before) -> None:
    paragraphs, b, s, e = data
    text = "\n\n".join(paragraphs)
    quote, entry = _entry(paragraphs, b, s, e)
    start = entry.position
    # Insert words and cut a few characters somewhere before or after the quote (perhaps right next
    # to it, changing the recorded context).
    if before:
        at = int(where * start)
        cut = min(cut, start - at)
        new = text[:at] + insert + text[at + cut :]
        want = start + len(insert) - cut
    else:
        end = start + len(quote)
        at = end + int(where * (len(text) - end))
        new = text[:at] + insert + text[at + cut :]
        want = start
    assume(new[want : want + len(quote)] == quote and new.count(quote) == 1)
    # Still whole words (an insert glued to the quote's last word makes another word of it).
    assume(not new[want - 1 : want].isalnum() and not new[want + len(quote) : want + len(quote) + 1].isalnum())
    result = anchor(new, quote, recorded=entry)
    assert (result.status, result.start, result.end) == ("anchored", want, want + len(quote))


@settings(max_examples=EXAMPLES, deadline=None)
@given(data=article_with_quote(), seed=st.integers(0, 2**16))
def test_property_typography_never_matters(data, seed) -> None:
    paragraphs, b, s, e = data
    text = "\n\n".join(paragraphs)
    quote, entry = _entry(paragraphs, b, s, e)
    start = entry.position
    # Every space of the article becomes one of several kinds of white space.
    kinds = [" ", "\n", "\u00a0", "  ", " \n ", "\u2009"]
    out, k, mapping = [], seed, []
    for c in text:
        mapping.append(sum(len(x) for x in out))
        if c == " ":
            k = (k * 1103515245 + 12345) % 2**31
            out.append(kinds[k % len(kinds)])
        else:
            out.append(c)
    mapping.append(sum(len(x) for x in out))
    new = "".join(out)
    result = anchor(new, quote, recorded=entry)
    assert (result.status, result.warning) == ("anchored", None)
    assert (result.start, result.end) == (mapping[start], mapping[start + len(quote) - 1] + 1)


def test_messages_show_control_characters_of_a_hostile_entry_as_escapes() -> None:
    # A hand-made entry cannot send a terminal its control codes through a message.
    entry = replace(lock(TEXT, QUOTE), exact=QUOTE + "\x1b[2J\u202e")
    result = anchor("\n\n".join([P1, P3]), QUOTE, recorded=entry)
    assert result.status == "orphan" and "\x1b" not in result.message and "\u202e" not in result.message
    assert f'at the last build it marked "{QUOTE}\\u001b[2J\\u202e" (line 3)' in result.message


def test_words_joined_by_a_hyphen_are_the_same_words() -> None:
    one = "Officials said the port authority would work with the navy on the plan."
    text = "\n\n".join([one, "Critics said the port authority had no budget for it."])
    entry = lock(text, "the port authority")
    result = anchor(text.replace("port authority would", "port-authority would"), "the port authority", recorded=entry)
    assert (result.status, result.start, result.end) == ("anchored", 15, 33)
    assert result.warning is not None and 'moved: the note now marks "the port-authority"' in result.warning
