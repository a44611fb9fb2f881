"""`python -m app` is the `allianced` command."""

from app.cli.main import main

main()
