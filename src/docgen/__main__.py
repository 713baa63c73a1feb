"""``python -m docgen``: the command line."""

from .launch import main

main()
