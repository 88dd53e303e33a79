"""LBFGS: limited-memory BFGS with torch.optim.LBFGS's arguments, state and closure protocol.

All parameters are one flat vector; a step runs up to max_iter quasi-Newton iterations, each
calling the closure (zero the grads, compute the loss, backward, return it) at least once, so
the loop is written by the user: fit() calls step() without a closure and cannot drive it, and
"lbfgs" is therefore not a name for get_optimizer. Scalars (t, H_diag, ro, al) are Python floats.
"""

from __future__ import annotations

import numbers
from typing import Any
from collections.abc import Callable

import numpy as np

from jaring import backend
from jaring.autograd.function import enable_grad
from jaring.optim.line_search import strong_wolfe
from jaring.optim.optimizer import Optimizer, Params
from jaring.optim.torch_checks import check_torch_number

_LISTS = ("old_dirs", "old_stps")  # lists of flat arrays, saved as numbered entries "old_dirs.0", ...
_VECTORS = ("d", "prev_flat_grad")
_FLOATS = ("t", "H_diag", "prev_loss")


def _count(owner: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{owner}: {name} must be an integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{owner}: {name} must be at least 1, got {value}")
    return int(value)


class LBFGS(Optimizer):
    """L-BFGS, as torch.optim.LBFGS: `opt.step(closure)` returns the closure's first loss.

    lr scales the step (the first iteration's by min(1, 1 / |grad|_1) as well); max_eval
    defaults to max_iter * 5 // 4; a step stops early when max|grad| <= tolerance_grad, or the
    loss or the parameters change by less than tolerance_change. line_search_fn="strong_wolfe"
    searches each step length instead of taking lr. One parameter group only; a parameter without
    a gradient counts as gradient zero. state_dict() keeps torch's names, with old_dirs and
    old_stps as numbered arrays ("old_dirs.0", ...), so ModelCheckpoint can write it.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> w = jaring.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = optim.LBFGS([w], line_search_fn="strong_wolfe")
        >>> def closure():
        ...     opt.zero_grad()
        ...     loss = ((w - 3.0) ** 2).sum()
        ...     loss.backward()
        ...     return loss
        >>> first = opt.step(closure)
        >>> float(first), w.numpy().round(4).tolist()
        (29.0, [3.0, 3.0])
    """

    def __init__(
        self,
        params: Params,
        lr: float = 1,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        max_iter = _count("LBFGS", "max_iter", max_iter)
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = dict(
            lr=lr,
            max_iter=max_iter,
            max_eval=max_eval,
            tolerance_grad=tolerance_grad,
            tolerance_change=tolerance_change,
            history_size=history_size,
            line_search_fn=line_search_fn,
        )
        super().__init__(params, defaults)
        self._params = self.param_groups[0]["params"]

    def add_param_group(self, group: dict) -> None:
        if self.param_groups:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        super().add_param_group(group)

    def _check(self, group: dict) -> None:
        group["lr"] = check_torch_number(self._name, "learning rate", group["lr"])
        for name in ("max_iter", "max_eval", "history_size"):
            group[name] = _count(self._name, name, group[name])
        for name in ("tolerance_grad", "tolerance_change"):
            group[name] = check_torch_number(self._name, name.replace("_", " "), group[name])
        search = group["line_search_fn"]
        if search not in (None, "strong_wolfe"):
            raise ValueError(f"{self._name}: only 'strong_wolfe' is supported, got line_search_fn={search!r}")

    # ----- the parameters as one flat vector ---------------------------------------------
    def _gather_flat_grad(self) -> Any:
        xp = backend.array_module(self._params[0].data)
        views = [
            xp.zeros(p.data.size, p.data.dtype) if p.grad is None else p.grad.data.reshape(-1)
            for p in self._params
        ]
        return xp.concatenate(views)

    def _add_grad(self, step_size: float, update: Any) -> None:
        offset = 0
        for p in self._params:
            n = p.data.size
            p.data += step_size * update[offset : offset + n].reshape(p.data.shape)
            offset += n

    def _directional_evaluate(self, closure: Callable, x: list, t: float, d: Any) -> tuple[float, Any]:
        """Loss and flat gradient at x + t * d; the parameters go back to x."""
        self._add_grad(t, d)
        with enable_grad():
            loss = float(closure())
        flat_grad = self._gather_flat_grad()
        for p, saved in zip(self._params, x):
            p.data[...] = saved
        return loss, flat_grad

    # ----- the step ----------------------------------------------------------------------
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Run up to max_iter L-BFGS iterations; `closure()` zeroes the grads, computes the loss,
        calls backward and returns the loss. Returns the loss of the first call."""
        if closure is None:
            raise TypeError(
                "LBFGS.step() needs a closure that zeroes the gradients, computes the loss, calls "
                "backward and returns the loss: opt.step(closure); fit() cannot drive LBFGS"
            )
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        history_size = group["history_size"]
        xp = backend.array_module(self._params[0].data)

        # LBFGS's state is global; like torch, it is kept as the first parameter's
        state = self.state.setdefault(self._params[0], {})
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        with enable_grad():
            orig_loss = closure()
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._gather_flat_grad()
        opt_cond = float(xp.max(xp.abs(flat_grad))) <= tolerance_grad
        if opt_cond:
            return orig_loss

        d, t = state.get("d"), state.get("t")
        old_dirs, old_stps, ro = state.get("old_dirs"), state.get("old_stps"), state.get("ro")
        H_diag = state.get("H_diag")
        prev_flat_grad, prev_loss = state.get("prev_flat_grad"), state.get("prev_loss")

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1

            # the direction: steepest descent first, then the two-loop L-BFGS recursion
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro = [], [], []
                H_diag = 1.0
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = float(y @ s)
                if ys > 1e-10:
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    H_diag = ys / float(y @ y)
                num_old = len(old_dirs)
                if "al" not in state:
                    state["al"] = [None] * history_size
                al = state["al"]
                q = -flat_grad
                for i in range(num_old - 1, -1, -1):
                    al[i] = float(old_stps[i] @ q) * ro[i]
                    q -= al[i] * old_dirs[i]
                d = r = q * H_diag
                for i in range(num_old):
                    be_i = float(old_dirs[i] @ r) * ro[i]
                    r += (al[i] - be_i) * old_stps[i]

            if prev_flat_grad is None:
                prev_flat_grad = flat_grad.copy()
            else:
                prev_flat_grad[...] = flat_grad
            prev_loss = loss

            # the step length
            if state["n_iter"] == 1:
                t = min(1.0, 1.0 / float(xp.sum(xp.abs(flat_grad)))) * lr
            else:
                t = lr
            gtd = float(flat_grad @ d)
            if gtd > -tolerance_change:
                break

            ls_func_evals = 0
            if group["line_search_fn"] is not None:
                x_init = [p.data.copy() for p in self._params]

                def obj_func(x: list, t: float, d: Any) -> tuple[float, Any]:
                    return self._directional_evaluate(closure, x, t, d)

                # torch's search keeps its own tolerance_change (1e-9), as here
                loss, flat_grad, t, ls_func_evals = strong_wolfe(
                    obj_func, x_init, t, d, loss, flat_grad, gtd, max_ls=max_eval - current_evals
                )
                self._add_grad(t, d)
                opt_cond = float(xp.max(xp.abs(flat_grad))) <= tolerance_grad
            else:
                self._add_grad(t, d)
                if n_iter != max_iter:
                    # the last iteration's point is evaluated by the next step's first call
                    with enable_grad():
                        loss = float(closure())
                    flat_grad = self._gather_flat_grad()
                    opt_cond = float(xp.max(xp.abs(flat_grad))) <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals

            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if float(xp.max(xp.abs(d * t))) <= tolerance_change:
                break  # the parameters hardly move
            if abs(loss - prev_loss) < tolerance_change:
                break  # the loss hardly changes

        state.update(
            d=d, t=t, old_dirs=old_dirs, old_stps=old_stps, ro=ro, H_diag=H_diag,
            prev_flat_grad=prev_flat_grad, prev_loss=prev_loss,
        )  # fmt: skip
        return orig_loss

    # ----- saving and resuming ----------------------------------------------------------
    def _export_state(self, state: dict, group: dict) -> dict:
        out: dict = {}
        for name, value in state.items():
            if name in _LISTS:
                out.update({f"{name}.{i}": backend.to_numpy(a).copy() for i, a in enumerate(value)})
            elif name in ("ro", "al"):
                out[name] = list(value)
            else:
                out[name] = backend.to_numpy(value).copy() if hasattr(value, "shape") else value
        return out

    def load_state_dict(self, state_dict: dict) -> None:
        """Resume from `state_dict()` (or torch's, with its lists of tensors as NumPy arrays)."""
        if not isinstance(state_dict, dict) or set(state_dict) != {"state", "param_groups"}:
            raise ValueError(f"{self._name}: expected a dict with 'state' and 'param_groups' entries")
        saved = dict(state_dict["state"])
        if any(int(k) != 0 for k in saved):
            raise ValueError(f"{self._name}: its state belongs to parameter 0, got {sorted(saved)}")
        entry = self._checked_state(next(iter(saved.values()))) if saved else None
        super().load_state_dict({"state": {}, "param_groups": state_dict["param_groups"]})
        self.state = {} if entry is None else {self._params[0]: entry}

    def _checked_state(self, saved: dict) -> dict:
        """The saved state, checked and converted to this optimizer's arrays and numbers."""
        p0 = self._params[0].data
        xp, size = backend.array_module(p0), sum(p.data.size for p in self._params)

        def vector(name: str, value: Any) -> Any:
            if not hasattr(value, "shape") or tuple(value.shape) != (size,) or value.dtype.kind != "f":
                shape = getattr(value, "shape", type(value).__name__)
                raise ValueError(
                    f"{self._name}: saved {name!r} has shape {shape}; the parameters hold {size} numbers"
                )
            return xp.asarray(value, dtype=p0.dtype).copy()

        def number(value: Any) -> Any:
            return None if value is None else float(np.asarray(backend.to_numpy(value)).item())

        entry: dict = {}
        lists: dict = {name: {} for name in _LISTS}
        for name, value in saved.items():
            base, _, index = name.partition(".")
            if base in _LISTS and index.isdigit():
                lists[base][int(index)] = value
            elif name in _LISTS:
                lists[name].update(enumerate(value))
            elif name in ("func_evals", "n_iter"):
                entry[name] = int(np.asarray(backend.to_numpy(value)).item())
            elif name in _VECTORS:
                entry[name] = vector(name, value)
            elif name in _FLOATS:
                entry[name] = number(value)
            elif name in ("ro", "al"):
                entry[name] = [number(v) for v in value]
            else:
                raise ValueError(f"{self._name}: unknown state entry {name!r}")
        for name, found in lists.items():
            if sorted(found) != list(range(len(found))):
                raise ValueError(f"{self._name}: saved {name} entries {sorted(found)} are not 0, 1, ...")
            if found or "d" in entry:
                entry[name] = [vector(f"{name}.{i}", found[i]) for i in range(len(found))]
        if "d" in entry and not (
            len(entry["old_dirs"]) == len(entry["old_stps"]) == len(entry.get("ro", []))
        ):
            raise ValueError(f"{self._name}: saved old_dirs, old_stps and ro differ in length")
        return entry
