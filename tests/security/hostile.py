"""A hostile archive: every XSS vector sent through every input channel, and the means to tell
whether anything of it became live markup.

Each input channel is one row of :data:`CHANNELS`: a function that writes the vectors into a
copy of the archive and returns the site paths of the pages that show them. Channels of features
that do not exist yet carry a skip reason; adding one is one function and one row.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import lxml.html

HERE = Path(__file__).resolve().parent
SECRET_MARKER = "SECRET-7f3a9c1e-do-not-publish"


def read_vectors(name: str) -> list[str]:
    """The vectors of ``tests/security/<name>``: one per line, ``;;`` lines are comments."""
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith(";;")]


VECTORS = read_vectors("xss_vectors.txt")
URL_VECTORS = read_vectors("url_vectors.txt")


def _yaml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _accepted_url(url: str) -> bool:
    from generator.inputs.articles import _http_url

    try:
        _http_url(url)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Channels: each writes files into the project and returns the site paths that show the vectors.


def body_md(root: Path, vectors: list[str]) -> list[str]:
    """Every vector as a paragraph of one Markdown article, and every URL vector as a link."""
    links = [f"A [link]({url}) to follow." for url in URL_VECTORS]
    paragraphs = "\n\n".join([*vectors, *links])
    text = f"---\ntitle: Hostile body (Markdown)\n---\n\n{paragraphs}\n"
    (root / "articles" / "xss-body.md").write_text(text, encoding="utf-8")
    return ["articles/xss-body/"]


def body_txt(root: Path, vectors: list[str]) -> list[str]:
    """Every vector as a paragraph of one plain-text article."""
    text = "---\ntitle: Hostile body (text)\n---\n\n" + "\n\n".join(vectors) + "\n"
    (root / "articles" / "xss-body-text.txt").write_text(text, encoding="utf-8")
    return ["articles/xss-body-text/"]


def front_matter(root: Path, vectors: list[str]) -> list[str]:
    """One article per vector, carrying it as title, author, publisher, original publisher and
    tag (its first 100 characters), and a hostile (schema-accepted) address as url and original_url."""
    from generator.inputs.fields import MAX_TAG

    urls = [u for u in URL_VECTORS if _accepted_url(u)]
    paths = []
    for index, vector in enumerate(vectors):
        url = urls[index % len(urls)]
        text = (
            "---\n"
            f"title: {_yaml_string(vector)}\n"
            f"author: {_yaml_string(vector)}\n"
            f"publisher: {_yaml_string(vector)}\n"
            f"original_publisher: {_yaml_string(vector)}\n"
            f"url: {_yaml_string(url)}\n"
            f"original_url: {_yaml_string(url)}\n"
            f"tags: [{_yaml_string(vector[:MAX_TAG])}]\n"  # a tag is a short label: longer ones are refused
            f"date: 2001-01-{index % 28 + 1:02d}\n"
            "---\n\nThe text of an article whose every field of metadata is hostile.\n"
        )
        (root / "articles" / f"xss-meta-{index:03d}.md").write_text(text, encoding="utf-8")
        paths.append(f"articles/xss-meta-{index:03d}/")
    return ["", "articles/", *paths]


def first_line_title(root: Path, vectors: list[str]) -> list[str]:
    """One plain-text article per vector with no front matter: the cleaner reads the first line
    (the vector) as the title. Vectors that Markdown reads as a heading cannot be a first line."""
    paths = []
    for index, vector in enumerate(vectors):
        if vector.lstrip().startswith("#"):
            continue
        text = f"{vector}\n\nThe text of an article whose first line, read as its title, is hostile.\n"
        (root / "articles" / f"xss-first-{index:03d}.txt").write_text(text, encoding="utf-8")
        paths.append(f"articles/xss-first-{index:03d}/")
    return paths


def rules_file(root: Path, vectors: list[str]) -> list[str]:
    """A rule per vector whose description is the vector, each removing one paragraph of an
    article; and an inline rule that cuts each vector out of a paragraph (the about box quotes
    what it removed)."""
    rules = root / "rules" / "xss.yml"
    blocks, paragraphs = [], []
    for index, vector in enumerate(vectors):
        blocks.append(
            f"  - id: xss-rule-{index:03d}\n    description: {_yaml_string(vector)}\n    match: '^XSSRULE {index:03d}$'"
        )
        paragraphs += [f"XSSRULE {index:03d}", f"Words kept before the cut XSSCUT {vector}"]
    text = "blocks:\n" + "\n".join(blocks) + "\n"
    text += "inline:\n  - id: xss-cut\n    description: Everything after the word XSSCUT\n    match: ' XSSCUT .*$'\n"
    rules.write_text(text, encoding="utf-8")
    body = "\n\n".join(paragraphs)
    first = (
        "A first paragraph, long enough to end the header of this article: it has more than "
        "twenty-five words, so that every paragraph after it is read as the article's text."
    )
    article = f"---\ntitle: Hostile rules\n---\n\n{first}\n\n{body}\n"
    (root / "articles" / "xss-rules.md").write_text(article, encoding="utf-8")
    return ["articles/xss-rules/"]


def hand_written(root: Path, vectors: list[str]) -> list[str]:
    """A hand-written page holding every vector as Markdown, and one hand-written page per vector
    with the vector as its front-matter title (what MkDocs prints unescaped by default) and as the
    values of its ``citation`` (the Highwire tags of the page's head)."""
    folder = root / "site_src" / "hostile"
    folder.mkdir()
    (folder / "page.md").write_text("# Hostile page\n\n" + "\n\n".join(vectors) + "\n", encoding="utf-8")
    paths = ["hostile/page/"]
    for index, vector in enumerate(vectors):
        # and hostile citation values, which the theme template writes into <head> (overrides/main.html)
        citation = json.dumps({"title": vector, "authors": [vector], "url": vector, "date": vector}, ensure_ascii=False)
        text = (
            f"---\ntitle: {_yaml_string(vector)}\ncitation: {citation}\n---\n\n"
            "A hand-written page with a hostile title.\n"
        )
        (folder / f"title-{index:03d}.md").write_text(text, encoding="utf-8")
        paths.append(f"hostile/title-{index:03d}/")
    return paths


def _notes_article(root: Path, slug: str, count: int) -> None:
    """An article with one uniquely quotable sentence per vector ("Passage 007 of the text.")."""
    sentences = " ".join(f"Passage {index:03d} of the text." for index in range(count))
    text = f"---\ntitle: Hostile notes ({slug})\ndate: 2002-02-02\n---\n\n{sentences}\n"
    (root / "articles" / f"{slug}.md").write_text(text, encoding="utf-8")


def _note(index: int, body: str, source_title: str, source_url: str) -> dict[str, object]:
    return {
        "id": f"xss-{index:03d}",
        "kind": ("correction", "spelling", "clarification", "context")[index % 4],
        "quote": f"Passage {index:03d} of the text.",
        "body": body,
        "sources": [{"title": source_title, "url": source_url, "accessed": "2026-11-22"}],
        "author": "Hostile editor",
        "date": "2026-11-22",
    }


def note_body(root: Path, vectors: list[str]) -> list[str]:
    """One note per vector that the notes schema accepts as a body (the rest are refused with a
    message, which the malformed-input tests cover), with the vector as its source title too."""
    from generator.inputs.notes_file import parse_body

    accepted = [v for v in vectors if parse_body(v)[2] is None and v.strip()]
    _notes_article(root, "xss-note-body", len(accepted))
    notes = [_note(i, v, v, "https://example.org/source") for i, v in enumerate(accepted)]
    (root / "articles" / "xss-note-body.notes.yml").write_text(json.dumps(notes, ensure_ascii=False), encoding="utf-8")
    return ["articles/xss-note-body/", "corrections/"]


def note_source_url(root: Path, vectors: list[str]) -> list[str]:
    """One note per URL vector (and per markup vector, as a URL path) the schema accepts as a
    source address."""
    from generator.inputs.notes_file import SourceEntry

    candidates = [*URL_VECTORS, *(f"https://example.org/{v}" for v in vectors)]
    accepted = []
    for url in candidates:
        try:
            SourceEntry(title="t", url=url, accessed="2026-11-22")
        except ValueError:
            continue
        accepted.append(url)
    _notes_article(root, "xss-note-url", len(accepted))
    notes = [_note(i, "A plain note body.", "A source", url) for i, url in enumerate(accepted)]
    (root / "articles" / "xss-note-url.notes.yml").write_text(json.dumps(notes, ensure_ascii=False), encoding="utf-8")
    return ["articles/xss-note-url/", "corrections/"]


def note_author(root: Path, vectors: list[str]) -> list[str]:
    """One note per vector with the vector as its author (a person's), and a hostile address the
    schema accepts as its author_url: they reach the page, the Web Annotations (creator) and the
    JSON-LD (the correction's author)."""
    from generator.inputs.notes_file import NoteEntry

    urls = [*URL_VECTORS, *(f"https://example.org/{v}" for v in vectors)]
    accepted = []
    for index, vector in enumerate(vectors):
        note = {**_note(index, "A plain note body.", "A source", "https://example.org/source"), "author": vector}
        note["author_type"] = "person"
        note["author_url"] = urls[index % len(urls)]
        for candidate in (note, {k: v for k, v in note.items() if k != "author_url"}):
            try:
                NoteEntry(**candidate)
            except ValueError:
                continue
            accepted.append(candidate)
            break
    _notes_article(root, "xss-note-author", len(vectors))
    path = root / "articles" / "xss-note-author.notes.yml"
    path.write_text(json.dumps(accepted, ensure_ascii=False), encoding="utf-8")
    return ["articles/xss-note-author/", "corrections/"]


def entity_description(root: Path, vectors: list[str]) -> list[str]:
    """One registry entity per vector, the vector as its description, and as its name where the
    schema accepts it; an article mentions every one of them (the first mention is a link whose
    tooltip is the description)."""
    from generator.inputs.registry import EntitySchema

    entries, names, taken = [], [], set()
    for index, vector in enumerate(vectors):
        alias = f"Xssentity{index:03d}"
        entry = {
            "id": f"xss-{index:03d}",
            "name": vector,
            "type": "organisation",
            "aliases": [alias],
            "description": vector,
        }
        try:
            EntitySchema(**entry)
            if vector.strip() in taken:
                raise ValueError("a name belongs to one entity only")
            taken.add(vector.strip())
        except ValueError:
            entry["name"] = alias
            try:
                EntitySchema(**entry)
            except ValueError:
                continue
        entries.append(entry)
        names.append(alias)
    registry = root / "entities.yml"
    text = registry.read_text(encoding="utf-8")
    lines = "".join(f"  - {json.dumps(entry, ensure_ascii=False)}\n" for entry in entries)
    registry.write_text(text.replace("\nentities:\n", "\nentities:\n" + lines, 1), encoding="utf-8")
    body = " ".join(f"Then {name} spoke." for name in names)
    article = f"---\ntitle: Hostile registry\ndate: 2003-03-03\n---\n\n{body}\n"
    (root / "articles" / "xss-entities.md").write_text(article, encoding="utf-8")
    return ["articles/xss-entities/", "entities/", *(f"entities/{e['id']}/" for e in entries)]


def anchors_lock(root: Path, vectors: list[str]) -> list[str]:
    """An article with one note per vector, and an anchors lock file (which only the build should
    write) giving each note's entry the vector as the quote, the note's prefix at that build, the
    words it marked and their context. Nothing of the lock file is ever shown: these notes have
    another prefix now, so they are anchored afresh from their own quotes, and the build writes
    the file again."""
    from generator.output.locks import quoted

    _notes_article(root, "xss-lock", len(vectors))
    notes = [_note(i, "A plain note body.", "A source", "https://example.org/source") for i in range(len(vectors))]
    (root / "articles" / "xss-lock.notes.yml").write_text(json.dumps(notes, ensure_ascii=False), encoding="utf-8")
    entries = "".join(
        f"  xss-{i:03d}:\n    quote: {quoted(v[:1000])}\n    given_prefix: {quoted(v[:200])}\n"
        f"    exact: {quoted(v[:4000])}\n    prefix: {quoted(v[:32])}\n"
        f"    suffix: {quoted(v[-32:])}\n    block: 0\n    line: 5\n    position: 0\n    copies: 1\n"
        f"    text_sha256: {quoted('0' * 64)}\n"
        for i, v in enumerate(vectors)
        if v.strip()
    )
    (root / "articles" / "xss-lock.anchors.yml").write_text(f"version: 1\nnotes:\n{entries}", encoding="utf-8")
    return ["articles/xss-lock/", "corrections/"]


@dataclass(frozen=True)
class Channel:
    """One way text from outside reaches a page."""

    name: str
    write: Callable[[Path, list[str]], list[str]] | None
    """Writes the vectors into a project; returns the site paths that show them."""
    skip: str = ""
    """Why the channel cannot be tested yet (empty when it can)."""


NOT_BUILT = "channel not built yet"
CHANNELS = (
    Channel("article body (.md)", body_md),
    Channel("article body (.txt)", body_txt),
    Channel("front matter: title, author, publisher, original_publisher, tags, url, original_url", front_matter),
    Channel("title read from an article's first line", first_line_title),
    Channel("rules file: descriptions, and text removed by a rule", rules_file),
    Channel("hand-written pages: Markdown body and front-matter title", hand_written),
    # Lead: when notes and entities land, write one function each (as above) and drop the skip.
    Channel("note body (restricted Markdown) and source title", note_body),
    Channel("note source URL", note_source_url),
    Channel("note author, author_type and author_url", note_author),
    Channel("entity name and description (entities.yml)", entity_description),
    Channel("anchors lock file: quote, words, context (articles/<slug>.anchors.yml)", anchors_lock),
)


def write_channels(root: Path) -> dict[str, list[str]]:
    """Write every buildable channel into the project at *root*; channel name → site paths."""
    (root / "secret.txt").write_text(SECRET_MARKER + "\n", encoding="utf-8")
    return {c.name: c.write(root, VECTORS) for c in CHANNELS if c.write is not None}


# ---------------------------------------------------------------------------------------------
# Inspecting built pages

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite", "ping"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
ACTIVE_TAGS = {"script", "iframe", "frame", "object", "embed", "applet", "base", "svg", "math", "style", "template"}
"""Elements that must never appear inside a page's content."""


def _scheme_of(value: str) -> str:
    # Browsers ignore ASCII whitespace and control characters inside a URL's scheme.
    return re.sub(r"[\x00-\x20]", "", value).lower()


def script_signature(element: lxml.html.HtmlElement, page_url: str) -> str:
    """A script as comparable across pages: its resolved src, or its text with the relative
    root (which differs with the page's depth) taken out."""
    src = element.get("src")
    if src is not None:
        return "src:" + urljoin(page_url, src)
    text = element.text or ""
    text = re.sub(r'new URL\("[./]*"', 'new URL("ROOT"', text)
    text = re.sub(r'"base":\s*"[./]*"', '"base": "ROOT"', text)
    # every other address relative to the site root (the search worker's, …) varies with depth too
    text = re.sub(r'"(?:\.\./)*\.\.(?=[/"])', '"ROOT', text)
    return f"inline[{element.get('type', '')}]:" + text


def scripts_of(html_text: str, page_url: str) -> set[str]:
    document = lxml.html.document_fromstring(html_text)
    return {script_signature(e, page_url) for e in document.iter("script")}


def is_json_ld(element: lxml.html.HtmlElement) -> bool:
    """A JSON-LD data block in the safe form the renderer writes: browsers never run it."""
    if element.get("type") != "application/ld+json" or len(element.attrib) != 1:
        return False
    text = element.text or ""
    try:
        json.loads(text)
    except ValueError:
        return False
    return "<" not in text and ">" not in text


def unsafe_markup(html_text: str, page_url: str, theme_scripts: set[str]) -> list[str]:
    """Live markup in a built page: scripts other than the theme's, event-handler attributes,
    javascript:/vbscript:/data: addresses, and active elements inside the content."""
    document = lxml.html.document_fromstring(html_text)
    problems = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "script" and not is_json_ld(element) and script_signature(element, page_url) not in theme_scripts:
            problems.append(f"script not from the theme: {lxml.html.tostring(element, encoding='unicode')[:120]}")
        for name, value in element.attrib.items():
            lower = name.lower()
            if lower.startswith("on"):
                problems.append(f"event handler <{tag} {name}={value[:60]!r}>")
            elif (lower in URL_ATTRIBUTES or lower.endswith(":href")) and _scheme_of(value).startswith(BAD_SCHEMES):
                problems.append(f"unsafe address <{tag} {name}={value[:60]!r}>")
            elif lower == "srcdoc":
                problems.append(f"srcdoc on <{tag}>")
    for content in document.find_class("md-content__inner"):
        for element in content.iter():
            if isinstance(element.tag, str) and element.tag.lower() == "script" and is_json_ld(element):
                continue
            if isinstance(element.tag, str) and (element.tag.lower() in ACTIVE_TAGS or element.get("style")):
                problems.append(f"active element in the content: <{element.tag}>")
    return problems


def unsafe_fragment(html_text: str) -> list[str]:
    """Live markup in a fragment that the theme inserts as HTML (search results)."""
    if not html_text.strip():
        return []
    wrapper = lxml.html.fragment_fromstring(html_text, create_parent="div")
    problems = []
    for element in wrapper.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag.lower() not in {"div", "p", "code", "pre", "li", "ol", "ul", "sub", "sup", "mark"}:
            problems.append(f"element <{element.tag}>")
        problems += [f"attribute {name} on <{element.tag}>" for name in element.attrib if element is not wrapper]
    return problems


def site_pages(site: Path) -> Iterable[tuple[str, Path]]:
    """(site path, file) for every HTML page of a built site."""
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        yield (rel.removesuffix("index.html") if rel.endswith("index.html") else rel), path
