"""Renamed layer arguments: the old spelling keeps working for one release, with a DeprecationWarning.

A layer declares `old = Renamed("new")` in its class body. Then `layer.old` reads and writes
`layer.new` and warns; the constructor keyword `old=` is turned into `new=` (by Module's
config recorder) and warns; a saved configuration that still says `old` loads silently
(Module.from_config), since the user cannot change an old file, only re-save it.
"""

from __future__ import annotations

import functools
import warnings
from typing import Any


class Renamed:
    """A class attribute standing for an attribute and constructor keyword that got a new name."""

    def __init__(self, new: str) -> None:
        self.new = new
        self.old = new
        self.owner = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.old, self.owner = name, owner.__name__

    def _warn(self) -> None:
        warnings.warn(
            f"{self.owner}.{self.old} is deprecated and will be removed in the next release; use "
            f"{self.owner}.{self.new}",
            DeprecationWarning,
            stacklevel=3,
        )

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        self._warn()
        return getattr(obj, self.new)

    def __set__(self, obj: Any, value: Any) -> None:
        self._warn()
        setattr(obj, self.new, value)


@functools.cache
def renamed_arguments(cls: type) -> dict[str, str]:
    """{old keyword: new keyword} for every Renamed attribute of `cls` and its bases."""
    return {
        name: attr.new
        for klass in reversed(cls.__mro__)
        for name, attr in vars(klass).items()
        if isinstance(attr, Renamed)
    }


def translate(cls: type, kwargs: dict[str, Any], warn: bool) -> dict[str, Any]:
    """`kwargs` with every old keyword of `cls` replaced by its new one (warning when `warn`)."""
    renames = renamed_arguments(cls)
    for old in [key for key in kwargs if key in renames]:
        new = renames[old]
        if new in kwargs:
            raise TypeError(f"{cls.__name__}: got both {old}= and {new}=, its new name; pass only {new}=")
        if warn:
            warnings.warn(
                f"{cls.__name__}({old}=...) is deprecated and will be removed in the next release; "
                f"use {cls.__name__}({new}=...)",
                DeprecationWarning,
                stacklevel=3,
            )
        kwargs[new] = kwargs.pop(old)
    return kwargs
