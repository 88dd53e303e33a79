"""`tensor.grad_fn`: a read-only view of the recorded graph shaped like torch's autograd nodes.

jaring's graph links tensors to Contexts; this wraps a Context so code written for PyTorch can
print `y.grad_fn` (`<MulBackward>`) and walk `grad_fn.next_functions`.
"""

from __future__ import annotations

from typing import Any


def _node_name(fn: type) -> str:
    name = fn.__name__
    if name.endswith("Function") and name != "Function":  # ReLUFunction -> ReLUBackward
        name = name[: -len("Function")]
    return f"{name}Backward"


class GradFn:
    """The backward node of one recorded op; equal to every other wrapper of the same op."""

    __slots__ = ("_ctx",)

    def __init__(self, ctx: Any) -> None:
        self._ctx = ctx

    def name(self) -> str:
        """The node's name, e.g. 'MulBackward' (torch's grad_fn.name())."""
        return _node_name(self._ctx.fn)

    @property
    def next_functions(self) -> tuple:
        """One (node, 0) pair per input: its GradFn, AccumulateGrad for a leaf that requires grad,
        or None for an input that needs no gradient (as torch's next_functions)."""
        pairs = []
        for parent in self._ctx.parents:
            if parent._ctx is not None:
                pairs.append((GradFn(parent._ctx), 0))
            elif parent.requires_grad:
                pairs.append((AccumulateGrad(parent), 0))
            else:
                pairs.append((None, 0))
        return tuple(pairs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GradFn) and other._ctx is self._ctx

    def __hash__(self) -> int:
        return id(self._ctx)

    def __repr__(self) -> str:
        return f"<{self.name()}>"


class AccumulateGrad:
    """The node that adds a leaf's gradient into `.grad`; `variable` is the leaf."""

    __slots__ = ("variable",)

    def __init__(self, variable: Any) -> None:
        self.variable = variable

    def name(self) -> str:
        return "AccumulateGrad"

    next_functions: tuple = ()

    def __repr__(self) -> str:
        return "<AccumulateGrad>"
