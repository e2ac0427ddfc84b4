"""The studio's safety checks. The studio writes files, so it must be safe to run on a laptop
with a browser open on other sites:

- every request must name the preview itself as its ``Host`` (``127.0.0.1:PORT`` or
  ``localhost:PORT``): a page of another site that rebinds its own name to 127.0.0.1 (DNS
  rebinding) gets nothing, not even a page holding the token;
- every write needs the secret token made at start and written only into the pages the studio
  serves, a same-origin ``Origin`` (when the browser sends one, as it does for every write) and
  ``Sec-Fetch-Site``, a JSON body (a cross-site HTML form cannot send one) of at most
  :data:`MAX_BODY` bytes;
- the files written are computed by the server from an article's slug and a note's id, which
  must be well-formed names (never paths): nothing outside the archive's notes files and its
  registry is ever written.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

MAX_BODY = 64 * 1024
"""The largest request body accepted (a note's body is at most 2,000 characters)."""
TOKEN_HEADER = "x-archive-token"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""An article's slug or a note's id: lowercase letters, digits and hyphens, nothing else."""


class Refused(Exception):
    """A request the studio will not serve: the status and the reason, in plain words."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Guard:
    port: int
    token: str

    @classmethod
    def new(cls, port: int) -> Guard:
        return cls(port, secrets.token_urlsafe(32))

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset({f"127.0.0.1:{self.port}", f"localhost:{self.port}"})

    def check_host(self, request: Request) -> None:
        if request.headers.get("host", "") not in self.hosts:
            raise Refused(403, "this preview answers only at its own address, http://127.0.0.1:" + str(self.port))

    def check_write(self, request: Request) -> None:
        """Refuse a write that does not come from a page of this preview."""
        self.check_host(request)
        # Browsers send Origin with every POST from a page (fetch included); a write without one
        # did not come from a page of the preview.
        origin = request.headers.get("origin")
        if origin is None:
            raise Refused(403, "writes are accepted only from the preview's own pages (this one names none)")
        if origin not in {f"http://{host}" for host in self.hosts}:
            raise Refused(403, f"writes are accepted only from the preview's own pages, not from {origin}")
        site = request.headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            raise Refused(403, "writes are accepted only from the preview's own pages")
        given = request.headers.get(TOKEN_HEADER, "")
        if not secrets.compare_digest(given.encode(), self.token.encode()):
            raise Refused(403, "this write has no valid studio token; reload the page (the preview was restarted?)")
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise Refused(415, "a write is sent as JSON")


async def read_json(request: Request) -> dict[str, Any]:
    """The request's JSON object, read up to :data:`MAX_BODY` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise Refused(413, f"the request is larger than {MAX_BODY // 1024} KB")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise Refused(413, f"the request is larger than {MAX_BODY // 1024} KB")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "the request is not valid JSON") from None
    if not isinstance(data, dict):
        raise Refused(400, "the request is not a JSON object")
    return data


def name(data: dict[str, Any], key: str, what: str) -> str:
    """``data[key]`` as a slug or id; anything else (``../``, a path, a slash) is refused."""
    value = data.get(key)
    if not isinstance(value, str) or not SLUG.match(value) or len(value) > 200:
        raise Refused(400, f"{what} {value!r} is not a valid name (lowercase letters, digits and hyphens)")
    return value


def text(data: dict[str, Any], key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise Refused(400, f"{key} must be text")
    return value


def number(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise Refused(400, f"{key} must be a whole number")
    return value
