"""Errors that reach the user as one line, never as a traceback. Each kind carries how every
front door answers it (``fault``): the command line's exit status (2 for what the user gave —
input, options, store —, 1 for a broken installation) and the web API's status and code, so
neither front door sniffs message words."""

from __future__ import annotations

from typing import NamedTuple


class Fault(NamedTuple):
    exit_code: int  # the command line's
    status: int  # the HTTP API's
    code: str  # the API's machine-readable error code


class CorroboratorError(Exception):
    """Base class: the message is shown to the user as is."""

    fault = Fault(2, 400, "error")


class BadInputError(CorroboratorError):
    """An input file or record cannot be read as an article."""

    fault = Fault(2, 400, "bad_input")


class StoreError(CorroboratorError):
    """The store is missing, corrupt, or of another version."""

    fault = Fault(2, 503, "store_unavailable")


class ArchiveEmptyError(StoreError):
    """The store holds no article yet: nothing to check against."""

    fault = Fault(2, 409, "archive_empty")


class UnknownPartError(CorroboratorError):
    """A verifier, renderer or backend named that nobody registered."""

    fault = Fault(2, 400, "unknown_part")


class ModelError(CorroboratorError):
    """A shipped model file is missing or unusable: the installation, not the user's input."""

    fault = Fault(1, 500, "model_unavailable")


def fault_of(exc: BaseException) -> Fault:
    return getattr(exc, "fault", CorroboratorError.fault)
