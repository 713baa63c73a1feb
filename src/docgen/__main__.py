"""``python -m docgen``: the command line."""

from .cli import app

app(prog_name="docgen")
