"""Gradient clipping between backward and the optimizer's step, as torch.nn.utils does it.

    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()

`clip_grad_norm_` scales every gradient by one factor so that their joint norm (the norm of
all of them laid end to end) is at most max_norm; `clip_grad_value_` clamps each element.
Both change the gradients in place and skip parameters without one.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.nn import utils_rnn as rnn
from jaring.nn.utils_params import parameters_to_vector, vector_to_parameters  # noqa: F401

# torch's spelling `from torch.nn.utils.rnn import pad_sequence`: this module is not a package,
# so its `rnn` (jaring/nn/utils_rnn.py) is registered under the dotted name as well.
sys.modules[__name__ + ".rnn"] = rnn


def _gradients(what: str, parameters: Any) -> list:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    parameters = list(parameters)
    for p in parameters:
        if not isinstance(p, Tensor):
            raise TypeError(
                f"{what}: parameters must be Tensors (model.parameters()), got {type(p).__name__}"
            )
    return [p.grad for p in parameters if p.grad is not None]


def _number(what: str, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{what}: {name} must be a number, got {value!r}")
    return float(value)


def _scale(grad: Tensor, factor: Any) -> None:
    """grad *= factor in its own array, or in a fresh one where that array is read-only."""
    if grad.data.flags.writeable:
        grad.data *= factor
    else:
        grad.data = grad.data * factor


def clip_grad_norm_(
    parameters: Any, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False
) -> Tensor:
    """Scale the gradients by min(1, max_norm / (total + 1e-6)), where total is their joint
    `norm_type`-norm (inf: the largest magnitude); return total as a 0-d tensor (torch's).

    A NaN or infinite total raises with error_if_nonfinite=True; otherwise the gradients are
    scaled by it as torch scales them (and become NaN).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> w = jaring.tensor([3.0, 4.0], requires_grad=True)
        >>> (w * w).sum().backward()  # gradient (6, 8), norm 10
        >>> nn.utils.clip_grad_norm_([w], max_norm=1.0).item()
        10.0
        >>> [round(g, 4) for g in w.grad.tolist()]
        [0.6, 0.8]
    """
    what = "clip_grad_norm_"
    max_norm, norm_type = _number(what, "max_norm", max_norm), _number(what, "norm_type", norm_type)
    if max_norm < 0 or not norm_type > 0:
        raise ValueError(f"{what}: max_norm must be >= 0 and norm_type > 0, got {max_norm} and {norm_type}")
    grads = _gradients(what, parameters)
    if not grads:
        return Tensor(np.zeros((), np.float32))
    xp = backend.array_module(grads[0].data)
    if norm_type == math.inf:
        total = max(float(xp.abs(g.data).max()) if g.data.size else 0.0 for g in grads)
    else:
        each = [float(xp.sum(xp.abs(g.data.astype(np.float64)) ** norm_type)) for g in grads]
        total = math.fsum(each) ** (1.0 / norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"{what}: the total norm of order {norm_type} of the gradients is {total}; "
            "a NaN or inf gradient came out of backward (pass error_if_nonfinite=False to scale anyway)"
        )
    factor = min(1.0, max_norm / (total + 1e-6)) if not math.isnan(total) else math.nan
    if factor != 1.0:
        with np.errstate(invalid="ignore"):  # inf * 0 from an infinite total: NaN, as in torch
            for g in grads:
                _scale(g, g.data.dtype.type(factor))
    return Tensor(np.asarray(total, dtype=grads[0].data.dtype))


def clip_grad_value_(parameters: Any, clip_value: float) -> None:
    """Clamp every gradient element to [-clip_value, clip_value], in place (torch's).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> w = jaring.tensor([3.0, -4.0], requires_grad=True)
        >>> (w * w).sum().backward()  # gradient (6, -8)
        >>> nn.utils.clip_grad_value_([w], 5.0)
        >>> w.grad.tolist()
        [5.0, -5.0]
    """
    what = "clip_grad_value_"
    clip_value = _number(what, "clip_value", clip_value)
    if clip_value < 0:
        raise ValueError(f"{what}: clip_value must be >= 0, got {clip_value}")
    for g in _gradients(what, parameters):
        xp = backend.array_module(g.data)
        bound = g.data.dtype.type(clip_value)
        if g.data.flags.writeable:
            xp.clip(g.data, -bound, bound, out=g.data)
        else:
            g.data = xp.clip(g.data, -bound, bound)
