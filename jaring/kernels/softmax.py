"""Softmax, log-softmax and softmax cross-entropy over the rows of a C-contiguous (rows, classes) array.

Each kernel is one loop over the rows, with the row's maximum subtracted before exp (so logits of
+-1000 stay finite) and every intermediate kept in registers: NumPy needs a max, a subtract, an
exp, a sum, a divide and an index, each a pass of its own and a Python call, which dominate at
the sizes classifiers have (a batch of a hundred rows of ten classes). The ops call these only
for C-contiguous rows of floats; everything else runs the array code, which stays the reference.

The rows pay off only while they are short: Numba's exp is the scalar one of the C library, while
NumPy's is vectorised, so from a few dozen classes on one exp pass of NumPy beats the fused loop.
The ops therefore send only rows of at most 32 classes here (jaring.ops.softmax.rows_kernel).

NaN in a row makes the whole row NaN, as in the reference code (the maximum is NaN then).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True, error_model="numpy")
def _row_max(x, r):
    """The maximum of row r, NaN when the row holds a NaN (as NumPy's max)."""
    top = x[r, 0]
    for k in range(1, x.shape[1]):
        value = x[r, k]
        if value > top or value != value:
            top = value
            if value != value:
                break
    return top


@njit(cache=True, error_model="numpy")
def softmax_forward(x):  # pragma: no cover
    """exp(x - max) / sum(exp(x - max)) of every row."""
    out = np.empty_like(x)
    for r in range(x.shape[0]):
        top = _row_max(x, r)
        total = 0.0
        for k in range(x.shape[1]):
            e = math.exp(x[r, k] - top)
            out[r, k] = e
            total += e
        scale = 1.0 / total
        for k in range(x.shape[1]):
            out[r, k] *= scale
    return out


@njit(cache=True, error_model="numpy")
def softmax_backward(out, grad):  # pragma: no cover
    """The input gradient of softmax: out * (grad - sum(grad * out)) per row."""
    g = np.empty_like(out)
    for r in range(out.shape[0]):
        dot = 0.0
        for k in range(out.shape[1]):
            dot += grad[r, k] * out[r, k]
        for k in range(out.shape[1]):
            g[r, k] = out[r, k] * (grad[r, k] - dot)
    return g


@njit(cache=True, error_model="numpy")
def log_softmax_forward(x):  # pragma: no cover
    """x - max - log(sum(exp(x - max))) of every row."""
    out = np.empty_like(x)
    for r in range(x.shape[0]):
        top = _row_max(x, r)
        total = 0.0
        for k in range(x.shape[1]):
            total += math.exp(x[r, k] - top)
        shift = top + math.log(total)
        for k in range(x.shape[1]):
            out[r, k] = x[r, k] - shift
    return out


@njit(cache=True, error_model="numpy")
def log_softmax_backward(out, grad):  # pragma: no cover
    """The input gradient of log-softmax: grad - exp(out) * sum(grad) per row."""
    g = np.empty_like(out)
    for r in range(out.shape[0]):
        total = 0.0
        for k in range(out.shape[1]):
            total += grad[r, k]
        for k in range(out.shape[1]):
            g[r, k] = grad[r, k] - math.exp(out[r, k]) * total
    return g


@njit(cache=True, error_model="numpy")
def cross_entropy_forward(x, labels, smoothing):  # pragma: no cover
    """(softmax of every row, each row's loss lse - x[label], mixed with the uniform target by
    `smoothing`: (1 - s) * (lse - x[label]) + s * (lse - mean(x))). Labels must be in [0, classes)."""
    rows, classes = x.shape
    probs = np.empty_like(x)
    per = np.empty(rows, x.dtype)
    for r in range(rows):
        label = labels[r]
        if label < 0 or label >= classes:
            raise IndexError("cross_entropy: a label is out of range")
        top = _row_max(x, r)
        total = 0.0
        row_sum = 0.0
        for k in range(classes):
            e = math.exp(x[r, k] - top)
            probs[r, k] = e
            total += e
            row_sum += x[r, k]
        scale = 1.0 / total
        for k in range(classes):
            probs[r, k] *= scale
        lse = top + math.log(total)
        per[r] = lse - x[r, label]
        if smoothing != 0:  # only then: a -inf logit would make 0 * inf = NaN of the mean's term
            per[r] = (1.0 - smoothing) * per[r] + smoothing * (lse - row_sum / classes)
    return probs, per


@njit(cache=True, error_model="numpy")
def cross_entropy_backward(probs, labels, up, smoothing):  # pragma: no cover
    """The logits' gradient: up_r * (softmax - target) with target (1 - s) one-hot + s / classes;
    `up` holds one upstream gradient per row, or a single one for every row."""
    rows, classes = probs.shape
    g = np.empty_like(probs)
    uniform = smoothing / classes
    for r in range(rows):
        u = up[r] if up.size > 1 else up[0]
        for k in range(classes):
            g[r, k] = u * (probs[r, k] - uniform)
        g[r, labels[r]] -= u * (1.0 - smoothing)
    return g


@njit(cache=True)
def label_bounds(labels):  # pragma: no cover
    """(smallest, largest) of a non-empty integer array, in one pass: the range check of class labels."""
    low = high = labels.flat[0]
    for label in labels.flat:
        if label < low:
            low = label
        elif label > high:
            high = label
    return low, high
