"""The keywords torch.optim's optimizers take beyond their hyperparameters: `maximize`, which
jaring implements (the gradient's sign is flipped before the update), and `foreach`, `fused`,
`capturable` and `differentiable`, which torch uses to pick among its implementations. jaring has
one implementation per optimizer, already fused (one compiled NumPy pass per parameter, see
jaring/kernels/optim.py), so those four are checked, kept in param_groups and state_dict as in
torch, and change nothing."""

from __future__ import annotations

from typing import Any

# torch's default for each keyword
DEFAULTS: dict[str, Any] = {
    "maximize": False,
    "foreach": None,
    "capturable": False,
    "differentiable": False,
    "fused": None,
}
# which of them each torch optimizer takes
ALL = ("maximize", "foreach", "capturable", "differentiable")
WITH_FUSED = ("maximize", "foreach", "differentiable", "fused")  # SGD, Adagrad
ADAM = ("maximize", "foreach", "capturable", "differentiable", "fused")


def option_defaults(owner: str, accepted: tuple[str, ...], given: dict) -> dict:
    """The torch keywords of one optimizer, `given` over torch's defaults; an unknown keyword is
    the TypeError Python raises for any unexpected keyword argument."""
    unknown = sorted(set(given) - set(accepted))
    if unknown:
        raise TypeError(f"{owner}.__init__() got an unexpected keyword argument {unknown[0]!r}")
    return {name: given.get(name, DEFAULTS[name]) for name in accepted}


def check_options(owner: str, group: dict) -> None:
    """Check the torch keywords present in one group: maximize, capturable and differentiable are
    bools, foreach and fused bools or None, and not both True (torch's RuntimeError)."""
    for name in DEFAULTS:
        if name not in group:
            continue
        value = group[name]
        optional = DEFAULTS[name] is None
        if not (isinstance(value, bool) or (optional and value is None)):
            kind = "a bool or None" if optional else "a bool"
            raise TypeError(f"{owner}: {name} must be {kind}, got {value!r}")
    if group.get("fused") and group.get("foreach"):
        raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
