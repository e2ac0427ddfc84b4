"""Where every page of the site lives: the one module that spells the site's addresses.

Each function gives a page's folder relative to the site root, ending in ``/`` (the address a
link uses, after the page's path to the root); the page's file in the docs folder is
:func:`page_file` of it. Files that are not pages (annotations, originals, feeds) are given as
the file's path, which is also its address.
"""

from __future__ import annotations

HOME = ""
ARTICLES = "articles/"
"""The articles index (and, on a large archive, its pages by year)."""
ENTITIES = "entities/"
CORRECTIONS = "corrections/"
BROWSE = "browse/"
ANNOTATIONS = "annotations/"
ORIGINALS = "originals/"
FEEDS = (("feed-articles.xml", "New articles"), ("feed-corrections.xml", "New corrections and notes"))
"""The Atom feeds, at the site root: (file, title)."""
GENERATED = ("index.md", "articles", "entities", "corrections", "annotations", "originals", "browse")
"""What the generator owns in the docs folder: the home page and these folders."""


def article(slug: str) -> str:
    """An article's page."""
    return f"{ARTICLES}{slug}/"


def entity(entity_id: str) -> str:
    """An entity's page."""
    return f"{ENTITIES}{entity_id}/"


def browse(kind: str, key: str) -> str:
    """The page of one year, publisher or tag (*kind*) of the browse pages."""
    return f"{BROWSE}{kind}/{key}/"


def annotations(slug: str) -> str:
    """An article's notes as W3C Web Annotations (JSON-LD)."""
    return f"{ANNOTATIONS}{slug}.jsonld"


CITATION_FORMATS = (("json", "CSL-JSON", "application/vnd.citationstyles.csl+json"),
                    ("bib", "BibTeX", "application/x-bibtex"),
                    ("ris", "RIS", "application/x-research-info-systems"))  # fmt: skip
"""The citation files beside each article page: (file extension, format's name, media type)."""


def citation(slug: str, extension: str) -> str:
    """An article's citation in the format of *extension* (see :data:`CITATION_FORMATS`), beside
    its page: ``articles/<slug>/<slug>.bib``."""
    return f"{article(slug)}{slug}.{extension}"


def original(name: str) -> str:
    """The file as received named *name* (``<slug>.<ext>``), published as plain text only."""
    return f"{ORIGINALS}{name}.txt"


def page_file(folder: str) -> str:
    """The file in the docs folder of the page at *folder*."""
    return f"{folder}index.md"


def root_of(folder: str) -> str:
    """The relative path from the page at *folder* back to the site root (``../../`` for an article)."""
    return "../" * folder.count("/")


def site_file(docs_rel: str) -> str:
    """Where the docs folder's file *docs_rel* is in the built site (``use_directory_urls``):
    ``a/index.md`` at ``a/index.html``, ``a/b.md`` at ``a/b/index.html``, other files as they are."""
    if not docs_rel.endswith(".md"):
        return docs_rel
    if docs_rel == "index.md" or docs_rel.endswith("/index.md"):
        return docs_rel.removesuffix(".md") + ".html"
    return docs_rel.removesuffix(".md") + "/index.html"
