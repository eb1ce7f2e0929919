"""Front doors over the application object (corroborator.app): the command line (cli.py);\nthe web service and batch runner come here too. They hold no pipeline logic."""
