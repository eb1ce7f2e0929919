"""Parts by name (issue 26): verifiers, renderers and store backends are registered once under a
name and chosen by settings, the built-ins the same way a plug-in registers its own.

    from corroborator.registry import verifiers

    @verifiers.register("my-verifier")
    def make(settings): ...                      # called with the Settings, returns a Verifier

A third-party package registers through an entry point of the registry's group, e.g. in its
pyproject.toml::

    [project.entry-points."corroborator.verifiers"]
    my-verifier = "my_package.verifier:make"

An unknown name fails with the names there are (as DEFAME's registries and spaCy's factories
do), never with a KeyError."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from corroborator.errors import CorroboratorError, UnknownPartError

T = TypeVar("T")


class Registry(Generic[T]):
    """Named factories of one kind of part; entry points of ``group`` are read on first lookup."""

    def __init__(self, kind: str, group: str, builtins: str) -> None:
        self.kind = kind
        self.group = group
        self.builtins = builtins  # the module whose import registers the built-in parts
        self._parts: dict[str, T] = {}
        self._loaded = False

    def register(self, name: str, part: T | None = None):
        """Register ``part`` under ``name``; without ``part``, a decorator that does."""
        if part is not None:
            self._parts[name] = part
            return part

        def decorate(fn: T) -> T:
            self._parts[name] = fn
            return fn

        return decorate

    def _load_entry_points(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        import importlib
        from importlib.metadata import entry_points

        importlib.import_module(self.builtins)  # built-ins first: they register like anyone else

        for entry in entry_points(group=self.group):
            if entry.name not in self._parts:  # a built-in keeps its name
                try:
                    self._parts[entry.name] = entry.load()
                except Exception as exc:  # a broken plug-in is named, not fatal to the others
                    self._parts[entry.name] = _Broken(self.kind, entry.name, exc)

    def get(self, name: str) -> T:
        self._load_entry_points()
        part = self._parts.get(name)
        if part is None:
            raise UnknownPartError(f"unknown {self.kind} {name!r}; registered: {', '.join(self.names())}")
        if isinstance(part, _Broken):
            part.fail()
        return part

    def builtin(self, name: str) -> T:
        """A built-in part, without reading the entry points (safe while a module a plug-in
        imports is itself being imported)."""
        import importlib

        importlib.import_module(self.builtins)
        return self._parts[name]

    def names(self) -> list[str]:
        self._load_entry_points()
        return sorted(self._parts)

    def __contains__(self, name: str) -> bool:
        self._load_entry_points()
        return name in self._parts


class _Broken:
    def __init__(self, kind: str, name: str, exc: Exception) -> None:
        self.kind, self.name, self.exc = kind, name, exc

    def fail(self):
        raise CorroboratorError(f"{self.kind} {self.name!r} could not be loaded: {type(self.exc).__name__}: {self.exc}")


# factory(settings) -> Verifier
verifiers: Registry[Callable] = Registry("verifier", "corroborator.verifiers", "corroborator.verify")
# name -> signals.family.SignalFamily (sourcing, hedging, loaded_language built in)
signal_families: Registry = Registry("signal family", "corroborator.signal_families", "corroborator.signals")
# "<kind>/<format>" (report/html, report/markdown ...) -> render(obj, **options) -> str
renderers: Registry[Callable] = Registry("renderer", "corroborator.renderers", "corroborator.render")

# store backends by address scheme (store/__init__.py: Backend; sqlite and postgresql built in)
stores: Registry = Registry("store backend", "corroborator.stores", "corroborator.store")
