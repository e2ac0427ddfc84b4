"""An annotated reading archive: news articles cleaned, linked to entities and annotated, built
into a static site with MkDocs."""

__version__ = "0.1.0"
