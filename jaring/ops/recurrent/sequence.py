"""The machinery the three recurrent ops share: the z buffer, the step order, the mask, the buffer pool.

Each op runs the whole sequence: a loop over time for the recurrence, and BPTT's reverse loop
inside its own backward, so the graph holds one node per layer instead of one per step and
gate. Weights use PyTorch's layout and gate order:
weight_ih (gates * hidden, features), weight_hh (gates * hidden, hidden); LSTM gates (i, f, g, o),
GRU gates (r, z, n). Inputs are batch-first (batch, time, features), as in Keras.

Inside, arrays are time-major and feature-major, (time, features, batch): each step is a handful
of small array calls, which run several times faster on contiguous (features, batch) blocks than on
strided batch-major slices. One buffer `z` (time + 1, features + 1 + state, batch) holds for each
step the input x_t, a row of ones (the bias rides in the matmul) and the state the step starts
from, so one matmul gives the input-weight, bias and recurrent-weight gradients together.
The LSTM computes its gates as written, sigmoid(a) = 1 / (1 + exp(-a)); the GRU and a sigmoid
SimpleRNN use sigmoid(a) = (tanh(a / 2) + 1) / 2 with the 1/2 folded into their weight rows (inside
the op only: stored weights are PyTorch's), so one tanh call activates several gates at once.

SimpleRNN and LSTM steps multiply [W_ih | b | W_hh] by z's slot [x_t; 1; h_{t-1}] in one matmul,
input projection included. Projecting all steps up front in one batched matmul is slower: NumPy
runs a (time, gates, batch) product as one small single-threaded GEMM per step, and a
(time * batch) GEMM needs a transposing copy into the feature-major layout.

mask (batch, time), true at real steps: a masked step leaves the state unchanged (Keras's
mask_zero behaviour), so a padded sequence ends in the same state as the unpadded one, and the
output at a masked step repeats the state. go_backwards=True runs from the last step to the first
(the backward half of a bidirectional layer); outputs stay aligned with their input steps.

For NumPy float32 and float64 data (`compiled`), the time loops run as compiled kernels instead
(jaring/kernels/recurrent.py) on the same buffers; the loops here stay the reference and the CuPy path.

Big arrays come from `_POOL` and are reused from call to call (see _BufferPool). In the step
loops, ufuncs get their output array as a positional argument rather than `out=` or an
augmented assignment, which is cheaper per call, over thousands of calls per training step.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

from jaring import backend, kernels
from jaring.autograd.tensor import Tensor

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")


class _BufferPool:
    """Large NumPy arrays kept between calls instead of being handed back to the OS.

    glibc returns big freed blocks to the OS, so without the pool (or jaring.memory's malloc
    setting) every training step page-faults its buffers back in, and the kernel zeroes each
    page: a third of an LSTM training step at the benchmark's size. A pooled
    array is handed out again only when nothing but the pool refers to it (no saved context,
    view, or returned gradient holds it), which CPython's reference count tells exactly.
    """

    MIN_BYTES = 1 << 16  # smaller arrays come from malloc's free lists without page faults

    def __init__(self, limit: int = 32) -> None:
        self.arrays: list = []
        self.limit = limit

    def _free(self, k: int) -> bool:
        return sys.getrefcount(self.arrays[k]) == 2  # the list's reference and the argument's

    def empty(self, xp: Any, shape: tuple, dtype: Any) -> Any:
        dtype = np.dtype(dtype)
        if xp is not np or math.prod(shape) * dtype.itemsize < self.MIN_BYTES:
            return xp.empty(shape, dtype)
        for k in range(len(self.arrays)):
            if self.arrays[k].shape == shape and self.arrays[k].dtype == dtype and self._free(k):
                return self.arrays[k]
        if len(self.arrays) >= self.limit:
            free = [k for k in range(len(self.arrays)) if self._free(k)]
            if free:
                del self.arrays[free[0]]
        self.arrays.append(np.empty(shape, dtype))
        return self.arrays[-1]


_POOL = _BufferPool()


def blocks(order: tuple, size: int) -> np.ndarray:
    """Row indices that reorder weight blocks of `size` rows: block order[k] goes to position k."""
    return np.concatenate([np.arange(b * size, (b + 1) * size) for b in order])


class RecurrentSequence:
    """Shapes, the z buffer, the step order and the mask, shared by the three ops.

    Slot s of z holds x_t for t = s - offset; the state a step starts from sits in the same slot
    as its input and the state it produces in the next slot (the previous one when reversed).
    """

    def __init__(
        self, x: Any, w_ih: Any, w_hh: Any, h0: Any, mask: Any, go_backwards: bool, rows: int
    ) -> None:
        xp = self.xp = backend.array_module(x, w_ih, w_hh)
        self.batch, self.time, self.features = x.shape
        self.hidden = w_hh.shape[1]
        self.dtype = xp.result_type(x.dtype, w_ih.dtype, w_hh.dtype)
        batch, time, d, h = self.batch, self.time, self.features, self.hidden
        self.go_backwards = go_backwards
        self.offset = 1 if go_backwards else 0
        self.z = _POOL.empty(xp, (time + 1, d + 1 + rows, batch), self.dtype)
        self.z[self.offset : self.offset + time, :d] = x.transpose(1, 2, 0)
        self.z[:, d] = 1
        self.start = time if go_backwards else 0
        self.z[self.start, d + 1 : d + 1 + h] = h0.T
        if mask is None:
            self.keep = self.step_mask = None
        else:
            valid = xp.ascontiguousarray(mask.T[:, None, :].astype(bool))
            self.keep = ~valid  # (time, 1, batch): where a step carries the state over
            self.step_mask = valid.astype(self.dtype)  # 1 at real steps, 0 at masked ones

    @property
    def steps(self) -> range:
        return range(self.time - 1, -1, -1) if self.go_backwards else range(self.time)

    @property
    def back_steps(self) -> range:
        return range(self.time) if self.go_backwards else range(self.time - 1, -1, -1)

    def inputs(self, stop: int | None = None) -> Any:
        """z's slots that hold inputs, rows up to `stop`: the right-hand side of the weight gradients."""
        return self.z[self.offset : self.offset + self.time, :stop]

    def outputs(self) -> Any:
        """The state rows of the slots each step wrote, (time, rows, batch)."""
        d = self.features
        return self.z[1 - self.offset : self.time + 1 - self.offset, d + 1 :]

    def state(self, t: int) -> tuple[Any, Any]:
        """(state before step t, state after it): views into z of shape (rows, batch)."""
        d = self.features
        return self.z[t + self.offset, d + 1 :], self.z[t + 1 - self.offset, d + 1 :]

    def result(self, return_sequences: bool, rows: int) -> Any:
        """The op's output: the first `rows` state rows of every step (batch, time, rows), or of
        the final state only (batch, rows)."""
        if return_sequences:
            return self.outputs()[:, :rows].transpose(2, 0, 1)
        return self.z[self.time * (1 - self.offset), self.features + 1 : self.features + 1 + rows].T

    def incoming(self, grad: Any, return_sequences: bool) -> tuple[Any, Any]:
        """(per-step output gradients (time, rows, batch) or None, gradient of the final state
        (rows, batch)), both contiguous, from the gradient of `result`."""
        xp = self.xp
        if return_sequences:
            d_out = self.empty((self.time, grad.shape[2], self.batch))
            d_out[...] = grad.transpose(1, 2, 0)
            return d_out, xp.zeros((grad.shape[2], self.batch), self.dtype)
        # A copy always: the backward updates this state gradient in place, and with one row or
        # one sequence grad.T is already contiguous, so ascontiguousarray would hand back the
        # caller's array (read-only when it is a broadcast, like the gradient of a sum).
        return None, xp.array(grad.T, dtype=self.dtype, order="C")

    def empty(self, shape: tuple) -> Any:
        """A scratch array of the sequence's dtype, from the buffer pool."""
        return _POOL.empty(self.xp, shape, self.dtype)

    def gate_major(self, d_gates: Any) -> Any:
        """Gate gradients (time, gates, batch) copied to (gates, time * batch), the left-hand side
        of the weight-gradient matmul and (transposed) of the input-gradient matmul."""
        gates = d_gates.shape[1]
        out = self.empty((gates, self.time, self.batch))
        out[...] = d_gates.transpose(1, 0, 2)
        return out.reshape(gates, self.time * self.batch)

    def input_grad(self, w_in: Any, left: Any) -> Any:
        """dL/dx (batch, time, features) in one matmul; its memory is (time, batch, features), so
        each row of features is contiguous for the layer below (an embedding sums rows)."""
        dx = self.empty((self.time * self.batch, self.features))
        self.xp.matmul(left.T, w_in[:, : self.features], dx)
        return dx.reshape(self.time, self.batch, self.features).transpose(1, 0, 2)

    def weight_grad(self, left: Any, stop: int | None = None, start: int = 0) -> Any:
        """sum over steps and batch of d_gates_t @ z_t[start:stop].T, (gates, stop - start), as one
        matmul of `left` (from gate_major) with z's rows copied to (rows, time * batch)."""
        rhs = self.z[self.offset : self.offset + self.time, start:stop]
        rows = rhs.shape[1]
        right = self.empty((rows, self.time, self.batch))
        right[...] = rhs.transpose(1, 0, 2)
        return left @ right.reshape(rows, self.time * self.batch).T


def compiled(seq: RecurrentSequence, *arrays: Any) -> bool:
    """Whether the kernels in jaring/kernels/recurrent.py take this sequence: NumPy float32 or
    float64 buffers, and kernels switched on."""
    return kernels.floats(seq.z, *arrays)


def masked(seq: RecurrentSequence, *factors: Any) -> None:
    """Zero the step factors at masked steps, in place, so no gradient enters the gates there."""
    if seq.step_mask is not None:
        for factor in factors:
            factor *= seq.step_mask


def carry_factor(seq: RecurrentSequence, factor: Any) -> Any:
    """The factor by which the state's gradient carries back a step: 1 at masked steps."""
    out = seq.empty(factor.shape)
    out[...] = factor
    seq.xp.copyto(out, 1, where=seq.keep)
    return out


def carry_grad(seq: RecurrentSequence, t: int, dh: Any, dh_next: Any, tmp: Any) -> None:
    """At masked steps the state passes through unchanged, so its gradient does too."""
    if seq.keep is not None:
        seq.xp.multiply(dh, seq.keep[t], tmp)
        seq.xp.add(dh_next, tmp, dh_next)


def raw_mask(mask: Any, batch: int, time: int, name: str) -> Any:
    if mask is None:
        return None
    mask = mask.data if isinstance(mask, Tensor) else mask
    shape = tuple(getattr(mask, "shape", np.shape(mask)))
    if shape != (batch, time):
        raise ValueError(f"{name}: mask must have shape (batch, time) = {(batch, time)}, got {shape}")
    return mask if hasattr(mask, "astype") else np.asarray(mask)


def check_shapes(
    name: str, x: Tensor, w_ih: Tensor, w_hh: Tensor, gates: int, biases: dict, states: dict
) -> tuple[int, int, int, int]:
    """Validate shapes before the op runs; errors name the op, the expected and the received shape."""
    if x.ndim != 3:
        raise ValueError(f"{name}: expected input of shape (batch, time, features), got shape {x.shape}")
    if x.dtype.kind != "f":
        raise TypeError(f"{name}: the input must be floating point, got {x.dtype} (embed token ids first)")
    batch, time, features = x.shape
    if time < 1:
        raise ValueError(f"{name}: the sequence needs at least one time step, got shape {x.shape}")
    if w_hh.ndim != 2 or w_hh.shape[0] != gates * w_hh.shape[1]:
        raise ValueError(f"{name}: weight_hh must have shape ({gates} * hidden, hidden), got {w_hh.shape}")
    hidden = w_hh.shape[1]
    if w_ih.shape != (gates * hidden, features):
        raise ValueError(
            f"{name}: input has {features} features per step, so weight_ih must have shape "
            f"{(gates * hidden, features)}; got {w_ih.shape}"
        )
    for label, b in biases.items():
        if b is not None and b.shape != (gates * hidden,):
            raise ValueError(f"{name}: {label} must have shape {(gates * hidden,)}, got {b.shape}")
    for label, s in states.items():
        if s is not None and s.shape != (batch, hidden):
            raise ValueError(
                f"{name}: {label} must have shape (batch, hidden) = {(batch, hidden)}, got {s.shape}"
            )
    return batch, time, features, hidden


def zeros(like: Tensor, shape: tuple) -> Tensor:
    return Tensor._from_op(backend.array_module(like.data).zeros(shape, like.dtype), None)
