"""Synthetic archives for the benchmark: plausible news articles of about 600 words, naming the
registry's entities, with publisher chrome to clean and a few notes each — generated
deterministically from a seed, so every run measures the same text."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

from ruamel.yaml import YAML

HAND_WRITTEN = ("rules", "mkdocs.yml", "entities.yml", "site_src", "hooks", "overrides")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")  # fmt: skip  # noqa: E501
VERBS = ("announce", "review", "expand", "suspend", "fund", "oppose", "negotiate", "delay", "support", "examine")
OBJECTS = (
    "a new aid package", "the ceasefire agreement", "border controls", "the electricity grid", "oil exports",
    "the migration policy", "talks on a unity government", "the training mission", "emergency food deliveries",
    "the reconstruction plan", "a review of security cooperation", "the port authority's budget",
)  # fmt: skip
TEMPLATES = (
    "{person} told reporters in {place} that {org} would {verb} {object} before the end of {month}.",
    "Officials in {place} said the decision to {verb} {object} had been discussed with {person} for several weeks.",
    "According to two people familiar with the talks, {org} is unlikely to {verb} {object} without support from {place}.",  # noqa: E501
    "{person}, speaking after a meeting with {org}, described the situation in {place} as difficult but not hopeless.",
    "Analysts said the move could change how {org} works with local authorities in {place} over the coming year.",
    "The plan, first reported in {month}, would require {org} to {verb} {object} and report back within ninety days.",
    "Residents of {place} said they had seen little change since {person} promised to {verb} {object}.",
    "A spokesperson for {org} declined to comment on whether {person} had approved the proposal.",
    "Critics argued that the effort to {verb} {object} ignored the concerns of people living in {place}.",
    "In a statement released on {weekday}, {org} said it remained committed to dialogue with all parties in {place}.",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
PUBLISHERS = ("The Daily Ledger", "Harbour Times", "North Coast Review", "The Evening Dispatch")
CHROME = (
    "Share this article on Facebook and Twitter",
    "Copyright © {year} {publisher}. All rights reserved.",
    "For media inquiries: desk@example.org",
)


def _registry_names(registry: Path) -> dict[str, list[str]]:
    data = YAML(typ="safe").load(registry.read_text(encoding="utf-8")) or []
    entries = data.get("entities", []) if isinstance(data, dict) else data
    names: dict[str, list[str]] = {"person": [], "organisation": [], "place": []}
    for entry in entries:
        kind = entry.get("type")
        if kind in names:
            names[kind].append(entry["name"])
    for kind, fallback in (("person", "the minister"), ("organisation", "the ministry"), ("place", "the capital")):
        names[kind] = sorted(names[kind]) or [fallback]
    return names


def make_article(
    rng: random.Random, number: int, names: dict[str, list[str]], words: int = 600
) -> tuple[str, str, list[dict]]:
    """One article: (slug, file text, notes). The notes quote phrases unique to this article."""
    day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(3650))
    publisher = rng.choice(PUBLISHERS)
    place = rng.choice(names["place"])
    title = f"{rng.choice(names['organisation'])} weighs plan to {rng.choice(VERBS)} {rng.choice(OBJECTS)} in {place}"
    slug = f"{day.isoformat()}-synthetic-{number:05d}"
    marker = f"case {number:05d}"
    sentences = [f"The hearing of {marker} was adjourned until further notice."]
    count = 10
    while count < words:
        sentence = rng.choice(TEMPLATES).format(
            person=rng.choice(names["person"]),
            org=rng.choice(names["organisation"]),
            place=rng.choice(names["place"]),
            verb=rng.choice(VERBS),
            object=rng.choice(OBJECTS),
            month=rng.choice(MONTHS),
            weekday=rng.choice(WEEKDAYS),
        )
        sentences.append(sentence)
        count += len(sentence.split())
    sentences.insert(len(sentences) // 2, f"Lawyers in {marker} filed a second motion in {rng.choice(MONTHS)}.")
    paragraphs, index = [], 0
    while index < len(sentences):
        size = rng.randint(3, 6)
        paragraphs.append(" ".join(sentences[index : index + size]))
        index += size
    chrome = [line.format(year=day.year, publisher=publisher) for line in CHROME]
    front = (
        f"---\ntitle: {title}\ndate: {day.isoformat()}\npublisher: {publisher}\n"
        f"url: https://news.example.org/{slug}\nlanguage: en\ntags: [synthetic]\n---\n"
    )
    text = front + title + "\n\n" + "\n\n".join(paragraphs + chrome) + "\n"
    notes = [
        {
            "id": "adjourned",
            "kind": "context",
            "quote": f"The hearing of {marker} was adjourned",
            "body": "The hearing resumed *three weeks* later, according to the court's calendar.",
            "sources": [
                {"title": "Court calendar", "url": f"https://courts.example.org/{number}", "accessed": "2026-11-22"}
            ],
            "author": "Archive editors",
            "date": day.isoformat(),
        },
        {
            "id": "second-motion",
            "kind": "correction",
            "quote": f"Lawyers in {marker} filed a second motion",
            "body": "It was the *third* motion; the article miscounts.",
            "sources": [
                {"title": "Docket", "url": f"https://courts.example.org/{number}/docket", "accessed": "2026-11-22"}
            ],
            "author": "Archive editors",
            "date": day.isoformat(),
        },
    ]
    return slug, text, notes


def make_archive(dest: Path, count: int, repo: Path, seed: int = 20170712, words: int = 600) -> list[str]:
    """Write an archive of *count* synthetic articles into *dest* (with the repository's rules,
    registry, configuration and hand-written pages); return the slugs."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in HAND_WRITTEN:
        source = repo / name
        if source.is_dir():
            shutil.copytree(source, dest / name, dirs_exist_ok=True, ignore=shutil.ignore_patterns(
                "index.md", "articles", "entities", "corrections", "annotations", "originals", "browse"))  # fmt: skip
        elif source.is_file():
            shutil.copy2(source, dest / name)
    articles = dest / "articles"
    articles.mkdir(exist_ok=True)
    names = _registry_names(repo / "entities.yml")
    rng = random.Random(seed)
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    slugs = []
    for number in range(count):
        slug, text, notes = make_article(rng, number, names, words)
        (articles / f"{slug}.md").write_text(text, encoding="utf-8")
        with (articles / f"{slug}.notes.yml").open("w", encoding="utf-8") as handle:
            yaml.dump(notes, handle)
        slugs.append(slug)
    return slugs
