"""`python -m hashtagnet` = the `hashtagnet` console script (for a checkout whose venv points elsewhere)."""

from hashtagnet.cli import main

main()
