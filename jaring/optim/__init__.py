"""Optimizers, learning-rate schedulers and L1/L2 penalties, with PyTorch's formulas.

opt = jaring.optim.Adam(model.parameters(), lr=1e-3)   # or get_optimizer("adam", ...)
loss.backward(); opt.step(); opt.zero_grad()
LBFGS re-evaluates the loss: opt.step(closure), in your own loop (not a get_optimizer name).
"""

from __future__ import annotations

from typing import Any

from jaring.optim.adadelta import Adadelta
from jaring.optim.adagrad import Adagrad
from jaring.optim.adam import Adam, AdamW
from jaring.optim.adamax import Adamax
from jaring.optim.asgd import ASGD
from jaring.optim.lbfgs import LBFGS
from jaring.optim.lr_cycle import CosineAnnealingWarmRestarts, OneCycleLR, SequentialLR
from jaring.optim.lr_factor import ConstantLR, LambdaLR, LinearLR, MultiplicativeLR, MultiStepLR, PolynomialLR
from jaring.optim.lr_plateau import ReduceLROnPlateau
from jaring.optim.lr_scheduler import CosineAnnealingLR, ExponentialLR, LRScheduler, StepLR
from jaring.optim.nadam import NAdam
from jaring.optim.optimizer import Optimizer, Params
from jaring.ops.penalty import l1_penalty, l2_penalty, penalty
from jaring.optim.radam import RAdam
from jaring.optim.rmsprop import RMSprop
from jaring.optim.rprop import Rprop
from jaring.optim.sgd import SGD

# name -> (class, preset options); "gd" is plain gradient descent, "momentum" SGD with 0.9.
_OPTIMIZERS: dict[str, tuple[type, dict]] = {
    "sgd": (SGD, {}),
    "gd": (SGD, {}),
    "momentum": (SGD, {"momentum": 0.9}),
    "adam": (Adam, {}),
    "adamw": (AdamW, {}),
    "rmsprop": (RMSprop, {}),
    "adagrad": (Adagrad, {}),
    "adadelta": (Adadelta, {}),
    "adamax": (Adamax, {}),
    "nadam": (NAdam, {}),
    "radam": (RAdam, {}),
    "asgd": (ASGD, {}),
    "rprop": (Rprop, {}),
}


def get_optimizer(name: str, params: Params, lr: float | None = None, **kwargs: Any) -> Optimizer:
    """Build an optimizer by name: "sgd", "gd", "momentum", "adam", "adamw", "rmsprop", "adagrad",
    "adadelta", "adamax", "nadam", "radam", "asgd" or "rprop" (any case).

    `lr=None` keeps the optimizer's own default; other keyword arguments go to its constructor.

    Examples:
        >>> from jaring import nn, optim
        >>> model = nn.Linear(4, 2, seed=0)
        >>> adam = optim.get_optimizer("adam", model.parameters(), lr=0.01)
        >>> momentum = optim.get_optimizer("momentum", model.parameters())
        >>> group = momentum.param_groups[0]
        >>> type(adam).__name__, adam.lr, type(momentum).__name__, group["momentum"]
        ('Adam', 0.01, 'SGD', 0.9)
    """
    if not isinstance(name, str) or name.lower() not in _OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {sorted(_OPTIMIZERS)}")
    cls, preset = _OPTIMIZERS[name.lower()]
    options = {**preset, **kwargs}
    if lr is not None:
        options["lr"] = lr
    return cls(params, **options)


__all__ = [
    "ASGD",
    "LBFGS",
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "MultiplicativeLR",
    "NAdam",
    "OneCycleLR",
    "Optimizer",
    "PolynomialLR",
    "RAdam",
    "RMSprop",
    "ReduceLROnPlateau",
    "Rprop",
    "SequentialLR",
    "StepLR",
    "get_optimizer",
    "l1_penalty",
    "l2_penalty",
    "penalty",
]
