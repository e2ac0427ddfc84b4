"""A deterministic edit corpus for note anchoring, made at test time.

For every note of an article, eight edited versions of the article's cleaned text
(``Article.text``) are made, each with the verdict a correct anchoring reaches:

=================  ============================================================  ==================
edit               what changes                                                  expected
=================  ============================================================  ==================
typo               one typo made, or a known misspelling fixed, in the quote     the edited words
synonym            one or two quoted words replaced by synonyms                  the edited words
insert             a sentence inserted before the quote (same block, an          the same words,
                   earlier block, or a new first paragraph)                      shifted
context            words just outside the quote replaced or inserted             the same words
delete             the sentence(s) holding the quote deleted                     orphan
decoy-edited       an exact copy of the quote inserted elsewhere, and the        the edited original
                   original edited (a typo fixed or made, or a word changed)     (never the decoy)
decoy-untouched    an exact copy of the quote inserted elsewhere                 the original
whitespace         line breaks, no-break and double spaces inside the quote,     the same words
                   curly <-> straight quotes in its block
=================  ============================================================  ==================

Sources: ``bundled`` (the archive's own articles and notes, read and cleaned as the build does),
``synthetic`` and ``heldout`` (wire-style articles and market reports of near-duplicate sentences,
made to be hard), ``fresh`` (a third template family, made after the thresholds were set). Every
random choice comes from ``random.Random(<stable string>)``, so the corpus is the same on every
run; the expected span is found with private-use marker characters around the edited quote.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.errors import NoteAnchorError
from generator.inputs.articles import find_sources, read_source
from generator.inputs.notes_file import Note, read_notes
from generator.inputs.rules import load_rules
from generator.model import AnchorRecord, Article, Block, Meta
from generator.stages.anchor import Anchor, anchor_quote, notes_path, record
from generator.stages.clean import clean

EDITS = ("typo", "synonym", "insert", "context", "delete", "decoy-edited", "decoy-untouched", "whitespace")
VERDICTS = ("correct", "orphan", "ambiguous", "wrong")
IOU_MIN = 0.8
"""An anchor is on the expected words when their characters overlap by this share of their union."""

M0, M1 = "\ue000", "\ue001"
"""Markers around the expected span while blocks are edited (private-use: never in articles)."""


# --------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class NoteRef:
    """One note on one article, with where its quote is in the original cleaned text."""

    source: str
    """``bundled``, ``synthetic``, ``heldout`` or ``fresh``."""
    note: Note
    block: int
    """Index of the block holding the quote."""
    start: int
    """Span of the quote in the original ``Article.text``."""
    end: int

    @property
    def slug(self) -> str:
        return self.note.path.name.removesuffix(".notes.yml")

    @property
    def note_id(self) -> str:
        return self.note.id

    @property
    def quote(self) -> str:
        return self.note.quote


@dataclass
class Case:
    """One edited article and the verdict a correct anchoring reaches on it."""

    id: str
    source: str
    edit: str
    note: Note
    original: Article
    recorded: AnchorRecord
    """What the lock file holds for the note after a build on the original text."""
    blocks: list[str]
    """Block texts of the edited article."""
    lines: list[int]
    """Source line of each edited block."""
    expected: tuple[int, int] | None
    """Span of the right words in :attr:`text`, or None: the note must be an orphan."""
    detail: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n\n".join(self.blocks)

    @property
    def article(self) -> Article:
        """The original article with the edited blocks."""
        blocks = tuple(Block(t, line=line) for t, line in zip(self.blocks, self.lines, strict=True))
        return replace(self.original, blocks=blocks)


# --------------------------------------------------------------------------------------------
# Word lists


SYNONYMS = {
    # bundled articles
    "Permanent": "Lasting", "Military": "Armed", "Presence": "Footprint", "Considered": "Weighed",
    "likely": "expected", "announce": "unveil", "dramatic": "major", "appointing": "naming",
    "new": "fresh", "ambassador": "envoy", "setting": "putting", "permanent": "lasting",
    "military": "armed", "presence": "footprint", "nation": "country", "supporting": "backing",
    "government": "administration", "currently": "presently", "control": "command",
    "rival": "competing", "faction": "group", "decided": "chose", "back": "support",
    "sending": "dispatching", "troops": "soldiers", "fight": "battle", "dominated": "controlled",
    "parliament": "assembly", "struggling": "wrestling", "capital": "city", "increased": "growing",
    "involvement": "engagement", "becomes": "turns into", "client": "proxy", "involved": "engaged",
    "plans": "proposals", "completed": "finished", "week": "month", "embassy": "mission",
    "country": "nation", "become": "be", "latest": "newest", "based": "stationed",
    "re-establishment": "restoration", "existence": "presence", "death": "killing",
    "citizens": "nationals", "American": "US", "expected": "set", "send": "deploy",
    "special": "elite", "forces": "units", "used": "applied", "small": "little", "groups": "teams",
    "personnel": "staff", "closed": "shut", "three": "two other", "Americans": "US nationals",
    "forming": "creating", "national": "unity", "accepted": "approved", "Minister": "Premier",
    "dominates": "controls", "eastern": "east", "region": "area", "controls": "holds",
    "western": "west", "part": "region", "Kalifa": "Marshal", "coordination": "cooperation",
    "intelligence": "information", "sharing": "exchange", "commander": "chief",
    # synthetic articles
    "said": "stated", "announced": "declared", "warned": "cautioned", "confirmed": "affirmed",
    "open": "set up", "office": "bureau", "hold": "conduct", "talks": "negotiations",
    "close": "shut", "border": "frontier", "resume": "restart", "flights": "services",
    "support": "back", "ceasefire": "truce", "ministry": "department", "officials": "sources",
    "diplomats": "envoys", "envoy": "representative", "leaders": "chiefs", "statement": "release",
    "spokesman": "spokesperson", "added": "noted", "near": "by", "would": "will", "might": "could",
    # held-out market reports
    "rose": "increased", "fell": "dropped", "recovered": "rebounded", "slipped": "eased",
    "climbed": "advanced", "sharply": "steeply", "slightly": "marginally", "traders": "dealers",
    "analysts": "economists", "blockade": "embargo", "stalled": "faltered", "budget": "spending plan",
    "reopened": "resumed", "held": "lasted", "imports": "purchases", "exports": "shipments",
    "prices": "costs", "Output": "Production", "cut": "lowered", "rates": "interest rates",
    "port": "harbour", "field": "site", "company": "firm", "noted": "observed", "percent": "per cent",
    # fresh council reports
    "approved": "endorsed", "rejected": "dismissed", "postponed": "delayed", "debated": "discussed",
    "welcomed": "praised", "plan": "proposal", "rebuild": "restore", "market": "bazaar",
    "curfew": "lockdown", "centre": "center", "candidates": "nominees", "inquiry": "investigation",
    "floods": "flooding", "session": "meeting", "vote": "ballot", "Residents": "Inhabitants",
    "mayor": "governor", "municipal": "city", "electoral": "election", "commission": "board",
    "media": "outlets", "reported": "stated", "water": "supply", "list": "roster",
}  # fmt: skip

TYPO_FIXES = {
    # Realistic edits: the article's own misspellings corrected (the kind of edit that re-cleaning
    # or a copy-editor makes after a note was written).
    "Somali": "Somalia", "Kalifa": "Khalifa", "week": "weeks", "that latest": "the latest",
    "operation forces": "operations forces", "U.S ambassador": "U.S. ambassador",
}  # fmt: skip

INSERTED = [
    "Officials declined to comment on the timing of any decision.",
    "The statement was released late in the evening, local time.",
    "Analysts said the move had been discussed for some months.",
    "A spokesperson did not respond to a request for comment.",
    "The report was circulated to reporters before publication.",
]

DECOYS = [
    "Elsewhere the phrase \u201c{q}\u201d was repeated word for word.",
    "Readers of an earlier summary were told {q} without any source.",
    "As a reminder to readers, {q}, as noted in the opening paragraph.",
    "One commentator wrote only this: {q}.",
]

CONTEXT_WORDS = ["also", "then", "now", "still", "again", "indeed"]

_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"\u201d\u2019)]*\s+(?=[\"\u201c(]?[A-Z0-9])")


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of a block (ends at . ! ? followed by space and a capital)."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


# --------------------------------------------------------------------------------------------
# Edits of the quoted words


def typo(quote: str, rng: random.Random) -> tuple[str, str]:
    """The quote with one typo made (or a known misspelling fixed), and a description."""
    for wrong, right in TYPO_FIXES.items():
        if re.search(rf"(?<![A-Za-z]){re.escape(wrong)}(?![A-Za-z])", quote):
            fixed = re.sub(rf"(?<![A-Za-z]){re.escape(wrong)}(?![A-Za-z])", right, quote, count=1)
            return fixed, f"fixed {wrong!r} -> {right!r}"
    words = [m for m in _WORD.finditer(quote) if len(m.group()) >= 4]
    word = rng.choice(words)
    w, i = word.group(), rng.randrange(1, len(word.group()) - 1)
    kind = rng.choice(["swap", "drop", "double", "change"])
    if kind == "swap":
        new = w[: i - 1] + w[i] + w[i - 1] + w[i + 1 :]
    elif kind == "drop":
        new = w[:i] + w[i + 1 :]
    elif kind == "double":
        new = w[:i] + w[i] + w[i:]
    else:
        letter = rng.choice([c for c in "aeioulnrst" if c != w[i].lower()])
        new = w[:i] + letter + w[i + 1 :]
    if new == w:  # swapping two equal letters
        new = w[:i] + w[i + 1 :]
    return quote[: word.start()] + new + quote[word.end() :], f"typo ({kind}) {w!r} -> {new!r}"


def synonym(quote: str, rng: random.Random, count: int | None = None) -> tuple[str, str]:
    """The quote with one or two words replaced by a synonym (two when it has six words or more)."""
    words = [m for m in _WORD.finditer(quote) if m.group() in SYNONYMS]
    if count is None:
        count = 2 if len(quote.split()) >= 6 else 1
    chosen = sorted(rng.sample(words, min(count, len(words))), key=lambda m: m.start())
    out, at = [], 0
    for m in chosen:
        out += [quote[at : m.start()], SYNONYMS[m.group()]]
        at = m.end()
    out.append(quote[at:])
    assert chosen, f"no synonym for a word of {quote!r}"
    return "".join(out), "replaced " + ", ".join(f"{m.group()!r}->{SYNONYMS[m.group()]!r}" for m in chosen)


_FLIP = {"\u2019": "'", "'": "\u2019", "\u2018": "'", "\u201c": '"', "\u201d": '"'}


def flip_quotes(text: str) -> str:
    """Curly quotes made straight and straight ones curly (double quotes alternate open/close)."""
    out, opened = [], False
    for c in text:
        if c == '"':
            out.append("\u201d" if opened else "\u201c")
            opened = not opened
        else:
            out.append(_FLIP.get(c, c))
    return "".join(out)


def respace(quote: str, rng: random.Random) -> str:
    """The quote with up to three inner spaces made a line break, a no-break or a double space."""
    spaces = [i for i, c in enumerate(quote) if c == " "]
    kinds = ["\n", "\u00a0", "  ", " \n"]
    rng.shuffle(kinds)
    chosen = sorted(rng.sample(spaces, min(3, len(spaces))))
    out, at = [], 0
    for kind, i in zip(kinds, chosen, strict=False):  # up to three of the four kinds
        out += [quote[at:i], kind]
        at = i + 1
    out.append(quote[at:])
    return "".join(out)


# --------------------------------------------------------------------------------------------
# The corpus


def _decoy(quote: str, rng: random.Random) -> str:
    return rng.choice(DECOYS).format(q=quote)


def _place_decoy(blocks: list[str], lines: list[int], b: int, decoy: str, k: int) -> None:
    """Put *decoy* away from block *b*: a new last paragraph, a new first one, or at the end of
    the block farthest from *b* (rotating with *k*)."""
    where = k % 3
    if where == 0 or len(blocks) == 1:
        blocks.append(decoy)
        lines.append(lines[-1] + 2)
    elif where == 1:
        blocks.insert(0, decoy)
        lines.insert(0, max(1, lines[0] - 2))
    else:
        far = 0 if b >= len(blocks) / 2 else len(blocks) - 1
        blocks[far] = blocks[far] + " " + decoy


def make_cases(ref: NoteRef, original: Article, k: int) -> list[Case]:
    """The eight edited versions of *original* for the note *ref* (*k*: the note's index, rotating
    placements so that every edit type sees every placement)."""
    text = original.text
    texts = [bl.text for bl in original.blocks]
    lines = [bl.line for bl in original.blocks]
    b = ref.block
    offset = sum(len(t) + 2 for t in texts[:b])
    qs, qe = ref.start - offset, ref.end - offset
    before, quote, after = texts[b][:qs], texts[b][qs:qe], texts[b][qe:]
    assert quote == text[ref.start : ref.end], ref
    recorded = record(original, ref.note, Anchor(ref.start, ref.end, text[ref.start : ref.end]))
    cases: list[Case] = []

    def add(edit: str, blocks: list[str], blines: list[int], detail: str, orphan: bool = False, **extra) -> None:
        joined = "\n\n".join(blocks)
        if orphan:
            assert M0 not in joined
            expected = None
        else:
            s = joined.index(M0)
            e = joined.index(M1) - 1
            expected = (s, e)
        clean_blocks = [t.replace(M0, "").replace(M1, "") for t in blocks]
        cases.append(
            Case(
                id=f"{ref.source}:{edit}:{ref.slug}:{ref.note_id}",
                source=ref.source,
                edit=edit,
                note=ref.note,
                original=original,
                recorded=recorded,
                blocks=clean_blocks,
                lines=list(blines),
                expected=expected,
                detail=detail,
                extra=extra,
            )
        )

    def with_block(new: str) -> list[str]:
        out = list(texts)
        out[b] = new
        return out

    rng = random.Random(f"{ref.slug}/{ref.note_id}")

    # typo inside the quote
    q2, what = typo(quote, random.Random(f"typo/{ref.slug}/{ref.note_id}"))
    add("typo", with_block(before + M0 + q2 + M1 + after), lines, what)

    # synonyms inside the quote
    q2, what = synonym(quote, random.Random(f"syn/{ref.slug}/{ref.note_id}"))
    add("synonym", with_block(before + M0 + q2 + M1 + after), lines, what)

    # a sentence inserted before the quote
    sentence = INSERTED[k % len(INSERTED)]
    marked = before + M0 + quote + M1 + after
    where = k % 3
    if where == 0:  # same block, just before the sentence holding the quote
        s0 = max(s for s, _ in sentences(texts[b]) if s <= qs)
        blocks = with_block(marked[:s0] + sentence + " " + marked[s0:])
        add("insert", blocks, lines, "sentence inserted before the quote's sentence")
    elif where == 1 and b > 0:  # an earlier block
        blocks = with_block(marked)
        blocks[b - 1] = blocks[b - 1] + " " + sentence
        add("insert", blocks, lines, "sentence appended to the previous block")
    else:  # a new paragraph at the top
        blocks = [sentence, *with_block(marked)]
        add("insert", blocks, [max(1, lines[0] - 2), *lines], "new first paragraph")

    # words just outside the quote changed
    blocks = with_block(marked)
    bi, ai = b, b
    pre, post = M0.join(blocks[b].split(M0)[:1]), blocks[b].split(M1)[1]
    done = []
    crng = random.Random(f"ctx/{ref.slug}/{ref.note_id}")
    if k % 2 == 0:  # insert a word either side
        blocks[b] = (
            blocks[b]
            .replace(M0, crng.choice(["reportedly ", "apparently "]) + M0)
            .replace(M1, M1 + crng.choice([", officials said", " (reportedly)"]))
        )
        done.append("words inserted both sides")
    else:  # replace the nearest word either side (in the neighbouring block if the quote ends it)
        last = list(_WORD.finditer(pre))
        if last:
            m = last[-1]
            new = crng.choice([w for w in CONTEXT_WORDS if w != m.group()])
            blocks[b] = pre[: m.start()] + new + pre[m.end() :] + blocks[b][len(pre) :]
            done.append(f"{m.group()!r}->{new!r} before")
        elif b > 0:
            bi = b - 1
            m = list(_WORD.finditer(blocks[bi]))[-1]
            new = crng.choice([w for w in CONTEXT_WORDS if w != m.group()])
            blocks[bi] = blocks[bi][: m.start()] + new + blocks[bi][m.end() :]
            done.append(f"{m.group()!r}->{new!r} at the end of the previous block")
        post = blocks[b].split(M1)[1]
        first = _WORD.search(post)
        if first:
            new = crng.choice([w for w in CONTEXT_WORDS if w != first.group()])
            head = blocks[b][: len(blocks[b]) - len(post)]
            blocks[b] = head + post[: first.start()] + new + post[first.end() :]
            done.append(f"{first.group()!r}->{new!r} after")
        elif b + 1 < len(blocks):
            ai = b + 1
            m = _WORD.search(blocks[ai])
            new = crng.choice([w for w in CONTEXT_WORDS if w != m.group()])
            blocks[ai] = blocks[ai][: m.start()] + new.capitalize() + blocks[ai][m.end() :]
            done.append(f"{m.group()!r}->{new!r} at the start of the next block")
    add("context", blocks, lines, "; ".join(done))

    # the sentence(s) holding the quote deleted
    spans = [(s, e) for s, e in sentences(texts[b]) if s < qe and e > qs]
    s0, e0 = spans[0][0], spans[-1][1]
    rest = (texts[b][:s0] + texts[b][e0:]).strip()
    rest = re.sub(r"  +", " ", rest)
    if rest:
        add("delete", with_block(rest), lines, f"deleted {len(spans)} sentence(s)", orphan=True)
    else:
        add("delete", texts[:b] + texts[b + 1 :], lines[:b] + lines[b + 1 :], "deleted the block", orphan=True)

    # decoy elsewhere + original edited (a typo fixed / made, or a word changed)
    if k % 2 == 0:
        q2, what = typo(quote, random.Random(f"dtypo/{ref.slug}/{ref.note_id}"))
    else:
        q2, what = synonym(quote, random.Random(f"dsyn/{ref.slug}/{ref.note_id}"), count=1)
    decoy = _decoy(quote, rng)
    blocks, blines = with_block(before + M0 + q2 + M1 + after), list(lines)
    _place_decoy(blocks, blines, b, decoy, k)
    add("decoy-edited", blocks, blines, f"decoy {['last', 'first', 'far-block'][k % 3]}; original {what}")

    # decoy elsewhere + original untouched
    blocks, blines = with_block(marked), list(lines)
    _place_decoy(blocks, blines, b, _decoy(quote, rng), k + 1)
    add("decoy-untouched", blocks, blines, f"decoy {['last', 'first', 'far-block'][(k + 1) % 3]}")

    # white space, line breaks and quote marks
    wrng = random.Random(f"ws/{ref.slug}/{ref.note_id}")
    q2 = flip_quotes(respace(quote, wrng))
    pre2 = flip_quotes(before)
    if pre2.endswith(" ") and k % 2:
        pre2 = pre2[:-1] + "\n"
    add("whitespace", with_block(pre2 + M0 + q2 + M1 + flip_quotes(after)), lines, f"{q2!r}")

    for case in cases:
        if case.expected is not None:  # the corpus must not break its own premise
            assert case.text.count(M0) == 0
    return cases


# --------------------------------------------------------------------------------------------
# Sources of notes


def load_bundled(root: Path) -> list[tuple[Article, list[NoteRef]]]:
    """The archive's articles under *root*, cleaned as the build does, with their notes anchored."""
    rules = load_rules(root / "rules")
    paths, errors = find_sources(root / "articles")
    assert not errors, errors
    out = []
    for path in paths:
        article = clean(read_source(path), rules)
        if not notes_path(article).is_file():
            continue
        notes, errors = read_notes(notes_path(article))
        assert not errors, errors
        refs = []
        for note in notes:
            anchor, warning = anchor_quote(article, note)
            assert warning is None and not anchor.fuzzy, (note.id, warning)
            block = article.text.count("\n\n", 0, anchor.start)
            refs.append(NoteRef("bundled", note, block, anchor.start, anchor.end))
        out.append((article, refs))
    return out


def make_note(slug: str, ident: str, quote: str) -> Note:
    """A note on the synthetic article *slug*, as the notes file reader would make it."""
    return Note(
        id=ident, kind="context", quote=quote, prefix="", suffix="", body="b", body_text="b", body_spans=(),
        sources=(), author="A", date=dt.date(2026, 1, 1), path=Path(f"synthetic/{slug}.notes.yml"), line=1,
        quote_line=1, quote_column=1,
    )  # fmt: skip


ACTORS = [
    "The unity government", "The rival government", "The Tobruk parliament", "The Tripoli parliament",
    "The defence ministry", "The foreign ministry", "US officials", "European diplomats",
    "The United Nations envoy", "Local militia leaders",
]  # fmt: skip
VERBS = ["said on {day} that it would", "announced on {day} that it would", "warned on {day} that it might",
         "confirmed on {day} that it would"]  # fmt: skip
ACTIONS = [
    "send troops to {place}", "open an office in {place}", "hold talks in {place}",
    "close the border near {place}", "resume flights to {place}", "support the ceasefire in {place}",
]  # fmt: skip
PLACES = ["Sirte", "Benghazi", "Tripoli", "Misrata", "Tobruk", "Derna", "Sabha"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
TAILS = ["", ", according to a statement", ", officials said", ", a spokesman added"]


def synthetic_article(n: int) -> Article:
    """A wire-style article of near-duplicate sentences (same actors, verbs, places recombined)."""
    rng = random.Random(f"synthetic-{n}")
    blocks, line = [], 1
    for _ in range(rng.randint(5, 7)):
        sents = []
        for _ in range(rng.randint(3, 5)):
            sents.append(
                f"{rng.choice(ACTORS)} {rng.choice(VERBS).format(day=rng.choice(DAYS))} "
                f"{rng.choice(ACTIONS).format(place=rng.choice(PLACES))}{rng.choice(TAILS)}."
            )
        blocks.append(Block(" ".join(sents), line=line))
        line += 2
    slug = f"synthetic-{n}"
    return Article(slug, Path(f"synthetic/{slug}.md"), Meta(title=f"Synthetic {n}"), tuple(blocks))


MARKET_SUBJECTS = [
    "Shares in the national oil company", "The Libyan dinar", "Crude exports from Ras Lanuf",
    "Output at the Sharara field", "Wheat imports through Misrata port", "Fuel prices in the capital",
]  # fmt: skip
MARKET_VERBS = ["rose", "fell", "recovered", "slipped", "climbed"]
AMOUNTS = ["2 percent", "5 percent", "sharply", "slightly", "for a third day"]
REASONS = [
    "after the central bank cut rates", "as the blockade continued", "after talks in Geneva stalled",
    "as traders waited for the budget", "after the port reopened", "as the ceasefire held",
]  # fmt: skip
MARKET_TAILS = ["", ", traders said", ", according to the ministry", ", analysts noted"]


def market_article(n: int) -> Article:
    """A market report of near-duplicate sentences: a second template family, held out."""
    rng = random.Random(f"market-{n}")
    blocks, line = [], 1
    for _ in range(rng.randint(5, 7)):
        sents = [
            f"{rng.choice(MARKET_SUBJECTS)} {rng.choice(MARKET_VERBS)} {rng.choice(AMOUNTS)} on "
            f"{rng.choice(DAYS)} {rng.choice(REASONS)}{rng.choice(MARKET_TAILS)}."
            for _ in range(rng.randint(3, 5))
        ]
        blocks.append(Block(" ".join(sents), line=line))
        line += 2
    slug = f"market-{n}"
    return Article(slug, Path(f"synthetic/{slug}.md"), Meta(title=f"Market {n}"), tuple(blocks))


COUNCIL_SUBJECTS = [
    "The municipal council of Sirte", "The mayor of Misrata", "The health ministry",
    "The electoral commission", "Residents of Derna",
]  # fmt: skip
COUNCIL_VERBS = ["approved", "rejected", "postponed", "debated", "welcomed"]
COUNCIL_OBJECTS = [
    "a plan to rebuild the old market", "the new water budget", "a curfew in the city centre",
    "the list of candidates", "an inquiry into the floods",
]  # fmt: skip
COUNCIL_WHEN = ["on Monday", "last week", "after a long session", "without a vote"]
COUNCIL_TAILS = ["", ", a spokesman added", ", local media reported", ", officials said"]


def council_article(n: int) -> Article:
    """Council reports of near-duplicate sentences: a third template family, for the fresh set."""
    rng = random.Random(f"council-{n}")
    blocks, line = [], 1
    for _ in range(rng.randint(5, 7)):
        sents = [
            f"{rng.choice(COUNCIL_SUBJECTS)} {rng.choice(COUNCIL_VERBS)} {rng.choice(COUNCIL_OBJECTS)} "
            f"{rng.choice(COUNCIL_WHEN)}{rng.choice(COUNCIL_TAILS)}."
            for _ in range(rng.randint(3, 5))
        ]
        blocks.append(Block(" ".join(sents), line=line))
        line += 2
    slug = f"council-{n}"
    return Article(slug, Path(f"synthetic/{slug}.md"), Meta(title=f"Council {n}"), tuple(blocks))


FRESH = [("wire", 7), ("wire", 8), ("wire", 9), ("market", 3), ("market", 4), ("council", 1), ("council", 2)]
"""The fresh set: generated once, after the proposed algorithm was frozen, and run once."""


def _fresh_articles() -> list[Article]:
    make = {"wire": synthetic_article, "market": market_article, "council": council_article}
    return [make[kind](n) for kind, n in FRESH]


HELDOUT = [("wire", 4), ("wire", 5), ("wire", 6), ("market", 1), ("market", 2)]
"""Held-out synthetic articles: generated only after the thresholds were set on the others."""


def _heldout_articles() -> list[Article]:
    return [synthetic_article(n) if kind == "wire" else market_article(n) for kind, n in HELDOUT]


def synthetic_notes(article: Article, count: int = 10, source: str = "synthetic") -> list[NoteRef]:
    """*count* quotes of 3 to 8 words, each unique in the article, within one sentence, not
    overlapping each other."""
    rng = random.Random(f"notes-{article.slug}")
    text = article.text
    refs: list[NoteRef] = []
    offsets = [sum(len(bl.text) + 2 for bl in article.blocks[:i]) for i in range(len(article.blocks))]
    taken: list[tuple[int, int]] = []
    tries = 0
    while len(refs) < count and tries < 5000:
        tries += 1
        b = rng.randrange(len(article.blocks))
        s0, e0 = rng.choice(sentences(article.blocks[b].text))
        words = list(re.finditer(r"\S+", article.blocks[b].text[s0:e0]))
        n = rng.randint(3, 8)
        if len(words) < n:
            continue
        i = rng.randrange(len(words) - n + 1)
        start, end = s0 + words[i].start(), s0 + words[i + n - 1].end()
        quote = article.blocks[b].text[start:end].rstrip(".,")
        end = start + len(quote)
        if text.count(quote) != 1 or not any(w in SYNONYMS for w in _WORD.findall(quote)):
            continue
        if not any(len(w) >= 4 for w in _WORD.findall(quote)):
            continue
        start, end = offsets[b] + start, offsets[b] + end
        if any(s < end and start < e for s, e in taken):
            continue
        taken.append((start, end))
        refs.append(NoteRef(source, make_note(article.slug, f"s{len(refs) + 1}", quote), b, start, end))
    return refs


SOURCES = ("bundled", "synthetic", "heldout", "fresh")


def build_corpus(root: Path, sources: tuple[str, ...] = SOURCES) -> list[Case]:
    """Every case of *sources*; the bundled notes are those of the archive at *root*."""
    cases: list[Case] = []
    if "bundled" in sources:
        k = 0
        for article, refs in load_bundled(root):
            for ref in refs:
                cases += make_cases(ref, article, k)
                k += 1
    if "synthetic" in sources:
        k = 0
        for n in (1, 2, 3):
            article = synthetic_article(n)
            for ref in synthetic_notes(article):
                cases += make_cases(ref, article, k)
                k += 1
    for source, articles in (("heldout", _heldout_articles), ("fresh", _fresh_articles)):
        if source in sources:
            k = 0
            for article in articles():
                for ref in synthetic_notes(article, source=source):
                    cases += make_cases(ref, article, k)
                    k += 1
    return cases


# --------------------------------------------------------------------------------------------
# Running the archive's anchoring on a case, and the verdict


@dataclass(frozen=True)
class Outcome:
    """What the anchoring did with one case."""

    status: str
    """``anchored``, ``orphan``, ``ambiguous`` or ``moved``."""
    span: tuple[int, int] | None
    warning: str | None
    message: str
    """The warning or the error, as the editor reads it."""
    method: str = ""
    """For an anchored note: ``recorded``, ``exact`` or ``scored`` (see :class:`Anchor`)."""


def run(case: Case, lock: bool = True) -> Outcome:
    """Anchor the case's note in its edited article (with the lock entry recorded on the original)."""
    try:
        anchor, warning = anchor_quote(case.article, case.note, case.recorded if lock else None)
    except NoteAnchorError as exc:
        return Outcome(exc.outcome, None, None, exc.format_message())
    text = None if warning is None else str(warning)
    return Outcome("anchored", (anchor.start, anchor.end), text, text or "", anchor.method)


def iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def verdict(case: Case, status: str, span: tuple[int, int] | None) -> str:
    """``correct`` (on the expected words, or an orphan where the sentence was deleted),
    ``orphan`` (not anchored though the words are there), ``ambiguous`` (refused as ambiguous or
    as a move), ``wrong`` (anchored on other words, or although the sentence was deleted)."""
    if status == "anchored":
        assert span is not None
        if case.expected is None:
            return "wrong"
        return "correct" if iou(span, case.expected) >= IOU_MIN else "wrong"
    if status == "orphan":
        return "correct" if case.expected is None else "orphan"
    return "ambiguous"


def table(rows: list[tuple[Case, str, bool]]) -> str:
    """A Markdown table of verdicts per edit type: rows of (case, verdict, warned)."""
    counts: dict[str, Counter[str]] = {edit: Counter() for edit in EDITS}
    warned: Counter[str] = Counter()
    for case, v, w in rows:
        counts[case.edit][v] += 1
        warned[case.edit] += v == "correct" and w
    lines = [
        "| edit | cases | correct | orphan | ambiguous | wrong | correct with a warning |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    total: Counter[str] = Counter()
    for edit in EDITS:
        c = counts[edit]
        total.update(c)
        cells = " | ".join(str(c[v]) for v in VERDICTS)
        lines.append(f"| {edit} | {sum(c.values())} | {cells} | {warned[edit]} |")
    cells = " | ".join(f"**{total[v]}**" for v in VERDICTS)
    lines.append(f"| **total** | **{sum(total.values())}** | {cells} | **{sum(warned.values())}** |")
    return "\n".join(lines)
