"""torch.compile's counterpart: jaring runs eagerly, so "compiling" hands back what it was given.

torch.compile's contract is a callable that computes what the original computes, sooner. jaring
has no graph compiler (its speed comes from fused ops and Numba kernels that are always on), so
`jaring.compile(model)` is `model` itself: scripts written for torch 2 run unchanged, at
jaring's usual speed, and nothing is traced, cached or recompiled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_MODES = ("default", "lite", "reduce-overhead", "max-autotune-no-cudagraphs", "max-autotune")


def compile(  # noqa: A001  (torch's name)
    model: Callable[..., Any] | None = None,
    *,
    fullgraph: bool = False,
    dynamic: bool | None = None,
    backend: str | Callable[..., Any] = "inductor",
    mode: str | None = None,
    options: dict[str, Any] | None = None,
    disable: bool = False,
) -> Any:
    """Return `model` (a Module or a function) unchanged: nothing is compiled, jaring runs eagerly.

    The keywords are torch.compile's and are checked as torch checks them (an unknown `mode`, or
    `mode` together with `options`, is a RuntimeError), then ignored. Without `model` it returns
    a decorator, so both `@jaring.compile` and `@jaring.compile(mode="max-autotune")` work. A
    `model` that is not callable is a TypeError (torch 2.13 raises AssertionError).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> layer = nn.Linear(2, 3)
        >>> jaring.compile(layer) is layer
        True
        >>> @jaring.compile(mode="max-autotune")
        ... def double(x):
        ...     return 2 * x
        >>> double(jaring.tensor([1.0, 2.0])).tolist()
        [2.0, 4.0]
    """
    if mode is not None and mode not in _MODES:
        raise RuntimeError(f"Unrecognized mode={mode}, should be one of: {', '.join(_MODES)}")
    if mode is not None and options is not None:
        raise RuntimeError(
            "Either mode or options can be specified, but both can't be specified at the same time."
        )
    if not (isinstance(backend, str) or callable(backend)):
        raise TypeError(
            f"compile: backend must be a name such as 'inductor' or a callable, got {backend!r:.80}"
        )
    if options is not None and not isinstance(options, dict):
        raise TypeError(f"compile: options must be a dict or None, got {type(options).__name__}")
    if model is None:
        return _returns_its_argument
    if not callable(model):
        raise TypeError(f"compile: a callable function or Module is expected, but {type(model)} is provided")
    return model


def _returns_its_argument(model: Callable[..., Any]) -> Callable[..., Any]:
    """The decorator `jaring.compile(...)` gives: checks that `model` is callable and returns it."""
    return compile(model)
