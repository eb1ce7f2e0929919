"""Errors that reach the user as one line, never as a traceback: exit code 2 for what the user
gave (input, options, store), 1 for a broken installation (ModelError)."""


class CorroboratorError(Exception):
    """Base class: the message is shown to the user as is."""


class BadInputError(CorroboratorError):
    """An input file or record cannot be read as an article."""


class StoreError(CorroboratorError):
    """The store is missing, corrupt, or of another version."""


class ModelError(CorroboratorError):
    """A shipped model file is missing or unusable."""
