"""kl_divergence(p, q): KL(p || q) looked up by the pair of types, with register_kl to add pairs."""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

from jaring.autograd.tensor import Tensor
from jaring.distributions.categorical import Categorical
from jaring.distributions.distribution import Distribution
from jaring.distributions.normal import Normal
from jaring.ops.select import where

_KL_REGISTRY: dict = {}


def register_kl(type_p: type, type_q: type) -> Callable:
    """A decorator that registers `fn(p, q)` as KL(p || q) for the pair (type_p, type_q).

    Examples:
        >>> from jaring.distributions import Normal, kl_divergence, register_kl
        >>> class Wide(Normal):
        ...     pass
        >>> @register_kl(Wide, Wide)
        ... def _kl_wide(p, q):
        ...     return (p.loc - q.loc).abs()
        >>> float(kl_divergence(Wide(0.0, 1.0), Wide(3.0, 1.0)))
        3.0
    """
    for t in (type_p, type_q):
        if not (isinstance(t, type) and issubclass(t, Distribution)):
            raise TypeError(f"Expected type_p and type_q to be subclasses of Distribution, got {t!r}")

    def decorator(fn: Callable) -> Callable:
        _KL_REGISTRY[type_p, type_q] = fn
        return fn

    return decorator


def kl_divergence(p: Distribution, q: Distribution) -> Tensor:
    """KL(p || q) for each distribution in the batch; the closest registered pair of types wins.

    Examples:
        >>> from jaring.distributions import Normal, kl_divergence
        >>> float(kl_divergence(Normal(0.0, 1.0), Normal(1.0, 1.0)))
        0.5
    """
    for a in type(p).__mro__:
        for b in type(q).__mro__:
            if (a, b) in _KL_REGISTRY:
                return _KL_REGISTRY[a, b](p, q)
    raise NotImplementedError(
        f"No KL(p || q) is implemented for p type {type(p).__name__} and q type {type(q).__name__}"
    )


@register_kl(Normal, Normal)
def _kl_normal_normal(p: Normal, q: Normal) -> Tensor:
    var_ratio = (p.scale / q.scale) ** 2
    t1 = ((p.loc - q.loc) / q.scale) ** 2
    return 0.5 * (var_ratio + t1 - 1 - var_ratio.log())


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(p: Categorical, q: Categorical) -> Any:
    t = p.probs * (p.logits - q.logits)
    t = where(q.probs.data == 0, float("inf"), t)
    t = where(p.probs.data == 0, 0.0, t)
    return t.sum(-1)
