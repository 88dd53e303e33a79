"""Oracle for the optimizers ported from torch.optim: jaring and torch stepped together on the same
parameters and gradients, parameters and state compared after every step.

Two parameter groups (the second with its own learning rate and options), shapes (3, 4), (1,),
() and (2, 1, 3), some gradients left None (that parameter and its state must stay as they
are), and a third jaring optimizer rebuilt halfway from a JSON + npz round trip of the first
one's state_dict, which must continue bit for bit.
"""

from __future__ import annotations

import io
import json
from typing import Any
from collections.abc import Callable

import numpy as np
import torch

import jaring

SHAPES = [(3, 4), (1,), (), (2, 1, 3)]
TOLERANCE = {np.float64: dict(rtol=1e-6, atol=1e-12), np.float32: dict(rtol=1e-5, atol=1e-7)}
MISSING = {(0, 2), (4, 1), (5, 1), (11, 0)}  # (step, parameter) without a gradient


def _groups(tensors: list, second: dict) -> list[dict]:
    return [{"params": tensors[:2]}, {"params": tensors[2:], **second}]


def through_json_and_npz(state_dict: dict) -> dict:
    """The state as a checkpoint stores it: arrays to .npz, everything else to JSON, and back."""
    arrays, meta = {}, {"param_groups": state_dict["param_groups"], "state": {}}
    for index, entry in state_dict["state"].items():
        meta["state"][index] = {}
        for name, value in entry.items():
            if isinstance(value, np.ndarray):
                arrays[f"{index}.{name}"] = value
                meta["state"][index][name] = {"array": f"{index}.{name}"}
            else:
                meta["state"][index][name] = value
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    buffer.seek(0)
    loaded = np.load(buffer, allow_pickle=False)
    meta = json.loads(json.dumps(meta))
    for entry in meta["state"].values():
        for name, value in entry.items():
            if isinstance(value, dict):
                entry[name] = loaded[value["array"]]
    return meta


def torch_state_as_numpy(topt: torch.optim.Optimizer) -> dict:
    """torch's state_dict with tensors as NumPy arrays (0-d ones included), for jaring to load."""
    saved = topt.state_dict()
    state = {
        k: {name: v.detach().numpy().copy() if torch.is_tensor(v) else v for name, v in entry.items()}
        for k, entry in saved["state"].items()
    }
    return {"state": state, "param_groups": saved["param_groups"]}


def _as_number_or_array(value: Any) -> Any:
    return value.detach().numpy() if torch.is_tensor(value) else value


def compare_state(jopt: Any, jparams: list, topt: Any, tparams: list, dtype: Any, what: str) -> None:
    """The same state names and values for every parameter, and none where torch has none."""
    for i, (j, t) in enumerate(zip(jparams, tparams)):
        tstate = topt.state.get(t, {})
        jstate = jopt.state.get(j, {})
        assert set(jstate) == set(tstate), (
            f"{what}, parameter {i}: state {sorted(jstate)} vs {sorted(tstate)}"
        )
        for name, expected in tstate.items():
            value = jstate[name]
            if hasattr(value, "dtype"):
                assert value.dtype == dtype, f"{what}: state {name!r} of parameter {i} is {value.dtype}"
            np.testing.assert_allclose(
                value,
                _as_number_or_array(expected),
                **TOLERANCE[dtype],
                err_msg=f"{what}, {name}, parameter {i}",
            )


def run_side_by_side(
    jaring_cls: type,
    torch_cls: type,
    options: dict,
    dtype: Any = np.float64,
    steps: int = 24,
    second: dict | None = None,
    grad: Callable[[np.ndarray, int], np.ndarray] | None = None,
    seed: int = 0,
) -> dict:
    """Step jaring and torch `steps` times with `options` (the second group also gets `second`,
    by default half the first group's learning rate); compare parameters and state after every
    step. Halfway, a copy of jaring's state_dict goes through JSON + npz into a fresh optimizer
    over copies of the parameters, and into another from torch's own state_dict: both must
    continue as the first does. `grad(g, step)` reshapes the random gradients (e.g. their sign).
    torch keeps scalar state (step, eta, mu_product) in its default dtype, so a float64 run sets
    that to float64, as jaring keeps such numbers as Python floats. Returns the worst relative
    difference of a parameter seen (against max(|torch's|, 1e-3)), for reports."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64 if dtype == np.float64 else torch.float32)
    try:
        return _run(jaring_cls, torch_cls, options, dtype, steps, second, grad, seed)
    finally:
        torch.set_default_dtype(previous)


def _run(
    jaring_cls: type,
    torch_cls: type,
    options: dict,
    dtype: Any,
    steps: int,
    second: Any,
    grad: Any,
    seed: int,
) -> dict:
    second = {"lr": options.get("lr", 1e-2) * 0.5} if second is None else second
    rng = np.random.default_rng(seed)
    init = [rng.standard_normal(s).astype(dtype) for s in SHAPES]
    jp = [jaring.tensor(a.copy(), requires_grad=True) for a in init]
    tp = [torch.tensor(a.copy(), requires_grad=True) for a in init]
    jopt = jaring_cls(_groups(jp, second), **options)
    topt = torch_cls(_groups(tp, second), **options)
    copies: list = []  # (parameters, optimizer) rebuilt from a saved state
    worst = 0.0
    for k in range(steps):
        if k == steps // 2:
            for saved in (through_json_and_npz(jopt.state_dict()), torch_state_as_numpy(topt)):
                params = [jaring.tensor(p.numpy().copy(), requires_grad=True) for p in jp]
                fresh = jaring_cls(_groups(params, {}), **{**options, "lr": 123.0})
                fresh.load_state_dict(saved)
                assert [g["lr"] for g in fresh.param_groups] == [g["lr"] for g in jopt.param_groups]
                copies.append((params, fresh))
        grads = [rng.standard_normal(s).astype(dtype) for s in SHAPES]
        if grad is not None:
            grads = [grad(g, k).astype(dtype) for g in grads]
        for i, g in enumerate(grads):
            missing = (k, i) in MISSING
            tp[i].grad = None if missing else torch.tensor(g.copy())
            for params in [jp] + [c[0] for c in copies]:
                params[i].grad = None if missing else jaring.tensor(g.copy())
        topt.step()
        jopt.step()
        for _, fresh in copies:
            fresh.step()
        what = f"{jaring_cls.__name__} {options}, step {k + 1}"
        for i, (j, t) in enumerate(zip(jp, tp)):
            assert j.dtype == dtype, f"{what}: parameter {i} changed dtype to {j.dtype}"
            expected = t.detach().numpy()
            np.testing.assert_allclose(
                j.numpy(), expected, **TOLERANCE[dtype], err_msg=f"{what}, parameter {i}"
            )
            if j.grad is not None:  # the step must not touch the gradient
                np.testing.assert_array_equal(j.grad.numpy(), grads[i])
            scale = np.maximum(np.abs(expected), 1e-3)
            worst = max(worst, float(np.max(np.abs(j.numpy() - expected) / scale, initial=0.0)))
        compare_state(jopt, jp, topt, tp, dtype, what)
        resumed, from_torch = copies if copies else ((None, None), (None, None))
        if resumed[0] is not None:
            for a, b in zip(jp, resumed[0]):
                np.testing.assert_array_equal(
                    a.numpy(), b.numpy(), err_msg=f"{what}: resumed from state_dict"
                )
            compare_state(from_torch[1], from_torch[0], topt, tp, dtype, f"{what}, loaded from torch")
            for a, t in zip(from_torch[0], tp):
                np.testing.assert_allclose(a.numpy(), t.detach().numpy(), **TOLERANCE[dtype], err_msg=what)
    assert set(jopt.state_dict()["state"][0]) == set(topt.state_dict()["state"][0])
    return {"worst_relative": worst}
