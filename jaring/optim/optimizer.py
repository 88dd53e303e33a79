"""Optimizer: the base class that holds parameter groups, per-parameter state and the step loop.

A subclass declares its `defaults`, checks them in `_check`, and writes `_update(p, g, state,
group, xp)`, which changes the raw parameter array `p` in place from its gradient `g`. State
arrays are allocated once and updated with `out=` arguments, and scratch space is shared by all
parameters, so a step allocates next to nothing and float32 stays float32.
"""

from __future__ import annotations

import math
import numbers
from typing import Any
from collections.abc import Callable, Iterable

import numpy as np

from jaring import backend, kernels
from jaring.autograd.function import enable_grad
from jaring.autograd.tensor import Tensor
from jaring.nn.lazy import UninitializedParameter
from jaring.optim.torch_options import check_options, option_defaults

Params = Tensor | Iterable[Tensor] | Iterable[dict]


def check_number(owner: str, name: str, value: Any, low: float = 0.0, high: float | None = None) -> float:
    """`value` as a Python float in [low, high) (or [low, inf)); a clear error otherwise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{owner}: {name} must be a number, got {value!r}")
    value = float(value)
    if not (value >= low and (high is None or value < high)) or not math.isfinite(value):
        upper = "inf)" if high is None else f"{high})"
        raise ValueError(f"{owner}: {name} must be in [{low}, {upper}, got {value}")
    return value


def _param_list(params: Any, owner: str) -> list:
    """The tensors of one group, checked: float, requiring grad, each given once."""
    if isinstance(params, Tensor):
        params = [params]
    elif isinstance(params, (str, bytes, dict)) or not isinstance(params, Iterable):
        raise TypeError(
            f"{owner} expects an iterable of Tensors such as model.parameters(), got {type(params).__name__}"
        )
    out = []
    for i, p in enumerate(params):
        if isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str):
            p = p[1]  # an item of model.named_parameters()
        if not isinstance(p, Tensor):
            raise TypeError(f"{owner}: parameter {i} is a {type(p).__name__}, not a jaring Tensor")
        if isinstance(p, UninitializedParameter):
            raise ValueError(
                f"{owner}: parameter {i} is not materialised yet: a lazy layer (nn.LazyLinear, "
                "nn.LazyConv2d, ...) makes its weights on its first forward. Run one batch through "
                "the model (or model.build(input_shape)) before creating the optimizer"
            )
        if p.dtype.kind != "f":
            raise TypeError(
                f"{owner}: parameter {i} has dtype {p.dtype}; only floating-point tensors can be optimized"
            )
        if not p.requires_grad:
            raise ValueError(
                f"{owner}: parameter {i} (shape {p.shape}) does not require grad; create it with "
                "requires_grad=True or leave it out"
            )
        if not p.is_leaf:
            raise ValueError(f"{owner}: parameter {i} is the result of an op; optimize leaf tensors only")
        out.append(p)
    return out


class Optimizer:
    """Base class: `step()` updates every parameter that has a gradient, `zero_grad()` clears them.

    `params` is an iterable of Tensors, or of dicts `{"params": [...], "lr": ...}` that give a
    group of parameters its own hyperparameters (the others fall back to the constructor's).

    The keywords torch.optim adds (listed per class in `torch_options`) are accepted too:
    `maximize=True` ascends (the gradient's sign is flipped before the update, in the compiled
    kernels and the array path alike); `foreach`, `fused`, `capturable` and `differentiable`
    are checked and kept in param_groups, but change nothing, since jaring's update is already
    one fused NumPy pass per parameter (jaring/optim/torch_options.py).

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> w, b = jaring.ones(2, requires_grad=True), jaring.zeros(1, requires_grad=True)
        >>> opt = optim.SGD([{"params": [w], "lr": 0.5}, {"params": [b]}], lr=0.1)
        >>> (w.sum() + b.sum()).backward()
        >>> opt.step()
        >>> opt.zero_grad()
        >>> w.tolist(), b.tolist(), w.grad
        ([0.5, 0.5], [-0.1], None)
    """

    defaults: dict
    torch_options: tuple[str, ...] = ()  # which of torch's maximize, foreach, ... this class takes

    def __init__(self, params: Params, defaults: dict, **options: Any) -> None:
        self.defaults = {**defaults, **option_defaults(self._name, self.torch_options, options)}
        self.param_groups: list[dict] = []
        self.state: dict[Tensor, dict] = {}
        self._scratch: dict = {}
        self._views: dict = {}  # the kernels' flat views of each parameter and its state (_flat_arrays)
        self._scalars: dict = {}  # the kernels' scalar arguments by step and hyperparameters
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, Iterable) and not isinstance(params, (str, bytes, dict)):
            params = list(params)
        else:
            raise TypeError(
                f"{self._name} expects an iterable of Tensors such as model.parameters(), "
                f"got {type(params).__name__}"
            )
        groups = params if params and all(isinstance(g, dict) for g in params) else [{"params": params}]
        for group in groups:
            self.add_param_group(group)

    @property
    def _name(self) -> str:
        return type(self).__name__

    def add_param_group(self, group: dict) -> None:
        """Add a group of parameters, with hyperparameters that override the defaults."""
        if not isinstance(group, dict) or "params" not in group:
            raise TypeError(f"{self._name}: a parameter group is a dict with a 'params' entry")
        unknown = sorted(set(group) - set(self.defaults) - {"params", "initial_lr"})
        if unknown:
            raise ValueError(
                f"{self._name}: unknown option(s) {unknown} in a parameter group; "
                f"valid options: {sorted(self.defaults)}"
            )
        params = _param_list(group["params"], self._name)
        if not params:
            raise ValueError(f"{self._name} got an empty parameter list; pass model.parameters()")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if len({id(p) for p in params}) != len(params) or any(id(p) in seen for p in params):
            raise ValueError(f"{self._name}: a parameter appears more than once; give each tensor once")
        merged = {**self.defaults, **{k: v for k, v in group.items() if k != "params"}}
        self._check(merged)
        check_options(self._name, merged)
        self.param_groups.append({"params": params, **merged})

    def _check(self, group: dict) -> None:
        """Validate (and normalise to Python numbers) one group's hyperparameters, in place."""
        group["lr"] = check_number(self._name, "lr", group["lr"])

    # ----- the learning rate, for users and schedulers ----------------------------------
    @property
    def lr(self) -> float:
        """The learning rate (of the first group when groups have their own)."""
        return self.param_groups[0]["lr"]

    @lr.setter
    def lr(self, value: float) -> None:
        value = check_number(self._name, "lr", value)
        for group in self.param_groups:
            group["lr"] = value

    learning_rate = lr  # the Keras name

    # ----- the training-loop calls ------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget every parameter's gradient before the next backward: `.grad` becomes None, or
        with set_to_none=False an array of zeros in place (torch's two ways)."""
        for group in self.param_groups:
            for p in group["params"]:
                p.zero_grad(set_to_none)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; `closure` (optional) recomputes the loss."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        state = self.state
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad.data
                if g.shape != p.data.shape:
                    raise ValueError(
                        f"{self._name}: gradient of shape {g.shape} for a parameter of shape {p.data.shape}"
                    )
                s = state.get(p)
                if s is None:
                    s = state[p] = {}
                if group.get("maximize"):  # ascend: every optimizer's update, of -g
                    g = backend.array_module(g).negative(g, out=self._buffer(g, 3))
                if not (kernels.enabled(p.data, g) and self._fused(p.data, g, s, group)):
                    self._update(p.data, g, s, group, backend.array_module(p.data))
        return loss

    def _update(self, p: Any, g: Any, state: dict, group: dict, xp: Any) -> None:
        raise NotImplementedError

    def _fused(self, p: np.ndarray, g: np.ndarray, state: dict, group: dict) -> bool:
        """The same update as `_update` by a compiled kernel (jaring.kernels.optim), for NumPy
        arrays; returns False, having changed nothing but the state's creation, where it has no
        kernel for these arrays (then `_update` runs)."""
        return False

    def _flat_arrays(self, p: np.ndarray, g: np.ndarray, state: dict, names: tuple) -> tuple | None:
        """(p, g, *state[names]) as the 1-D views in memory order that the kernels take (see
        kernels.optim.flat), or None where they cannot run in step. The views of p and the state
        are kept from step to step, while p and the state arrays are the same objects; g's is new."""
        kept = self._views.get(id(state))
        if (
            kept is None
            or kept[0] is not state
            or kept[1] is not p
            or len(kept[2]) != len(names)
            or any(state[n] is not a for n, a in zip(names, kept[2]))
        ):
            arrays = tuple(state[n] for n in names)
            flat = kernels.family("optim").flat(p, *arrays)
            if flat is None:
                return None
            # the state dict is kept in the entry, so its id is not reused while the entry lives
            kept = self._views[id(state)] = (state, p, arrays, flat, p.flags.c_contiguous)
        if g.dtype != p.dtype:
            return None
        if kept[4]:
            if not g.flags.c_contiguous:
                return None
            g_flat = g.reshape(-1)
        elif g.flags.f_contiguous:
            g_flat = g.T.reshape(-1)
        else:
            return None
        flat = kept[3]
        return (flat[0], g_flat, *flat[1:])

    def _kernel_scalars(self, key: tuple, make: Callable[[], tuple]) -> tuple:
        """make(), the scalar arguments of a kernel call, built once per distinct `key` (the dtype,
        step and hyperparameters they come from): all the parameters of a group share them."""
        scalars = self._scalars.get(key)
        if scalars is None:
            if len(self._scalars) >= 256:
                self._scalars.clear()
            scalars = self._scalars[key] = make()
        return scalars

    def __getstate__(self) -> dict:
        """copy.deepcopy and copy.copy leave the kernels' cached views behind: a copied view would
        no longer be a view of the copied parameter."""
        attributes = self.__dict__.copy()
        attributes["_views"], attributes["_scalars"] = {}, {}
        return attributes

    def _buffer(self, like: Any, slot: int) -> Any:
        """Scratch array shaped like `like`, shared by all parameters (slot 0 or 1), in the same
        memory order, so that elementwise passes over both run in step."""
        key = (slot, like.dtype, type(like))
        flat = self._scratch.get(key)
        if flat is None or flat.size < like.size:
            flat = self._scratch[key] = backend.array_module(like).empty(like.size, like.dtype)
        return backend.shaped_like(flat, like)

    def _with_weight_decay(self, p: Any, g: Any, weight_decay: float, xp: Any) -> Any:
        """g + weight_decay * p in scratch slot 0 (L2 added to the gradient, as in PyTorch)."""
        if not weight_decay:
            return g
        out = self._buffer(p, 0)
        xp.multiply(p, weight_decay, out=out)
        out += g
        return out

    # ----- saving and resuming ----------------------------------------------------------
    def state_dict(self) -> dict:
        """Hyperparameters and state as plain numbers, lists and NumPy arrays (copies).

        Parameters are named by their position across the groups, as in PyTorch, so the dict
        can be written to JSON plus safetensors and loaded into an optimizer over a new model.
        """
        index = {}
        groups = []
        for group in self.param_groups:
            ids = []
            for p in group["params"]:
                index[id(p)] = len(index)
                ids.append(index[id(p)])
            groups.append({**{k: v for k, v in group.items() if k != "params"}, "params": ids})
        group_of = {id(p): group for group in self.param_groups for p in group["params"]}
        state = {index[id(p)]: self._export_state(s, group_of[id(p)]) for p, s in self.state.items()}
        return {"state": state, "param_groups": groups}

    def _export_state(self, state: dict, group: dict) -> dict:
        """One parameter's state as saved by state_dict(): copies of its arrays, by default."""
        return {k: (backend.to_numpy(v).copy() if hasattr(v, "shape") else v) for k, v in state.items()}

    def _import_state(self, entry: dict, group: dict) -> dict:
        """The inverse of _export_state, given arrays already checked and converted."""
        return entry

    def load_state_dict(self, state_dict: dict) -> None:
        """Resume from `state_dict()`: same group layout and parameter shapes required."""
        if not isinstance(state_dict, dict) or set(state_dict) != {"state", "param_groups"}:
            raise ValueError(f"{self._name}: expected a dict with 'state' and 'param_groups' entries")
        saved_groups = state_dict["param_groups"]
        sizes = [len(g["params"]) for g in self.param_groups]
        saved_sizes = [len(g["params"]) for g in saved_groups]
        if sizes != saved_sizes:
            raise ValueError(
                f"{self._name}: saved groups hold {saved_sizes} parameters, this optimizer {sizes}"
            )
        params = [p for g in self.param_groups for p in g["params"]]
        new_state = {}
        for key, saved in state_dict["state"].items():
            if not 0 <= int(key) < len(params):
                raise ValueError(
                    f"{self._name}: saved state for parameter {key}, but there are {len(params)}"
                )
            p = params[int(key)]
            xp = backend.array_module(p.data)
            entry = {}
            for name, value in saved.items():
                # Float arrays are per-element state; anything else (the step count) is a number.
                if hasattr(value, "shape") and value.dtype.kind == "f" and tuple(value.shape) == p.shape:
                    # in the parameter's memory order, as the state it started with
                    value = backend.in_order_of(p.data, xp.asarray(value))
                elif hasattr(value, "shape") and np.ndim(value) == 0:
                    value = value.item()
                elif hasattr(value, "shape"):
                    raise ValueError(
                        f"{self._name}: saved {name!r} of parameter {key} has shape "
                        f"{tuple(value.shape)}, the parameter has shape {p.shape}"
                    )
                entry[name] = value
            new_state[p] = entry
        # Everything is checked and converted before anything changes, so a bad state dict
        # leaves the optimizer as it was.
        merged_groups = []
        for group, saved in zip(self.param_groups, saved_groups):
            options = {k: v for k, v in saved.items() if k != "params"}
            for k, v in options.items():
                if isinstance(self.defaults.get(k), tuple):
                    options[k] = tuple(v)
            merged = {**group, **options}
            self._check(merged)
            check_options(self._name, merged)
            merged_groups.append(merged)
        group_of = {id(p): merged for merged in merged_groups for p in merged["params"]}
        new_state = {p: self._import_state(entry, group_of[id(p)]) for p, entry in new_state.items()}
        for group, merged in zip(self.param_groups, merged_groups):
            group.update(merged)
        self.state = new_state
        self._views.clear()

    def __repr__(self) -> str:
        lines = [f"{self._name} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {group[k]}" for k in sorted(group) if k != "params"]
        return "\n".join(lines) + "\n)"
