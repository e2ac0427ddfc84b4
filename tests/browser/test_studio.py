"""The editing studio (``archive serve``) driven in Debian's Chromium: live reload, a note added
from a selection, edited and deleted from its popover, an orphan shown over the page and in the
panel, the new wording taken, unknown names added to the registry, and hostile writes refused.

One studio runs for the module, on a copy of the archive; each test leaves the files as it found
them, or says what it changed. ``UPDATE_SCREENSHOTS=1`` writes the guides' screenshots
(``site_src/assets/guide/``), reviewed and committed like golden files.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import CHROMIUM, CHROMIUM_ARGS, REPO, copy_project, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SLUG = "us-military-considers-re-establishing-presence-in-libya"
SENTENCE = "The U.S army will also be conducting joint training and advisory functions with the Libyan troops."
SCREENSHOTS = REPO / "site_src" / "assets" / "guide"
ARTIFACTS = REPO / "tests" / "artifacts"

SELECT = """(sentence) => {
  // Select `sentence` with a DOM Range, across the links inside it, skipping note markers.
  for (const block of document.querySelectorAll('.archive-text > [id^=p]')) {
    const nodes = [];
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (!walker.currentNode.parentElement.closest('sup.note-ref')) nodes.push(walker.currentNode);
    }
    const text = nodes.map(n => n.data).join('');
    const at = text.indexOf(sentence);
    if (at < 0) continue;
    const point = (offset) => {
      for (const node of nodes) { if (offset <= node.data.length) return [node, offset]; offset -= node.data.length; }
    };
    const range = document.createRange();
    range.setStart(...point(at));
    range.setEnd(...point(at + sentence.length));
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    return true;
  }
  return false;
}"""


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    """A page in a Chromium of its own, ended by closing that browser, never the page.

    The studio's pages reload themselves after every run, and closing a page or its context while
    a reload commits can hang for good: Chromium acknowledges the close and drops it
    (crbug.com/536385539; Playwright issues 42068 and 42366), and Playwright waits for it with no
    timeout. That stalled the suite after the first studio test. Closing the browser process does
    not wait on any page: in a page that reloads itself in a loop, 250 of 250 browser closes ended
    within 1 s, where closing the context hung after about 100."""
    own = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        yield own.new_context(viewport={"width": 1280, "height": 900}).new_page()
    finally:
        own.close()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Studio:
    def __init__(self, root: Path, url: str) -> None:
        self.root = root
        self.url = url

    def state(self) -> dict:
        with urllib.request.urlopen(self.url + "_studio/state", timeout=5) as response:
            return json.loads(response.read())

    def wait_run(self, after: int, timeout: float = 60) -> dict:
        """The first finished run after version *after*."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                state = self.state()
                if state["version"] > after and not state["building"]:
                    return state
            time.sleep(0.1)
        raise AssertionError(f"no run finished within {timeout} s")

    def notes(self) -> Path:
        return self.root / "articles" / f"{SLUG}.notes.yml"

    def article(self) -> Path:
        return self.root / "articles" / f"{SLUG}.md"

    def page(self, slug: str = SLUG) -> str:
        return f"{self.url}articles/{slug}/"


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    root = copy_project(tmp_path_factory.mktemp("studio") / "archive")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    log = open(root.parent / "serve.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--port", str(port)],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    running = Studio(root, f"http://127.0.0.1:{port}/")
    try:
        running.wait_run(0, timeout=120)
        yield running
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"studio-{name}.png"))
    if os.environ.get("UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"studio-{name}.png"))


def _open(page, studio: Studio, url: str | None = None) -> None:  # type: ignore[no-untyped-def]
    page.goto(url or studio.page())
    # the event stream is open once the first run's state has arrived (locators, not predicates:
    # a predicate is evaluated as a string, which the page's Content-Security-Policy refuses)
    page.locator("html[data-studio-run]").wait_for(state="attached")


def test_a_file_edit_reloads_the_open_tab(page, studio: Studio) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    _open(page, studio)
    notes = studio.notes()
    before = notes.read_text(encoding="utf-8")
    old = "The sentence is garbled."
    delays = []
    try:
        for round_ in range(3):
            new = f"The sentence is garbled (checked {round_ + 1})."
            text = notes.read_text(encoding="utf-8")
            started = time.monotonic()
            notes.write_text(text.replace(old, new, 1), encoding="utf-8")
            page.locator("#note-garbled-policy-sentence", has_text=new).wait_for(state="attached", timeout=30_000)
            delays.append(round(time.monotonic() - started, 2))
            old = new
    finally:
        version = studio.state()["version"]
        notes.write_text(before, encoding="utf-8")
        studio.wait_run(version)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "studio-reload.json").write_text(
        json.dumps({"reload_seconds": delays, "median": sorted(delays)[1]}, indent=2) + "\n", encoding="utf-8"
    )


def test_add_edit_delete_a_note_from_the_page(page, studio: Studio) -> None:  # type: ignore[no-untyped-def]
    notes = studio.notes()
    before = notes.read_bytes()
    page.on("dialog", lambda dialog: dialog.accept())
    _open(page, studio)
    assert page.evaluate(SELECT, SENTENCE)
    page.locator("#studio-add-note").click()
    form = page.locator("#studio-dialog form")
    form.wait_for()
    assert form.locator(".studio-quote q").inner_text() == SENTENCE
    ident = form.locator("[name=id]").input_value()
    assert ident == "correction-the-u-s-army"
    form.locator("[name=kind]").select_option("correction")
    form.locator("[name=body]").fill("CNN reported *advisory* work, not [joint training](https://www.cnn.com/x).")
    page.locator(".studio-body-preview em").wait_for()  # the live preview, rendered by the build's code
    assert page.locator(".studio-body-preview a[href='https://www.cnn.com/x']").inner_text() == "joint training"
    assert form.locator("[name=source-accessed]").input_value() == time.strftime("%Y-%m-%d")
    form.locator("[name=source-title]").fill("US military considers ramping up Libya presence (CNN)")
    form.locator("[name=source-url]").fill("https://www.cnn.com/2017/07/10/politics/us-libya-military/")
    form.locator("[name=author]").fill("A. Editor")
    _shoot(page, "add-note")
    version = studio.state()["version"]
    form.locator("button[type=submit]").click()
    # the page reloads with the note in place
    mark = page.locator(f"mark#anchor-{ident}")
    mark.wait_for(timeout=30_000)
    assert " ".join(page.locator("mark[data-note] >> nth=0").all_inner_texts())  # marks render
    assert studio.state()["version"] > version
    text = notes.read_text(encoding="utf-8")
    assert text.startswith(before.decode("utf-8").rstrip("\n"))  # appended, every comment kept
    assert f'- id: {ident}\n  kind: correction\n  quote: "{SENTENCE}"\n  prefix: "' in text
    assert "author: A. Editor" in text
    assert page.evaluate("localStorage.getItem('archive-studio-author')") == "A. Editor"

    # edit it from its popover
    page.locator(f"#ref-{ident}").click()
    page.locator(".note-popover .studio-note-actions [data-action=edit]").wait_for()
    _shoot(page, "note-popover")
    page.locator(".note-popover .studio-note-actions [data-action=edit]").click()
    form = page.locator("#studio-dialog form")
    form.wait_for()
    assert form.locator("[name=body]").input_value().startswith("CNN reported *advisory* work")
    form.locator("[name=body]").fill("CNN reported advisory work only.")
    form.locator("button[type=submit]").click()
    page.locator(f"#note-{ident}", has_text="advisory work only").wait_for(state="attached", timeout=30_000)
    assert 'body: "CNN reported advisory work only."' in notes.read_text(encoding="utf-8")

    # delete it: the file is as before
    page.locator(f"#ref-{ident}").click()
    page.locator(".note-popover .studio-note-actions [data-action=delete]").click()
    page.locator(f"#anchor-{ident}").wait_for(state="detached", timeout=30_000)
    assert notes.read_bytes() == before


def test_hostile_writes_are_refused_and_change_nothing(page, studio: Studio) -> None:  # type: ignore[no-untyped-def]
    notes, registry = studio.notes(), studio.root / "entities.yml"
    before = (notes.read_bytes(), registry.read_bytes())
    _open(page, studio)
    write = """async ([path, data, token]) => {
      const headers = {'Content-Type': 'application/json'};
      if (token) headers['X-Archive-Token'] = document.querySelector('meta[name=archive-studio-token]').content;
      const response = await fetch('/_studio/' + path,
        {method: 'POST', headers, body: JSON.stringify(data), signal: AbortSignal.timeout(20000)});
      return [response.status, (await response.json()).error];
    }"""
    remove = {"article": SLUG, "id": "garbled-policy-sentence"}
    status, error = page.evaluate(write, ["notes/remove", remove, False])
    assert status == 403 and "token" in error
    for article in ("../entities", "../../etc/passwd", "articles/" + SLUG, SLUG + "/../x"):
        status, error = page.evaluate(write, ["notes/remove", {**remove, "article": article}, True])
        assert status == 400 and "not a valid name" in error, (article, error)
    script = {"article": SLUG, "id": "garbled-policy-sentence", "body": "[x](javascript:alert(1))"}
    status, error = page.evaluate(write, ["notes/edit", script, True])
    assert status == 400 and "javascript:alert(1)" in error
    # a page of another site (another origin) posting to the studio, with a guessed token
    attack = studio.root.parent / "attack"
    attack.mkdir(exist_ok=True)
    (attack / "index.html").write_text("<!doctype html><title>Other site</title>", encoding="utf-8")
    with serve(attack) as other:
        page.goto(other)
        outcome = page.evaluate(
            """async ([url, data]) => {
              try {
                const r = await fetch(url + '_studio/notes/remove', {method: 'POST', mode: 'no-cors',
                  headers: {'Content-Type': 'text/plain'}, body: JSON.stringify(data),
                  signal: AbortSignal.timeout(20000)});
                return r.type;
              } catch (e) { return 'failed: ' + e; }
            }""",
            [studio.url, remove],
        )
        assert outcome in ("opaque",) or outcome.startswith("failed"), outcome
    # and as the server sees it: a foreign Origin with the right token is refused too
    token = _token(studio)
    request = urllib.request.Request(
        studio.url + "_studio/notes/remove",
        data=json.dumps(remove).encode(),
        headers={"Content-Type": "application/json", "X-Archive-Token": token, "Origin": "http://evil.example"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    assert (notes.read_bytes(), registry.read_bytes()) == before


def _token(studio: Studio) -> str:
    with urllib.request.urlopen(studio.page(), timeout=10) as response:
        page = response.read().decode()
    return page.split('name="archive-studio-token" content="', 1)[1].split('"', 1)[0]


def test_unknown_names_go_to_the_registry(page, studio: Studio) -> None:  # type: ignore[no-untyped-def]
    article = studio.article()
    text = article.read_text(encoding="utf-8")
    version = studio.state()["version"]
    article.write_text(
        text.replace(
            SENTENCE, SENTENCE + " The UN envoy Ghassan Salamé met both leaders in Paris with Stephanie Williams."
        ),
        encoding="utf-8",
    )
    studio.wait_run(version)
    _open(page, studio)
    unknown = page.locator(".studio-unknown", has_text="Ghassan Salamé")
    unknown.wait_for(timeout=30_000)
    unknown.click()
    page.locator("#studio-dialog button", has_text="Add to registry").click()
    form = page.locator("#studio-dialog form")
    assert form.locator("[name=name]").input_value() == "Ghassan Salamé"
    assert form.locator("[name=type]").input_value() == "person"
    form.locator("[name=description]").fill("UN special envoy for Libya, 2017–2020.")
    form.locator("[name=wikipedia]").fill("https://en.wikipedia.org/wiki/Ghassan_Salam%C3%A9")
    _shoot(page, "add-entity")
    form.locator("button[type=submit]").click()
    page.locator("a.entity", has_text="Ghassan Salamé").wait_for(timeout=60_000)
    registry = (studio.root / "entities.yml").read_text(encoding="utf-8")
    assert '  - id: ghassan-salame\n    name: "Ghassan Salamé"\n    type: person\n' in registry

    # the other name is left unlinked, with a reason, and is no longer marked after the rebuild
    version = studio.state()["version"]
    other = page.locator(".studio-unknown", has_text="Stephanie Williams")
    other.wait_for(timeout=30_000)
    other.click()
    page.locator("#studio-dialog button", has_text="Ignore").click()
    form = page.locator("#studio-dialog form")
    form.locator("[name=reason]").fill("Named in passing; not yet in the archive.")
    _shoot(page, "ignore-name")
    form.locator("button[type=submit]").click()
    studio.wait_run(version)
    other.wait_for(state="detached", timeout=30_000)  # the page reloaded, and the name is not marked again
    page.locator("html[data-studio-run]").wait_for(state="attached")
    page.locator("a.entity", has_text="Ghassan Salamé").wait_for()
    # the names are marked by a request of their own: once another unknown name is marked, all are
    page.locator(".studio-unknown", has_text="Paris").wait_for(timeout=30_000)
    assert page.locator(".studio-unknown", has_text="Stephanie Williams").count() == 0
    registry = (studio.root / "entities.yml").read_text(encoding="utf-8")
    ignored = 'ignore:\n  - text: "Stephanie Williams"\n    label: PERSON\n'
    assert ignored + '    reason: "Named in passing; not yet in the archive."\n' in registry


def test_an_orphan_shows_over_the_page_and_the_new_wording_is_taken(page, studio: Studio) -> None:  # type: ignore[no-untyped-def]
    article, notes = studio.article(), studio.notes()
    text = article.read_text(encoding="utf-8")
    quoted = "Libya will now become that latest nation"
    assert quoted in text
    _open(page, studio)
    version = studio.state()["version"]
    article.write_text(text.replace(quoted, "Libya is the next country"), encoding="utf-8")
    overlay = page.locator("#studio-overlay")
    overlay.wait_for(timeout=30_000)
    assert "us-counterterrorism-predates-trump" in overlay.inner_text()
    assert f"articles/{SLUG}.notes.yml:53" in overlay.inner_text()
    assert studio.wait_run(version)["ok"] is False
    page.reload()  # still the last good page, with the errors over it
    overlay.wait_for()
    _shoot(page, "overlay")
    page.locator("#studio-overlay button", has_text="Hide").click()
    page.locator("#studio-attention-button").click()
    orphan = page.locator("#studio-panel [data-kind=orphan]")
    orphan.wait_for()
    assert "us-counterterrorism-predates-trump" in orphan.inner_text()

    # a small typo fix instead: the note anchors approximately, and takes the new wording
    with page.expect_event("load", timeout=30_000):  # the good run reloads the page
        article.write_text(text.replace(quoted, "Libya will now become the latest nation"), encoding="utf-8")
    _open(page, studio, page.url)
    assert page.locator("#studio-overlay").count() == 0
    page.locator("#studio-attention-button").click()
    fuzzy = page.locator("#studio-panel [data-kind=fuzzy]")
    fuzzy.wait_for(timeout=30_000)
    assert fuzzy.locator(".studio-compare__old").inner_text() == quoted
    assert fuzzy.locator(".studio-compare__new").inner_text() == "Libya will now become the latest nation"
    _shoot(page, "attention")
    with page.expect_event("load", timeout=30_000):  # the quote is rewritten, the page rebuilt and reloaded
        fuzzy.locator("[data-action=accept]").click()
    assert 'quote: "Libya will now become the latest nation"' in notes.read_text(encoding="utf-8")
    page.goto(studio.url + "_studio/attention/")
    page.locator("#studio-attention-list p").first.wait_for()
    assert "us-counterterrorism-predates-trump" not in page.locator("#studio-attention-list").inner_text()


def test_an_ambiguous_quote_is_pinned_with_this_one(page, studio: Studio) -> None:  # type: ignore[no-untyped-def]
    from ..commands.test_studio_pin import NOTE, TEXT

    article = studio.root / "articles" / "council.md"
    notes = article.with_suffix(".notes.yml")
    _open(page, studio)
    try:
        version = studio.state()["version"]
        article.write_text(f"---\ntitle: Council\n---\n\n{TEXT}", encoding="utf-8")
        notes.write_text(NOTE, encoding="utf-8")
        assert studio.wait_run(version)["ok"] is False  # "occurs 2 times": the run stops
        page.locator("#studio-overlay").wait_for(timeout=30_000)
        page.locator("#studio-overlay button", has_text="Hide").click()
        page.locator("#studio-attention-button").click()
        item = page.locator("#studio-panel [data-kind=ambiguous]")
        item.wait_for(timeout=30_000)
        assert "which the article has in 2 places" in item.inner_text()
        places = item.locator(".studio-places li")
        assert places.count() == 2
        # each place with its line and the words around it, apart from the quoted words
        assert places.nth(0).inner_text().startswith("line 5: …On Monday the council agreed to repair the harbour")
        assert places.nth(1).inner_text().startswith("line 7: …Friday the mayor said that the council agreed to repair")
        _shoot(page, "this-one")
        with page.expect_event("load", timeout=30_000):  # the pin is written, the run succeeds, the page reloads
            places.nth(1).locator("[data-action=pick]").click()
        text = notes.read_text(encoding="utf-8")
        assert "prefix: " in text or "suffix: " in text  # the context that tells the places apart
        page.goto(studio.page("council"))
        mark = page.locator("mark#anchor-twice")
        mark.wait_for(timeout=30_000)
        assert mark.count() == 1
        assert "the mayor said" in page.locator("p", has=mark).inner_text()  # the second place, not the first
    finally:
        version = studio.state()["version"]
        for path in (notes, article.with_suffix(".anchors.yml"), article):
            path.unlink(missing_ok=True)
        studio.wait_run(version)
