"""The studio's web application (Starlette): the preview's pages, with the studio's script added,
and the routes the script calls.

Pages come from the preview's build folder; only the HTML the studio serves gains its script,
its style sheet, the token and the run's version (:func:`inject`) — the files on disk never do.
The site's own Content-Security-Policy allows them as they are (``script-src 'self'``,
``style-src 'self'``, ``connect-src 'self'``); the studio adds ``frame-ancestors 'none'`` so no
other site can frame its buttons.

Every change is made by the functions the command line uses (:mod:`generator.commands.notes_edit`,
:mod:`generator.commands.registry_edit`); the watcher sees the file change and rebuilds, and the
open pages reload.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import mimetypes
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from generator.commands import notes_edit, registry_edit
from generator.commands.notes_place import place, suggest_id
from generator.commands.studio import attention
from generator.commands.studio.guard import Guard, Refused, name, number, read_json, text
from generator.commands.studio.preview import Preview
from generator.commands.studio.state import items
from generator.errors import ArchiveError
from generator.inputs.notes_file import parse_body, read_notes
from generator.pipeline import load
from generator.render.markup import Links, render_text
from generator.render.sanitize import differences
from generator.stages.anchor import block_offsets, normalise

STATIC = Path(__file__).parent / "static"
"""The studio's own files (``studio.js``, ``studio.css``): inside the package, never in the docs
folder, so no built site can hold them."""
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
HEARTBEAT = 15.0
"""Seconds between two comments on the event stream (keeps the connection open)."""
POLL = 0.05
"""How often an open event stream looks for a new run (seconds)."""


def inject(page: str, token: str, version: int) -> str:
    """*page* with the studio's script, style sheet, token and run version at the end of its head."""
    tags = (
        f'<meta name="archive-studio-token" content="{html.escape(token)}">'
        f'<meta name="archive-studio-version" content="{version}">'
        '<link rel="stylesheet" href="/_studio/studio.css">'
        '<script src="/_studio/studio.js" defer></script>'
    )
    at = page.lower().find("</head>")
    return page[:at] + tags + page[at:] if at != -1 else tags + page


def attention_page(token: str, version: int) -> str:
    """The page listing everything that needs attention (its list is filled by the script)."""
    return inject(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'none'\">"
        '<title>Needs attention · archive studio</title></head>\n<body class="studio-page"><main>'
        '<h1>Needs attention</h1><p><a href="/">Back to the preview</a></p>'
        '<div id="studio-attention-list" aria-live="polite"><p>Loading…</p></div></main></body></html>\n',
        token,
        version,
    )


class Studio:
    """The routes of one running studio."""

    def __init__(self, preview: Preview, guard: Guard) -> None:
        self.preview = preview
        self.guard = guard
        self.settings = preview.settings
        self._attention: tuple[int, list[dict[str, Any]]] | None = None
        self._loaded: tuple[int, Any] | None = None

    # -- reading -------------------------------------------------------------------------------

    async def page(self, request: Request) -> Response:
        """A file of the preview's build; HTML pages gain the studio."""
        self.guard.check_host(request)
        folder = self.preview.folder.resolve()
        rel = request.path_params.get("path", "")
        parts = [part for part in rel.split("/") if part]
        if any(part in ("..", ".") or part.startswith(".") or "\\" in part or "\x00" in part for part in parts):
            raise Refused(404, "no such page")
        target = folder.joinpath(*parts)
        if target.is_dir():
            target = target / "index.html"
        status = 200
        if not target.is_file() or not target.resolve().is_relative_to(folder):
            target, status = folder / "404.html", 404
            if not target.is_file():
                return self._html("<!doctype html><title>Not found</title><p>No such page.</p>", 404)
        if target.suffix != ".html":
            return FileResponse(target, headers=HEADERS, media_type=mimetypes.guess_type(target.name)[0])
        return self._html(target.read_text(encoding="utf-8"), status)

    def _html(self, page: str, status: int = 200) -> Response:
        body = inject(page, self.guard.token, self.preview.state.run.version)
        return Response(body, status, headers=HEADERS, media_type="text/html; charset=utf-8")

    async def static(self, request: Request) -> Response:
        self.guard.check_host(request)
        file = {"studio.js": "text/javascript", "studio.css": "text/css"}.get(request.path_params["name"])
        if file is None:
            raise Refused(404, "no such file")
        return FileResponse(STATIC / request.path_params["name"], headers=HEADERS, media_type=file)

    async def state(self, request: Request) -> Response:
        self.guard.check_host(request)
        return JSONResponse(self.preview.state.run.as_json(), headers=HEADERS)

    async def events(self, request: Request) -> Response:
        """Server-sent events: the run's state whenever a run starts or ends."""
        self.guard.check_host(request)

        async def stream() -> AsyncIterator[str]:
            seen = None
            quiet = 0.0
            while True:
                run = self.preview.state.run
                if (run.version, run.building) != seen:
                    seen = (run.version, run.building)
                    yield f"event: run\ndata: {json.dumps(run.as_json())}\n\n"
                    quiet = 0.0
                elif quiet >= HEARTBEAT:
                    yield ": still here\n\n"
                    quiet = 0.0
                await anyio.sleep(POLL)
                quiet += POLL

        return StreamingResponse(stream(), media_type="text/event-stream", headers=HEADERS)

    async def attention_json(self, request: Request) -> Response:
        self.guard.check_host(request)
        run = self.preview.state.run
        if self._attention is None or self._attention[0] != run.version:
            found = await run_in_threadpool(attention.attention, self.settings, run)
            self._attention = (run.version, found)
        return JSONResponse({"version": run.version, "items": self._attention[1]}, headers=HEADERS)

    async def attention_html(self, request: Request) -> Response:
        self.guard.check_host(request)
        page = attention_page(self.guard.token, self.preview.state.run.version)
        return Response(page, headers=HEADERS, media_type="text/html; charset=utf-8")

    async def names(self, request: Request) -> Response:
        """The unknown names of an article, to mark on its page."""
        self.guard.check_host(request)
        slug = name(dict(request.query_params), "article", "article")
        loaded = self.preview.loaded
        if loaded is None:
            version = self.preview.state.run.version
            if self._loaded is None or self._loaded[0] != version:
                self._loaded = (version, await run_in_threadpool(load, self.settings))
            loaded = self._loaded[1]
        return JSONResponse({"names": attention.unknown_names(loaded, slug)}, headers=HEADERS)

    async def note(self, request: Request) -> Response:
        """One note's fields, for the edit form."""
        self.guard.check_host(request)
        query = dict(request.query_params)
        slug, ident = name(query, "article", "article"), name(query, "id", "note id")

        def find() -> dict[str, Any]:
            where = notes_edit.find_note(self.settings, ident, slug)
            notes, _ = read_notes(where.notes)
            note = next((n for n in notes if n.id == ident), None)
            if note is None:
                raise Refused(404, f"no note {ident!r} in {where.notes.name}")
            return {
                "id": note.id,
                "kind": note.kind,
                "quote": note.quote,
                "body": note.body,
                "author": note.author,
                "date": note.date.isoformat(),
                "sources": [{"title": s.title, "url": s.url, "accessed": s.accessed.isoformat()} for s in note.sources],
            }

        return JSONResponse(await run_in_threadpool(find), headers=HEADERS)

    # -- writing -------------------------------------------------------------------------------

    def quote(self, data: dict[str, Any]) -> dict[str, Any]:
        """The words a selection stands for, and the id the note would get."""
        where = notes_edit.locate(self.settings, name(data, "article", "article"))
        chosen = self._chosen(where.article, data)
        notes = where.notes
        taken = {n.id for n in read_notes(notes)[0]} if notes.is_file() else set()
        kind = data.get("kind") if isinstance(data.get("kind"), str) else "correction"
        return {
            "quote": chosen.quote,
            "prefix": chosen.prefix,
            "suffix": chosen.suffix,
            "id": suggest_id(kind, chosen.quote, taken),
        }

    def _chosen(self, article: Any, data: dict[str, Any]) -> Any:
        """The words selected on the page: ``from`` and ``to`` are [block index, offset in the
        block's text] (code points), turned here into offsets in the cleaned text."""
        starts = block_offsets(article)

        def offset(key: str) -> int:
            value = data.get(key)
            if not (isinstance(value, list) and len(value) == 2 and all(type(v) is int and v >= 0 for v in value)):
                raise Refused(400, f"{key} must be [block, offset]")
            block, at = value
            if block >= len(starts) or at > len(article.blocks[block].text):
                raise Refused(409, "the page does not match the article file; reload the page and select again")
            return starts[block] + at

        chosen = place(article, offset("from"), offset("to"))
        shown = data.get("selected")
        if isinstance(shown, str) and normalise(shown).text.strip() != normalise(chosen.quote).text.strip():
            raise Refused(
                409, "the page shows other words than the article file holds now; reload the page and select again"
            )
        return chosen

    def body(self, data: dict[str, Any]) -> dict[str, Any]:
        """A note body as the page will show it, or the problem the build would find in it."""
        text_, spans, problem = parse_body(text(data, "body"))
        if problem:
            return {"problem": problem}
        rendered = render_text(text_, spans, Links(root=""))
        if differences(rendered):
            return {"problem": "the body holds markup the archive does not publish"}
        return {"html": rendered}

    def add(self, data: dict[str, Any]) -> dict[str, Any]:
        slug = name(data, "article", "article")
        article = notes_edit.locate(self.settings, slug).article
        chosen = self._chosen(article, data)
        ident = name(data, "id", "note id") if data.get("id") else None
        change = notes_edit.add(
            self.settings,
            slug,
            quote="",
            kind=text(data, "kind"),
            body=text(data, "body"),
            sources=_sources(data),
            author=text(data, "author", notes_edit.DEFAULT_AUTHOR).strip() or notes_edit.DEFAULT_AUTHOR,
            note_id=ident,
            at=(chosen.start, chosen.end),
        )
        return self._said(change, f"Added note {change.note_id!r}")

    def edit(self, data: dict[str, Any]) -> dict[str, Any]:
        slug, ident = name(data, "article", "article"), name(data, "id", "note id")
        changes: dict[str, Any] = {}
        for key in ("kind", "body", "author"):
            if key in data:
                changes[key] = text(data, key)
        if "sources" in data:
            changes["sources"] = _sources(data)
        if "date" in data:
            changes["date"] = _date(data.get("date"), "date")
        change = notes_edit.edit(self.settings, ident, changes, slug)
        return self._said(change, f"Saved note {ident!r}")

    def remove(self, data: dict[str, Any]) -> dict[str, Any]:
        change = notes_edit.remove(self.settings, name(data, "id", "note id"), name(data, "article", "article"))
        return self._said(change, f"Removed note {change.note_id!r}")

    def accept(self, data: dict[str, Any]) -> dict[str, Any]:
        change = notes_edit.accept(self.settings, name(data, "id", "note id"), name(data, "article", "article"))
        return self._said(change, f"Note {change.note_id!r} now quotes the new wording")

    def pin(self, data: dict[str, Any]) -> dict[str, Any]:
        """ "This one": an ambiguous note quotes the occurrence at the offsets given."""
        slug, ident = name(data, "article", "article"), name(data, "id", "note id")
        at = (number(data, "start"), number(data, "end"))
        change = notes_edit.edit(self.settings, ident, {}, slug, at=at)
        return self._said(change, f"Note {ident!r} is anchored at the place chosen")

    def entity(self, data: dict[str, Any]) -> dict[str, Any]:
        aliases = data.get("aliases", [])
        if isinstance(aliases, str):
            aliases = aliases.split(",")
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise Refused(400, "aliases must be a list of names")
        change = registry_edit.add_entity(
            self.settings,
            name=text(data, "name"),
            type=text(data, "type"),
            description=text(data, "description", ""),
            aliases=aliases,
            wikipedia=text(data, "wikipedia", ""),
        )
        return {"ok": True, "message": f"Added {change.key!r} to entities.yml (line {change.line})"}

    def ignore(self, data: dict[str, Any]) -> dict[str, Any]:
        label = data.get("label") or None
        change = registry_edit.add_ignore(
            self.settings,
            text=text(data, "text"),
            reason=text(data, "reason", ""),
            label=label if isinstance(label, str) else None,
        )
        return {"ok": True, "message": f"Added {change.key!r} to the ignore list of entities.yml (line {change.line})"}

    def _said(self, change: notes_edit.Change, what: str) -> dict[str, Any]:
        where = items([ArchiveError("", change.path, change.line)], self.settings.root)[0].where
        return {"ok": True, "id": change.note_id, "where": where, "message": f"{what} ({where})."}

    def writer(self, handler: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[..., Any]:
        """A POST route: the guard's checks, the JSON body, then *handler* in a worker thread."""

        async def route(request: Request) -> Response:
            self.guard.check_write(request)
            data = await read_json(request)
            try:
                result = await run_in_threadpool(handler, data)
            except ArchiveError as exc:
                found = items([exc], self.settings.root)
                message = "\n".join(f"{i.where}: {i.message}" if i.where else i.message for i in found)
                return JSONResponse({"ok": False, "error": message}, 400, headers=HEADERS)
            return JSONResponse(result, headers=HEADERS)

        return route


def _date(value: object, what: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise Refused(400, f"{what} {value!r} is not a date; write it as YYYY-MM-DD") from None


def _sources(data: dict[str, Any]) -> list[notes_edit.Source]:
    given = data.get("sources")
    if not isinstance(given, list) or not all(isinstance(s, dict) for s in given):
        raise Refused(400, "sources must be a list of {title, url, accessed}")
    return [
        notes_edit.Source(
            text(s, "url", "").strip(), text(s, "title", "").strip(), _date(s.get("accessed"), "accessed")
        )
        for s in given
        if str(s.get("url", "")).strip()
    ]


def studio_app(preview: Preview, guard: Guard) -> Starlette:
    """The studio for *preview*, guarded by *guard*."""
    studio = Studio(preview, guard)
    writes = {
        "quote": studio.quote,
        "body": studio.body,
        "notes/add": studio.add,
        "notes/edit": studio.edit,
        "notes/remove": studio.remove,
        "notes/accept": studio.accept,
        "notes/pin": studio.pin,
        "registry/entity": studio.entity,
        "registry/ignore": studio.ignore,
    }
    routes = [
        Route("/_studio/events", studio.events),
        Route("/_studio/state", studio.state),
        Route("/_studio/attention", studio.attention_json),
        Route("/_studio/attention/", studio.attention_html),
        Route("/_studio/names", studio.names),
        Route("/_studio/note", studio.note),
        Route("/_studio/{name}", studio.static),
        *(Route(f"/_studio/{path}", studio.writer(handler), methods=["POST"]) for path, handler in writes.items()),
        Route("/{path:path}", studio.page),
    ]

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Refused)
        return JSONResponse({"ok": False, "error": exc.message}, exc.status, headers=HEADERS)

    async def failed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ArchiveError)
        found = items([exc], preview.settings.root)
        return JSONResponse({"ok": False, "error": "; ".join(i.message for i in found)}, 400, headers=HEADERS)

    return Starlette(routes=routes, exception_handlers={Refused: refused, ArchiveError: failed})
