"""A reader searches the built site in a real browser and finds the one article with the word."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_search_finds_word_only_in_one_article(page, site_url: str) -> None:
    # "carve" occurs only in the Antiwar.com article: not in the NewsSpan one, nor in any note.
    page.goto(site_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").press_sequentially("carve", delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    page.wait_for_timeout(500)  # results render in batches: read them in one go once settled
    links = results.evaluate_all("items => items.map(item => item.querySelector('a').getAttribute('href'))")
    # Entity pages quote the passage too; among the articles, only one has the word.
    articles = [i for i, href in enumerate(links) if "/articles/" in href]
    assert articles, f"no article in the search results: {links}"
    assert all("2017-07-12-us-looks-to-escalate-involvement-in-libya" in links[i] for i in articles)
    results.nth(articles[0]).locator("a").first.click()
    page.wait_for_function("() => location.pathname.includes('us-looks-to-escalate')")
    assert "carve out a permanent US presence" in page.locator("article").inner_text()
