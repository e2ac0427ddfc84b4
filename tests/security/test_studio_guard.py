"""Hostile requests to the studio, a channel that writes files: each is refused with a plain
reason and changes nothing; the same write, made properly, does change the file (so each
refusal is the guard's doing, not a broken route)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from generator.commands.studio.app import studio_app
from generator.commands.studio.guard import MAX_BODY, Guard
from generator.commands.studio.preview import Preview
from generator.settings import Settings

SLUG = "us-military-considers-re-establishing-presence-in-libya"
PORT = 8123
ORIGIN = f"http://127.0.0.1:{PORT}"
REMOVE = {"article": SLUG, "id": "garbled-policy-sentence"}


@pytest.fixture
def client(project: Path, tmp_path: Path) -> tuple[TestClient, Guard, Path]:
    guard = Guard.new(PORT)
    (tmp_path / "preview").mkdir()
    (tmp_path / "preview" / "index.html").write_text("<html><head></head><body>home</body></html>")
    app = studio_app(Preview(Settings.load(project), tmp_path / "preview"), guard)
    return TestClient(app, base_url=ORIGIN), guard, project / "articles" / f"{SLUG}.notes.yml"


def _headers(guard: Guard, **extra: str) -> dict[str, str]:
    return {"Content-Type": "application/json", "X-Archive-Token": guard.token, "Origin": ORIGIN, **extra}


def _without(headers: dict[str, str], name: str) -> dict[str, str]:
    return {key: value for key, value in headers.items() if key != name}


HOSTILE = [
    # (name, path, body, headers given the guard, status, words of the reason)
    ("no-token", "notes/remove", REMOVE, lambda g: _without(_headers(g), "X-Archive-Token"), 403, "token"),
    ("wrong-token", "notes/remove", REMOVE, lambda g: _headers(g, **{"X-Archive-Token": "guess"}), 403, "token"),
    ("foreign-origin", "notes/remove", REMOVE, lambda g: _headers(g, Origin="http://evil.example"), 403, "evil"),
    ("null-origin", "notes/remove", REMOVE, lambda g: _headers(g, Origin="null"), 403, "own pages"),
    ("no-origin", "notes/remove", REMOVE, lambda g: _without(_headers(g), "Origin"), 403, "names none"),
    ("cross-site-fetch", "notes/remove", REMOVE, lambda g: _headers(g, **{"Sec-Fetch-Site": "cross-site"}), 403, "own"),
    ("rebound-host", "notes/remove", REMOVE, lambda g: _headers(g, Host=f"evil.example:{PORT}"), 403, "own address"),
    ("other-port-host", "notes/remove", REMOVE, lambda g: _headers(g, Host="127.0.0.1:9"), 403, "own address"),
    ("html-form", "notes/remove", REMOVE, lambda g: _headers(g, **{"Content-Type": "text/plain"}), 415, "JSON"),
    ("dot-dot-article", "notes/remove", {**REMOVE, "article": "../entities"}, _headers, 400, "not a valid name"),
    ("absolute-article", "notes/remove", {**REMOVE, "article": "/etc/passwd"}, _headers, 400, "not a valid name"),
    ("path-as-id", "notes/remove", {**REMOVE, "id": "../../x"}, _headers, 400, "not a valid name"),
    ("not-json", "notes/remove", "{not json", _headers, 400, "not valid JSON"),
    ("json-list", "notes/remove", [1, 2], _headers, 400, "not a JSON object"),
    ("too-large", "notes/edit", {**REMOVE, "body": "x" * MAX_BODY}, _headers, 413, "larger than 64 KB"),
    ("script-link-body", "notes/edit", {**REMOVE, "body": "[see](javascript:alert(1))"}, _headers, 400, "javascript:"),
    ("markup-body", "notes/edit", {**REMOVE, "body": "<script>alert(1)</script>"}, _headers, 200, ""),
    ("blank-line-body", "notes/edit", {**REMOVE, "body": "one\n\ntwo"}, _headers, 400, "one paragraph"),
    ("no-such-note", "notes/remove", {**REMOVE, "id": "nothing-here"}, _headers, 400, "no note has the id"),
    ("bad-offsets", "notes/add", {"article": SLUG, "from": [0, 5], "to": [999, 0]}, _headers, 409, "reload the page"),
    ("registry-script", "registry/entity", {"name": "X", "type": "place", "description": "d",
                                            "wikipedia": "javascript:alert(1)"}, _headers, 400, "Wikipedia"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "path", "body", "headers", "status", "reason"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_write_is_refused(client, name, path, body, headers, status, reason) -> None:  # type: ignore[no-untyped-def]
    http, guard, notes = client
    before = notes.read_bytes(), (notes.parent.parent / "entities.yml").read_bytes()
    data = body if isinstance(body, str) else json.dumps(body)
    response = http.post(f"/_studio/{path}", content=data, headers=headers(guard))
    if name == "markup-body":
        # Markup is text in a note: written as typed, escaped on the page, never markup.
        assert response.status_code == 200, response.text
        assert 'body: "<script>alert(1)</script>"' in notes.read_text()
        preview = http.post("/_studio/body", content=json.dumps({"body": "<b>x</b>"}), headers=headers(guard)).json()
        assert preview == {"html": "&lt;b&gt;x&lt;/b&gt;"}
        return
    assert response.status_code == status, response.text
    assert reason in response.json()["error"]
    assert (notes.read_bytes(), (notes.parent.parent / "entities.yml").read_bytes()) == before


def test_the_same_write_made_properly_changes_the_file(client) -> None:  # type: ignore[no-untyped-def]
    http, guard, notes = client
    response = http.post("/_studio/notes/remove", content=json.dumps(REMOVE), headers=_headers(guard))
    assert response.status_code == 200 and response.json()["ok"], response.text
    assert "garbled-policy-sentence" not in notes.read_text()


def test_pages_hold_the_token_and_reads_refuse_a_rebound_host(client) -> None:  # type: ignore[no-untyped-def]
    http, guard, _ = client
    page = http.get("/")
    assert f'<meta name="archive-studio-token" content="{guard.token}">' in page.text
    assert page.headers["content-security-policy"] == "frame-ancestors 'none'"
    assert page.headers["x-frame-options"] == "DENY"
    for path in ("/", "/_studio/state", "/_studio/attention", "/_studio/studio.js"):
        refused = http.get(path, headers={"Host": f"attacker.example:{PORT}"})
        assert refused.status_code == 403 and guard.token not in refused.text
    assert http.get("/../../etc/passwd").status_code in (403, 404)
    assert "root:" not in http.get("/%2e%2e/%2e%2e/etc/passwd").text
