"""`python -m sdap.cli`: the `sdap` command line without the console script."""

from sdap.cli import main

main()
