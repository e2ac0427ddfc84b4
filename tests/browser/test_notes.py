"""A reader opens a note from its marker, closes it with Escape, and follows a Corrections-page
link to the highlighted passage, in Debian's Chromium."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SLUG_000 = "us-military-considers-re-establishing-presence-in-libya"


def test_marker_opens_the_note_in_place_and_escape_closes_it(page, site_url: str) -> None:
    page.goto(f"{site_url}articles/{SLUG_000}/")
    marker = page.locator("#ref-sarraj-held-the-west")
    assert marker.get_attribute("role") == "button"
    assert marker.get_attribute("aria-expanded") == "false"
    marker.click()
    popover = page.locator(".note-popover[role=dialog]")
    popover.wait_for(timeout=5_000)
    text = popover.inner_text()
    assert "CORRECTION" in text.upper() and "The regions are reversed." in text
    assert "Tripoli, in western Libya" in popover.locator("strong").inner_text()
    assert popover.locator("a[href^='https://www.dw.com/']").count() == 1
    assert "Back to the text" not in text
    assert marker.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.classList.contains('note-popover')")
    assert page.url.endswith(f"/articles/{SLUG_000}/")  # opened in place, not by jumping to the list
    # the popover sits next to its marker
    box, mark = popover.bounding_box(), marker.bounding_box()
    assert 0 <= box["y"] - (mark["y"] + mark["height"]) <= 20
    page.keyboard.press("Escape")
    assert popover.count() == 0
    assert page.evaluate("document.activeElement.id") == "ref-sarraj-held-the-west"
    assert marker.get_attribute("aria-expanded") == "false"
    # from the keyboard: Enter opens another note
    page.locator("#ref-haftar-spelling").focus()
    page.keyboard.press("Enter")
    assert "Khalifa Haftar" in page.locator(".note-popover").inner_text()


def test_corrections_page_link_leads_to_the_highlighted_passage(page, site_url: str) -> None:
    page.goto(f"{site_url}corrections/")
    link = page.locator(f"a[href^='../articles/{SLUG_000}/#anchor-haftar-held-the-east:~:text=']")
    assert link.inner_text() == "“who controls the western part”"
    plain = page.evaluate("getComputedStyle(document.body).backgroundColor")
    link.click()
    # the new page has loaded and the linked passage is the document's target
    page.locator("mark#anchor-haftar-held-the-east:target").wait_for()
    target = page.locator("mark#anchor-haftar-held-the-east")
    assert target.inner_text() == "who controls the western part"
    style = target.evaluate("el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).outlineStyle]")
    assert style[0] not in (plain, "rgba(0, 0, 0, 0)") and style[1] == "solid"
    other = page.locator("mark#anchor-haftar-spelling").evaluate("el => getComputedStyle(el).outlineStyle")
    assert other == "none"  # only the linked passage is outlined
    box = target.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]  # scrolled into view


def test_without_javascript_the_marker_leads_to_the_numbered_note(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"{site_url}articles/{SLUG_000}/")
        page.locator("#ref-sarraj-held-the-west").click()
        page.wait_for_function("() => location.hash === '#note-sarraj-held-the-west'")
        item = page.locator("li#note-sarraj-held-the-west")
        assert "The regions are reversed." in item.inner_text()
        item.locator("a.note-back").click()
        page.wait_for_function("() => location.hash === '#ref-sarraj-held-the-west'")
    finally:
        context.close()
