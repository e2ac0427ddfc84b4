"""``python -m generator`` runs the command line."""

from .cli import cli

cli(prog_name="archive")
