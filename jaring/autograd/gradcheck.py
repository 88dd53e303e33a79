"""gradcheck: compare backward's gradients with central finite differences in float64."""

from __future__ import annotations

from typing import Any
from collections.abc import Callable, Sequence

import numpy as np

from jaring import backend
from jaring.autograd.function import no_grad
from jaring.autograd.tensor import Tensor


class GradcheckError(AssertionError):
    """Raised when an analytic gradient disagrees with the numerical one.

    Examples:
        >>> import jaring
        >>> a = jaring.randn(3, seed=0, requires_grad=True)
        >>> jaring.gradcheck(lambda a: (a * a.detach()).sum(), [a])  # detach hides half the gradient
        Traceback (most recent call last):
            ...
        jaring.autograd.gradcheck.GradcheckError: gradient of input 0 (shape (3,)) is wrong at index ...
    """


def _float64_copies(inputs: Sequence[Any]) -> list:
    copies = []
    for item in inputs:
        if isinstance(item, Tensor) and item.dtype.kind == "f":
            copy = Tensor(item.data.astype(np.float64), requires_grad=item.requires_grad)
        elif isinstance(item, Tensor):
            copy = item
        else:
            copy = Tensor(np.asarray(item, dtype=np.float64), requires_grad=True)
        copies.append(copy)
    return copies


def gradcheck(
    fn: Callable[..., Tensor],
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> bool:
    """Check `fn`'s gradients with respect to every input that requires grad.

    Inputs are copied to float64 (arrays and lists become tensors that require grad). A
    non-scalar output is projected on a fixed random direction, so every output element is
    tested. Returns True, or raises GradcheckError naming the worst element and both values.

    Examples:
        >>> import jaring
        >>> a = jaring.randn(3, 4, seed=0, requires_grad=True)
        >>> jaring.gradcheck(lambda a: (a * a).sum(), [a])
        True
    """
    xs = _float64_copies(inputs)
    checked = [i for i, x in enumerate(xs) if x.requires_grad]
    if not checked:
        raise ValueError("gradcheck needs at least one floating input that requires grad")
    out = fn(*xs)
    if out.size == 1:
        direction = np.ones(out.shape)
    else:
        direction = np.random.default_rng(seed).standard_normal(out.shape)
    out.backward(grad=direction)
    analytic = [backend.to_numpy(xs[i].grad.data) if xs[i].grad is not None else None for i in checked]

    def objective() -> float:
        with no_grad():
            return float(np.sum(backend.to_numpy(fn(*xs).data) * direction))

    for position, i in enumerate(checked):
        data = xs[i].data
        numeric = np.zeros(data.shape)
        for index in np.ndindex(data.shape):
            original = data[index].item()
            data[index] = original + eps
            plus = objective()
            data[index] = original - eps
            minus = objective()
            data[index] = original
            numeric[index] = (plus - minus) / (2 * eps)
        got = analytic[position] if analytic[position] is not None else np.zeros(data.shape)
        excess = np.abs(got - numeric) - (atol + rtol * np.abs(numeric))
        if excess.size and excess.max() > 0:
            worst = np.unravel_index(int(np.argmax(excess)), excess.shape)
            where = tuple(int(k) for k in worst)
            raise GradcheckError(
                f"gradient of input {i} (shape {data.shape}) is wrong at index {where}: "
                f"backward gave {got[worst]:.8g}, finite differences gave {numeric[worst]:.8g} "
                f"(atol={atol}, rtol={rtol}, eps={eps})"
            )
    return True
