"""``python -m generator`` runs the command line."""

from generator.cli import cli

cli(prog_name="archive")
