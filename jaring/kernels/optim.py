"""Fused optimizer updates: one pass over a parameter's elements per step.

Each kernel is the update of `torch.optim`'s single-tensor code written as the loop a person
would write: read p, g and the state of element i, write them back. NumPy needs one pass per
arithmetic step (Adam: about twelve); the loop reads and writes each array once, and LLVM
vectorises it (error_model="numpy" lets float division give inf/nan as NumPy does, instead of a
ZeroDivisionError check that blocks vectorisation). The loops run on one thread: splitting them
with prange lost to the single loop on the 2-core machines this was tuned on (see the commit).

The kernels take 1-D arrays in memory order (see `flat`) and scalars already cast to the
arrays' dtype, so float32 parameters compute in float32 as the reference code does.

State that decays (momentum buffers, Adam's and RMSprop's moments) is flushed to zero once its
magnitude falls below the dtype's smallest normal number (`smallest_normal`: 1.2e-38 in float32),
as TensorFlow's flush-to-zero does by default and torch.set_flush_denormal(True) does on request.
x86 CPUs compute on subnormal numbers through a microcode assist, about a hundred times slower
than on normal ones: the weights of an MNIST MLP's always-blank border pixels get zero gradients,
their first moment shrinks by beta1 every step, and from about step 770 on Adam's pass took three
to four times as long. What is dropped is a state value below 1.2e-38; the update it would make
to a parameter is below 1e-30. The reference code keeps PyTorch's subnormals.

Flushing the state is not enough: on its way to zero a moment still makes subnormal intermediates
(step_size * m, rest1 * (g - m)). So each pass also runs with the CPU's flush-to-zero on, for
that call only (jaring/kernels/subnormals.py): a result or input below the smallest normal number
counts as zero, as under torch.set_flush_denormal(True). Such an update would move no weight
whose magnitude is above 1e-31; only a weight at exactly zero can tell (it stays at zero).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit

from jaring.kernels.subnormals import flush_subnormals, restore_subnormals


def flat(*arrays: Any) -> tuple | None:
    """1-D views, in memory order, of arrays of one shape, dtype and memory order (C or F), or None
    when they differ or one is not contiguous (the caller then runs the reference code)."""
    first = arrays[0]
    if first.flags.c_contiguous:
        order = "c_contiguous"
    elif first.flags.f_contiguous:
        order = "f_contiguous"
    else:
        return None
    for a in arrays:
        if a.shape != first.shape or a.dtype != first.dtype or not getattr(a.flags, order):
            return None
    if order == "c_contiguous":
        return tuple(a.reshape(-1) for a in arrays)
    return tuple(a.T.reshape(-1) for a in arrays)


def smallest_normal(dtype: np.dtype) -> np.floating:
    """The kernels' flush threshold for `dtype`: its smallest normal number, as a scalar of it."""
    return dtype.type(np.finfo(dtype).tiny)


@njit(cache=True, inline="always")
def _flushed(x, tiny):  # pragma: no cover
    """x, or zero where |x| < tiny; NaN stays NaN (NaN - NaN) and infinities stay."""
    return x if abs(x) >= tiny else x - x


@njit(cache=True, error_model="numpy")
def sgd(p, g, buf, lr, weight_decay, momentum, damped, nesterov, first, tiny):  # pragma: no cover
    """p -= lr d with d = g + wd p, or with momentum its buffer buf <- momentum buf + damped d
    (damped = 1 - dampening; buf = d on the first step), or for nesterov d + momentum buf.
    An empty buf means no momentum. buf is flushed to zero below tiny (see the module's text)."""
    saved = flush_subnormals()
    for i in range(p.size):
        d = g[i]
        if weight_decay != 0:
            d += weight_decay * p[i]
        if buf.size:
            b = d if first else _flushed(momentum * buf[i] + damped * d, tiny)
            buf[i] = b
            d = d + momentum * b if nesterov else b
        p[i] -= lr * d
    restore_subnormals(saved)


@njit(cache=True, error_model="numpy")
def adam(
    p, g, m, v, v_max, beta1, beta2, eps, weight_decay, keep, step_size, root_correction, tiny
):  # pragma: no cover
    """One Adam/AdamW step, PyTorch's formula: m <- lerp(m, g, 1 - b1), v <- b2 v + (1 - b2) g^2,
    p <- p - step_size m / (sqrt(v) / root_correction + eps), where step_size = lr / (1 - b1^t) and
    root_correction = sqrt(1 - b2^t). beta1 and beta2 are pairs (b, 1 - b), so that no literal
    turns float32 arithmetic into float64. weight_decay is Adam's L2 term (coupled); keep = 1 - lr wd
    is AdamW's decay of p itself (1 for Adam). A non-empty v_max is amsgrad's running maximum of v,
    used in place of v. m and v are flushed to zero below tiny (see the module's text)."""
    b1, rest1 = beta1
    b2, rest2 = beta2
    saved = flush_subnormals()
    for i in range(p.size):
        w = p[i] * keep
        d = g[i]
        if weight_decay != 0:
            d += weight_decay * w
        mi = _flushed(m[i] + rest1 * (d - m[i]), tiny)
        vi = _flushed(b2 * v[i] + rest2 * d * d, tiny)
        m[i] = mi
        v[i] = vi
        if v_max.size:
            vi = max(v_max[i], vi)
            v_max[i] = vi
        p[i] = w - step_size * mi / (math.sqrt(vi) / root_correction + eps)
    restore_subnormals(saved)


@njit(cache=True, error_model="numpy")
def rmsprop(
    p, g, square_avg, grad_avg, buf, lr, alpha, eps, weight_decay, momentum, tiny
):  # pragma: no cover
    """s <- alpha s + (1 - alpha) d^2 with d = g + wd p (alpha arrives as (alpha, 1 - alpha));
    centered (non-empty grad_avg a): a <- lerp(a, d, 1 - alpha) and s - a^2 under the root;
    momentum (non-empty buf): buf <- momentum buf + d / (sqrt(.) + eps), p -= lr buf;
    else p -= lr d / (sqrt(.) + eps). The three states are flushed to zero below tiny (see the
    module's text), and a with s."""
    a_keep, a_rest = alpha
    saved = flush_subnormals()
    for i in range(p.size):
        d = g[i]
        if weight_decay != 0:
            d += weight_decay * p[i]
        s = _flushed(a_keep * square_avg[i] + a_rest * d * d, tiny)
        square_avg[i] = s
        if grad_avg.size:
            a = _flushed(grad_avg[i] + a_rest * (d - grad_avg[i]), tiny)
            # a^2 <= s, so a flushed s leaves |a| < 1.1e-19 (float32): it goes too, or s - a^2
            # would turn negative and the root NaN.
            a = a if s != 0 else a - a
            grad_avg[i] = a
            s = s - a * a
        step = d / (math.sqrt(s) + eps)
        if buf.size:
            step = _flushed(step + momentum * buf[i], tiny)
            buf[i] = step
        p[i] -= lr * step
    restore_subnormals(saved)


def empty_like(p: np.ndarray) -> np.ndarray:
    """The 'no such state' argument: an empty array of p's dtype."""
    return np.empty(0, p.dtype)
