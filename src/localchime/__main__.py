"""`python -m localchime` runs the CLI."""

from localchime.cli import main

main()
