"""What ``archive entities`` prints: mention counts, unknown names, registry stubs."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter

import click

from generator.stages.entities import EntityIndex, Unlinked, unlinked
from generator.util.text import plural, shorten

STUB_TYPES = {
    "PERSON": "person",
    "NORP": "group",
    "FAC": "place",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "PRODUCT": "work",
    "EVENT": "event",
    "WORK_OF_ART": "work",
    "LAW": "work",
    "LANGUAGE": "group",
}
"""The registry type a stub gets from the model's label (check it: the model guesses)."""


def print_counts(index: EntityIndex) -> None:
    """Each registry entity with its mentions and articles, most mentioned first."""
    mentions: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    for occurrences in index.occurrences.values():
        seen = set()
        for occurrence in occurrences:
            mentions[occurrence.entity] += 1
            seen.add(occurrence.entity)
        articles.update(seen)
    for entity in sorted(index.registry, key=lambda e: (-mentions[e.id], e.id)):
        click.echo(
            f"{mentions[entity.id]:5d} mentions  {articles[entity.id]:3d} articles  {entity.id}  ({entity.type})"
        )
    click.echo(f"{len(index.registry)} entities, {sum(mentions.values())} mentions.")


def print_unlinked(missing: list[Unlinked]) -> None:
    """One line per unknown name (count, label, words), then where and an example sentence."""
    for item in missing:
        click.echo(f"{item.count:4d}  {item.label:<11} {item.text}")
        click.echo(f"      {item.where}: {shorten(item.example, 110)}")
    if missing:
        click.echo(
            f"{plural(len(missing), 'name')} not in the registry; add them "
            "(archive entities --stubs) or list them under 'ignore:' in entities.yml."
        )
    else:
        click.echo("Every name the model found is in the registry or its ignore list.")


def print_stubs(missing: list[Unlinked], name: str | None = None) -> None:
    """Registry entries for the unknown names (or for *name* alone), as YAML to paste under
    ``entities:``. A stub's name drops a leading "the" and a possessive "'s"."""
    seen: set[str] = set()
    if name is not None:
        wanted = clean_name(name)
        found = [item for item in missing if clean_name(item.text) == wanted]
        missing = found or [Unlinked(name, "", 0, "", "")]
    for item in missing:
        ident = slug(item.text)
        if not ident or ident in seen:
            continue
        seen.add(ident)
        said = f"the model said {item.label}" if item.label else "the model did not find this name in the articles"
        click.echo(f"  - id: {ident}")
        click.echo(f"    name: {json.dumps(clean_name(item.text), ensure_ascii=False)}")
        click.echo(f"    type: {STUB_TYPES.get(item.label, 'organisation')}  # {said}; check it")
        click.echo("    aliases: []")
        click.echo('    description: "TODO: one line saying who or what this is"')
        click.echo("    wikidata: null  # a Q-number checked on wikidata.org, never a guess")
        click.echo("    wikipedia: null")
        click.echo("")


def clean_name(text: str) -> str:
    """A name as the registry writes it: without a leading "the" ("the Pentagon") or a
    possessive ending ("Haftar's", "the Pentagon’s"), white space made single."""
    words = " ".join(text.split())
    words = re.sub(r"^the\s+", "", words, flags=re.IGNORECASE)
    return re.sub(r"(?:['’]s|(?<=s)['’])$", "", words).strip()


def slug(text: str) -> str:
    """An entity id made from a name: lowercase ASCII words joined by hyphens."""
    words = clean_name(text)
    words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9]+", words.lower()))


def report(loaded: object, show_unlinked: bool, show_stubs: bool, stub_name: str | None = None) -> None:
    """What ``archive entities`` prints for the archive *loaded*: the unknown names, their stubs,
    or (with neither) the registry's mention counts."""
    from generator.pipeline import Loaded

    assert isinstance(loaded, Loaded)
    if show_unlinked or show_stubs:
        missing = unlinked(loaded.articles, loaded.entities)
        if show_unlinked:
            print_unlinked(missing)
        if show_stubs:
            print_stubs(missing, stub_name)
    else:
        print_counts(loaded.entities)
