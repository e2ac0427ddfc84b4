"""An article's table in a real browser, on a phone: the page does not scroll sideways, the table
scrolls inside its frame (from the keyboard too), and the note in a cell opens; the text the page
shows is the article's text, so the Web Annotation's position finds the cell's words."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..commands.test_add_table import NOTE, PAGE, SLUG
from ..conftest import copy_project, run_archive, serve

pytestmark = pytest.mark.browser

WIDE = "articles/timetable.md"


@pytest.fixture(scope="module")
def table_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The archive with the saved page of ferry figures added (a note in a cell) and an article
    with a table of ten columns, built; served on 127.0.0.1."""
    root = copy_project(tmp_path_factory.mktemp("tables") / "archive")
    assert run_archive("add", str(PAGE), "--yes", cwd=root).returncode == 0
    (root / "articles" / f"{SLUG}.notes.yml").write_text(
        NOTE.format(ident="passengers", quote="148,200"), encoding="utf-8"
    )
    header = "| Route | " + " | ".join(f"{hour:02d}:00 departure" for hour in range(6, 15)) + " |"
    row = "| Port Ellery – Inishmore | " + " | ".join("sails on time" for _ in range(6, 15)) + " |"
    (root / WIDE).write_text(
        "---\ntitle: The winter timetable\ndate: 2024-11-01\npublisher: The Harbour Herald\n---\n\n"
        "The harbour board published the winter timetable of the island ferries on Friday, with a sailing "
        "every hour from six in the morning on the Inishmore route.\n\n"
        f"{header}\n|{'---|' * 10}\n{row}\n",
        encoding="utf-8",
    )
    run_archive("build", "--strict", cwd=root, check=True)
    with serve(root / "site") as url:
        yield root, url


def test_on_a_phone_a_wide_table_scrolls_in_its_frame_not_the_page(browser, table_site) -> None:  # noqa: ANN001
    root, url = table_site
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.goto(url + "articles/timetable/", wait_until="networkidle")
        sizes = page.evaluate(
            """() => { const frame = document.querySelector('.archive-text .archive-table');
                return {page: document.documentElement.scrollWidth, view: window.innerWidth,
                        frame: frame.clientWidth, table: frame.scrollWidth,
                        overflow: getComputedStyle(frame).overflowX}; }"""
        )
        assert sizes["page"] <= sizes["view"], sizes  # the page itself never scrolls sideways
        assert sizes["table"] > sizes["frame"] and sizes["overflow"] == "auto", sizes
        frame = page.locator(".archive-text .archive-table")
        frame.focus()  # reachable from the keyboard (tabindex="0"), and scrolled with the arrow keys
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.querySelector('.archive-text .archive-table').scrollLeft > 0")
        assert page.get_by_role("region", name="Table 2").count() == 1
        header = page.locator(".archive-table th").first
        assert header.evaluate("th => Number(getComputedStyle(th).fontWeight)") >= 700
    finally:
        context.close()


def test_the_note_in_a_cell_opens_and_its_annotation_finds_the_cell_s_words(browser, table_site) -> None:  # noqa: ANN001
    root, url = table_site
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        page.goto(url + f"articles/{SLUG}/", wait_until="networkidle")
        assert page.locator(".archive-table td mark.note-anchor").inner_text() == "148,200"
        page.locator(".archive-table td sup.note-ref a").click()
        page.wait_for_selector("text=a return trip counts twice", state="visible")
        annotation = json.loads((root / "site" / "annotations" / f"{SLUG}.jsonld").read_text(encoding="utf-8"))
        (css,) = [sel for item in _annotations(annotation) for sel in item["target"]["selector"] if "refinedBy" in sel]
        position = css["refinedBy"]
        found = page.evaluate(
            "([css, s, e]) => document.querySelector(css).textContent.slice(s, e)",
            [css["value"], position["start"], position["end"]],
        )
        assert found == "148,200"
    finally:
        context.close()


def _annotations(data: object) -> list[dict]:
    """Every annotation (a dict with a ``target``) in a JSON-LD document."""
    if isinstance(data, dict):
        return [data] if "target" in data else [a for value in data.values() for a in _annotations(value)]
    if isinstance(data, list):
        return [a for value in data for a in _annotations(value)]
    return []
