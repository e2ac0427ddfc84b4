"""A reader follows an entity link from an article to the entity's page, and back to the passage."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

ARTICLE = "articles/us-military-considers-re-establishing-presence-in-libya/"


def test_entity_link_to_page_and_back_to_the_passage(page, site_url: str) -> None:
    page.goto(site_url + ARTICLE)
    link = page.locator("article a.entity", has_text="Kalifa Haftar")
    assert link.count() == 1
    assert link.get_attribute("title") == (
        "Libyan military officer, commander of the Libyan National Army, which is based in the east of the country."
    )
    link.click()
    page.wait_for_url("**/entities/khalifa-haftar/")
    assert page.locator("article h1").inner_text() == "Khalifa Haftar"
    passages = page.locator(".entity-passages li")
    assert passages.count() == 2
    assert passages.nth(1).locator("mark").inner_text() == "Haftar"
    passages.nth(1).locator("a.entity-backlink").click()
    page.wait_for_url(f"**/{ARTICLE}#m-khalifa-haftar-2")
    target = page.locator(":target")
    assert target.inner_text() == "Haftar"
    assert target.get_attribute("class") == "mention"
    assert "Sarraj and Haftar are leaders" in target.locator("xpath=ancestor::p").inner_text()
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]


def test_entity_link_shows_its_description_as_a_tooltip(page, site_url: str) -> None:
    page.goto(site_url + ARTICLE)
    page.locator("article a.entity", has_text="Kalifa Haftar").hover()
    tooltip = page.locator(".md-tooltip2, .md-tooltip").filter(has_text="commander of the Libyan National Army")
    tooltip.first.wait_for(state="visible", timeout=5_000)
