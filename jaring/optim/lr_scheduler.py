"""Learning-rate schedulers: StepLR, ExponentialLR and CosineAnnealingLR, with PyTorch's formulas.

Call `scheduler.step()` once per epoch, after `optimizer.step()`. Each scheduler rewrites the
`lr` of every parameter group from that group's starting value (`initial_lr`), recursively
as PyTorch does, so both libraries produce the same sequence to the last bit.

The others live next door, all exported from jaring.optim: LambdaLR, MultiplicativeLR, MultiStepLR,
ConstantLR, LinearLR and PolynomialLR (lr_factor), OneCycleLR, CosineAnnealingWarmRestarts and
SequentialLR (lr_cycle), and ReduceLROnPlateau (lr_plateau), stepped with the value it monitors.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from jaring.optim.optimizer import Optimizer, check_number


class LRScheduler:
    """Base class: keeps the epoch counter and writes the new rates into the optimizer.

    A subclass computes each epoch's rates in `_next_lrs()`; `step()` once per epoch applies them.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> class Halving(optim.LRScheduler):
        ...     def _next_lrs(self):
        ...         return [group["lr"] / 2 for group in self.optimizer.param_groups]
        >>> opt = optim.SGD([jaring.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = Halving(opt)
        >>> scheduler.step()
        >>> scheduler.step()
        >>> scheduler.get_last_lr(), scheduler.last_epoch, opt.lr
        ([0.25], 2, 0.25)
    """

    def __init__(self, optimizer: Optimizer) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(self).__name__} needs a jaring optimizer, got {type(optimizer).__name__}")
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = -1
        self.step()

    def _next_lrs(self) -> list[float]:
        """The rates for epoch `last_epoch` (>= 1), computed from the current ones as PyTorch does."""
        raise NotImplementedError

    def step(self) -> None:
        """Advance one epoch and set each group's lr."""
        self.last_epoch += 1
        lrs = self._next_lrs() if self.last_epoch > 0 else [g["lr"] for g in self.optimizer.param_groups]
        for group, lr in zip(self.optimizer.param_groups, lrs):
            group["lr"] = lr
        self._last_lr = list(lrs)

    def get_last_lr(self) -> list[float]:
        """The learning rate of each parameter group set by the last step."""
        return list(self._last_lr)

    def state_dict(self) -> dict:
        """Epoch counter, base rates and settings, as plain numbers and lists."""
        return {k: (list(v) if isinstance(v, list) else v) for k, v in vars(self).items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict) -> None:
        """Resume from `state_dict()` (load the optimizer's own state dict as well)."""
        unknown = sorted(set(state_dict) - set(vars(self)))
        if unknown:
            raise ValueError(f"{type(self).__name__}: unknown entries {unknown} in the state dict")
        self.__dict__.update(
            {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in state_dict.items()}
        )

    def __repr__(self) -> str:
        settings = ", ".join(
            f"{k}={v}"
            for k, v in vars(self).items()
            if not k.startswith("_") and k not in ("optimizer", "base_lrs", "last_epoch")
        )
        return f"{type(self).__name__}({settings}, last_epoch={self.last_epoch})"


def _positive_int(owner: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{owner}: {name} must be a positive integer, got {value!r}")
    return int(value)


class StepLR(LRScheduler):
    """Multiply the rate by `gamma` every `step_size` epochs: lr = base_lr * gamma ** (epoch // step_size).

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> opt = optim.SGD([jaring.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = optim.StepLR(opt, step_size=2, gamma=0.5)
        >>> lrs = []
        >>> for epoch in range(4):
        ...     lrs.append(round(opt.lr, 4))
        ...     scheduler.step()
        >>> lrs
        [1.0, 1.0, 0.5, 0.5]
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        self.step_size = _positive_int("StepLR", "step_size", step_size)
        self.gamma = check_number("StepLR", "gamma", gamma)
        super().__init__(optimizer)

    def _next_lrs(self) -> list[float]:
        groups = self.optimizer.param_groups
        if self.last_epoch % self.step_size != 0:
            return [g["lr"] for g in groups]
        return [g["lr"] * self.gamma for g in groups]


class ExponentialLR(LRScheduler):
    """Multiply the rate by `gamma` every epoch: lr = base_lr * gamma ** epoch.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> opt = optim.SGD([jaring.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = optim.ExponentialLR(opt, gamma=0.5)
        >>> lrs = []
        >>> for epoch in range(4):
        ...     lrs.append(round(opt.lr, 4))
        ...     scheduler.step()
        >>> lrs
        [1.0, 0.5, 0.25, 0.125]
    """

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        self.gamma = check_number("ExponentialLR", "gamma", gamma)
        super().__init__(optimizer)

    def _next_lrs(self) -> list[float]:
        return [g["lr"] * self.gamma for g in self.optimizer.param_groups]


class CosineAnnealingLR(LRScheduler):
    """Follow half a cosine from base_lr down to eta_min over T_max epochs (then back up, periodically):
    lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> opt = optim.SGD([jaring.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = optim.CosineAnnealingLR(opt, T_max=4)
        >>> lrs = []
        >>> for epoch in range(4):
        ...     lrs.append(round(opt.lr, 4))
        ...     scheduler.step()
        >>> lrs
        [1.0, 0.8536, 0.5, 0.1464]
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0) -> None:
        self.T_max = _positive_int("CosineAnnealingLR", "T_max", T_max)
        self.eta_min = check_number("CosineAnnealingLR", "eta_min", eta_min)
        super().__init__(optimizer)

    def _next_lrs(self) -> list[float]:
        groups, epoch, t_max, eta_min = self.optimizer.param_groups, self.last_epoch, self.T_max, self.eta_min
        if (epoch - 1 - t_max) % (2 * t_max) == 0:
            return [
                g["lr"] + (base - eta_min) * (1 - math.cos(math.pi / t_max)) / 2
                for base, g in zip(self.base_lrs, groups)
            ]
        ratio = (1 + math.cos(math.pi * epoch / t_max)) / (1 + math.cos(math.pi * (epoch - 1) / t_max))
        return [ratio * (g["lr"] - eta_min) + eta_min for g in groups]
