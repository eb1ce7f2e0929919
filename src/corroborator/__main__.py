"""`python -m corroborator` runs the command line."""

from corroborator.interfaces.cli import main

main()
