"""``python -m kam`` runs the command line."""

from kam.cli import main

main()
