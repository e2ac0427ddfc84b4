"""The reader's pages without a browser: reading time, browse groups, older/newer links, feeds.

Hostile titles, publishers and tags must stay text in the pages and in the Atom feeds.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

from generator.model import Article, Block, Meta, sort_articles
from generator.render import article as article_parts
from generator.render import browse, feeds, home
from generator.render.sanitize import differences, page_body
from generator.stages.staged import Staged
from generator.stages.summary import Summary, summarize

HOSTILE = "<script>alert(1)</script>&amp;\"']]>"
ATOM = "{http://www.w3.org/2005/Atom}"
EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def article(slug: str, words: int = 10, **meta: object) -> Article:
    text = " ".join(["word"] * words)
    return Article(slug, Path(f"articles/{slug}.md"), Meta(title=str(meta.pop("title", slug)), **meta), (Block(text),))  # type: ignore[arg-type]


def summary(item: Article) -> Summary:
    """What the listing pages see of *item*."""
    return summarize(Staged(item, (), (), ()))[0]


def summaries(articles: list[Article]) -> list[Summary]:
    return [summary(item) for item in sort_articles(articles)]


def listed(articles: list[Article]) -> list[object]:
    return [item.listed for item in summaries(articles)]


def neighbour(item: Article) -> tuple[str, str]:
    return (item.slug, item.meta.title)


def test_reading_time_rounds_up_at_230_words_a_minute() -> None:
    assert article_parts.reading_minutes(article("a", 1)) == 1
    assert article_parts.reading_minutes(article("a", 230)) == 1
    assert article_parts.reading_minutes(article("a", 231)) == 2
    assert "2 min read · 231 words" in article_parts.reading_line(article("a", 231))


def test_groups_by_year_publisher_and_tag() -> None:
    articles = listed(
        [
            article("old", date=dt.date(2015, 3, 1), publisher="AP", tags=("libya",)),
            article("new", date=dt.date(2017, 7, 12), publisher="A.P.", tags=("libya", "opinion")),
            article("undated"),
        ]
    )
    assert [(g.label, [a.slug for a in g.articles]) for g in browse.years(articles)] == [
        ("2017", ["new"]),
        ("2015", ["old"]),
        ("Undated", ["undated"]),
    ]
    # Two publishers whose names make one URL segment keep a page each.
    assert [(g.key, g.label) for g in browse.publishers(articles)] == [
        ("a-p", "A.P."),
        ("ap", "AP"),
        ("unknown-publisher", "Unknown publisher"),
    ]
    assert [(g.label, len(g.articles)) for g in browse.tags(articles)] == [("libya", 2), ("opinion", 1)]
    pages = browse.browse_pages(articles, 50)
    assert sorted(pages) == [
        "browse/index.md",
        "browse/publisher/a-p/index.md",
        "browse/publisher/ap/index.md",
        "browse/publisher/unknown-publisher/index.md",
        "browse/tag/libya/index.md",
        "browse/tag/opinion/index.md",
        "browse/year/2015/index.md",
        "browse/year/2017/index.md",
        "browse/year/undated/index.md",
    ]


def test_pager_links_older_and_newer_neighbours() -> None:
    articles = sort_articles(
        [article("a", date=dt.date(2017, 1, 1)), article("b", date=dt.date(2018, 1, 1)), article("c")]
    )
    assert [a.slug for a in articles] == ["b", "a", "c"]
    middle = article_parts.pager(neighbour(articles[2]), neighbour(articles[0]))
    assert 'href="../../articles/c/" rel="prev"' in middle and 'href="../../articles/b/" rel="next"' in middle
    assert 'rel="next"' not in article_parts.pager(neighbour(articles[1]), None)
    assert article_parts.pager(None, None) == ""


def test_hostile_metadata_stays_text_and_inside_the_allow_list() -> None:
    articles = [article("x", title=HOSTILE, publisher=HOSTILE, tags=(HOSTILE,), date=dt.date(2017, 1, 1))]
    pages = {
        **browse.browse_pages(listed(articles), 50),
        "index.md": home.home_page(summaries(articles), "Archive", 50),
    }
    for name, page in pages.items():
        assert "<script>" not in page, name
        assert differences(page_body(page)) == [], name
    pager = article_parts.pager(neighbour(articles[0]), None)
    assert differences(pager) == [] and "<script>" not in pager


def test_feeds_escape_text_and_use_absolute_addresses() -> None:
    articles = [
        article(
            "x", title=HOSTILE, date=dt.date(2017, 7, 12), archived=dt.date(2026, 11, 22), url="https://e.org/a?b=1&c=2"
        ),
        article("y", title="Undated"),
    ]
    articles = [summary(item) for item in articles]
    root = ET.fromstring(feeds.articles_feed(articles, "Archive", "https://archive.example.org/", EPOCH))
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [HOSTILE, "Undated"]
    assert entries[0].findtext(f"{ATOM}updated") == "2026-11-22T00:00:00Z"
    assert entries[1].findtext(f"{ATOM}updated") == "2020-01-01T00:00:00Z"  # no date: the build's epoch
    assert entries[0].find(f"{ATOM}link[@rel='related']").get("href") == "https://e.org/a?b=1&c=2"
    assert entries[0].find(f"{ATOM}link[@rel='alternate']").get("href") == "https://archive.example.org/articles/x/"
    assert root.findtext(f"{ATOM}updated") == "2026-11-22T00:00:00Z"
    # The same input gives the same bytes.
    assert feeds.articles_feed(articles, "Archive", "https://archive.example.org/", EPOCH) == feeds.articles_feed(
        articles, "Archive", "https://archive.example.org/", EPOCH
    )


def test_the_articles_feed_holds_the_newest_articles_newest_first() -> None:
    # More articles than a feed holds, archived on 40 days (so many share a day) or undated.
    items = [
        article(f"a{n:03d}", date=dt.date(2016, 1, 1) + dt.timedelta(days=n % 40) if n % 7 else None)
        for n in range(3 * feeds.FEED_SIZE)
    ]
    articles = [summary(item) for item in reversed(items)]
    root = ET.fromstring(feeds.articles_feed(articles, "Archive", "https://archive.example.org/", EPOCH))
    shown = [e.findtext(f"{ATOM}id").rsplit("/", 2)[-2] for e in root.findall(f"{ATOM}entry")]

    def day(item: object) -> dt.date:
        return item.meta.date or dt.date(2020, 1, 1)  # type: ignore[attr-defined]  # undated: the epoch

    expected = sorted(articles, key=lambda a: (-day(a).toordinal(), a.slug))[: feeds.FEED_SIZE]
    assert shown == [a.slug for a in expected]
    assert len(shown) == feeds.FEED_SIZE and shown[0] < shown[1]  # the undated (the epoch) by slug


def test_site_url_is_read_from_the_configuration(tmp_path: Path) -> None:
    from generator.settings import Settings

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nsite_url: https://archive.example.org\n", encoding="utf-8")
    assert Settings.load(tmp_path).site_url == "https://archive.example.org/"
    config.write_text("site_name: x\n", encoding="utf-8")
    assert Settings.load(tmp_path).site_url is None
    config.write_text("site_name: x\nsite_url: javascript:alert(1)\n", encoding="utf-8")
    assert Settings.load(tmp_path).site_url is None


def test_without_site_url_the_home_page_links_no_feeds(project: Path) -> None:
    from ..conftest import run_archive

    config = project / "mkdocs.yml"
    config.write_text(
        "\n".join(line for line in config.read_text(encoding="utf-8").splitlines() if not line.startswith("site_url:")),
        encoding="utf-8",
    )
    run_archive("generate", cwd=project, check=True)
    home = (project / "site_src" / "index.md").read_text(encoding="utf-8")
    assert "feed-articles.xml" not in home
    assert 'href="browse/tag/libya/"' in home
