"""einsum: sums of products named by subscripts ("ij,jk->ik"), forward by the array module's einsum.

The gradient for one operand is itself an einsum: of the output gradient with the other
operands, onto that operand's subscripts. Three cases need more than that one einsum:
- a letter only that operand has (summed away in forward, "ij->i") comes back by broadcasting;
- a letter of size 1 there but larger elsewhere (broadcast in forward) is summed back to 1;
- a letter repeated within the operand (a diagonal or a trace, "ii->") writes the gradient onto
  that diagonal of a zero array.
Ellipses ("...ij,...jk") are expanded into spare letters first, so every case above applies.
"""

from __future__ import annotations

import functools
import string
from collections import Counter
from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.promotion import promote_types


def _unique(letters: str) -> str:
    return "".join(dict.fromkeys(letters))


def contract(xp: Any, equation: str, *arrays: Any) -> Any:
    """xp.einsum, letting it plan the order and call BLAS when the work is big enough to pay.

    Planning costs a fixed fraction of a millisecond: on big operands it pays a hundredfold (a
    batched matmul goes to BLAS instead of einsum's own loops), on tiny ones it costs more than
    the contraction itself.
    """
    optimize = len(arrays) > 2 or sum(a.size for a in arrays) > 4096
    return xp.einsum(equation, *arrays, optimize=optimize)


class Einsum(Function):
    """`inputs` holds one subscript string per operand, `output` the result's (no ellipses)."""

    @staticmethod
    def forward(ctx: Context, *arrays: Any, inputs: tuple, output: str) -> Any:
        ctx.inputs, ctx.output = inputs, output
        ctx.save_for_backward(*arrays)
        equation = ",".join(inputs) + "->" + output
        return contract(backend.array_module(*arrays), equation, *arrays)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        arrays = ctx.saved
        return tuple(
            _operand_grad(grad, arrays, ctx.inputs, ctx.output, k) if need else None
            for k, need in enumerate(ctx.needs_input_grad)
        )


def _operand_grad(grad: Any, arrays: tuple, inputs: tuple, output: str, k: int) -> Any:
    xp = backend.array_module(grad)
    subs, shape = inputs[k], arrays[k].shape
    size = dict(zip(subs, shape))
    letters = _unique(subs)
    others = [(inputs[j], arrays[j]) for j in range(len(arrays)) if j != k]
    available = set(output).union(*(s for s, _ in others))
    present = "".join(c for c in letters if c in available)
    equation = ",".join([output] + [s for s, _ in others]) + "->" + present
    part = contract(xp, equation, grad, *[a for _, a in others])
    broadcast = tuple(i for i, c in enumerate(present) if size[c] == 1 and part.shape[i] != 1)
    if broadcast:
        part = part.sum(axis=broadcast, keepdims=True)
    missing = "".join(c for c in letters if c not in available)
    part = part.reshape(part.shape + (1,) * len(missing))
    order = present + missing
    part = part.transpose([order.index(c) for c in letters])
    part = xp.broadcast_to(part, tuple(size[c] for c in letters))
    if len(letters) == len(subs):
        return xp.ascontiguousarray(part)
    out = xp.zeros(shape, dtype=grad.dtype)
    xp.einsum(subs + "->" + letters, out)[...] = part  # a writeable view of out's diagonal(s)
    return out


def _parse(equation: str, ndims: list) -> tuple:
    """Per-operand subscripts and the output's, with every "..." replaced by spare letters."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    inputs = lhs.split(",")
    if len(inputs) != len(ndims):
        raise ValueError(f"einsum: {equation!r} names {len(inputs)} operands, but {len(ndims)} were given")
    allowed = set(string.ascii_letters)
    for part in inputs + [rhs]:
        bad = set(part.replace("...", "")) - allowed
        if bad or part.count("...") > 1:
            what = f"the characters {sorted(bad)}" if bad else "more than one '...' in one operand"
            raise ValueError(
                f"einsum: {equation!r} holds {what}; subscripts are letters and at most one '...'"
            )
    spare = [c for c in string.ascii_letters if c not in eq]
    ellipsis_dims = 0
    for part, ndim in zip(inputs, ndims):
        named = len(part.replace("...", ""))
        if ("..." in part and named > ndim) or ("..." not in part and named != ndim):
            raise ValueError(f"einsum: subscripts {part!r} do not fit an operand with {ndim} dims")
        if "..." in part:
            ellipsis_dims = max(ellipsis_dims, ndim - named)
    dots = "".join(spare[:ellipsis_dims])
    expanded = []
    for part, ndim in zip(inputs, ndims):
        m = ndim - len(part.replace("...", ""))
        expanded.append(part.replace("...", dots[ellipsis_dims - m :] if m else ""))
    if arrow:  # ellipsis dims left out of an explicit output are summed over, as in torch
        output = rhs.replace("...", dots)
    else:  # implicit output: the ellipsis dims, then the letters used once, in alphabetical order
        counts = Counter("".join(p.replace("...", "") for p in inputs))
        output = dots + "".join(sorted(c for c, n in counts.items() if n == 1))
    unknown = set(output) - set("".join(expanded))
    if unknown or len(set(output)) != len(output):
        problem = (
            f"output letters {sorted(unknown)} appear in no operand"
            if unknown
            else "a repeated output letter"
        )
        raise ValueError(f"einsum: {equation!r} has {problem}")
    return tuple(expanded), output


def einsum(equation: str, *operands: Any) -> Tensor:
    """Einstein summation, as torch.einsum: einsum("ij,jk->ik", a, b) (operands may be one list).

    Supports implicit outputs ("ij,jk"), ellipses ("...ij,...jk->...ik") with broadcasting, and
    repeated letters within one operand ("ii->i", the diagonal; "ii", the trace).

    Examples:
        >>> import jaring
        >>> a = jaring.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        >>> b = jaring.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
        >>> jaring.einsum("ij,jk->ik", a, b).tolist()
        [[4.0, 5.0], [10.0, 11.0]]
        >>> jaring.einsum("bij,bjk->bik", jaring.ones(8, 2, 3), jaring.ones(8, 3, 4)).shape
        (8, 2, 4)
        >>> jaring.einsum("ii", jaring.tensor([[1, 2], [3, 4]])).item()
        5
    """
    if not isinstance(equation, str):
        raise TypeError(f"einsum: the first argument is the equation string, got {type(equation).__name__}")
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    tensors = [as_tensor(t) for t in operands]
    dtype = functools.reduce(promote_types, [t.dtype for t in tensors]) if tensors else None
    tensors = [t if t.dtype == dtype else t.astype(dtype) for t in tensors]
    inputs, output = _parse(equation, [t.ndim for t in tensors])
    for part, t in zip(inputs, tensors):
        for c, n in Counter(part).items():
            sizes = {t.shape[i] for i, d in enumerate(part) if d == c}
            if n > 1 and len(sizes) > 1:
                raise ValueError(
                    f"einsum: letter {c!r} repeats in {part!r} over dims of different sizes {sorted(sizes)}"
                )
    try:
        return Einsum.apply(*tensors, inputs=inputs, output=output)
    except ValueError as exc:
        raise ValueError(f"einsum: {equation!r} with shapes {[t.shape for t in tensors]}: {exc}") from None
