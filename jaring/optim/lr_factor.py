"""Factor schedules: LambdaLR, MultiplicativeLR, MultiStepLR, ConstantLR, LinearLR and PolynomialLR.

Each multiplies a group's rate by a factor that depends on the epoch, with torch.optim.lr_scheduler's
recursive formulas (and its closed forms where SequentialLR restarts one at a milestone), so both
libraries produce the same sequence. Call `scheduler.step()` once per epoch, after `optimizer.step()`.
"""

from __future__ import annotations

import numbers
import types
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from jaring.optim.lr_scheduler import LRScheduler, _positive_int
from jaring.optim.optimizer import Optimizer, check_number


class EpochZeroScheduler(LRScheduler):
    """An LRScheduler whose `_next_lrs()` also gives epoch 0, the rates set when it is built (torch's
    initial step), and whose `_restart_lrs()` gives the rates SequentialLR sets when it hands over to
    it at a milestone (torch's closed form at epoch 0, or its get_lr where it has none)."""

    def step(self) -> None:
        """Advance one epoch and set each group's lr."""
        self.last_epoch += 1
        self._set_lrs(self._next_lrs())

    def _set_lrs(self, lrs: list[float]) -> None:
        for group, lr in zip(self.optimizer.param_groups, lrs):
            group["lr"] = lr
        self._last_lr = list(lrs)

    def _closed_form(self) -> list[float]:
        return self._next_lrs()

    def _restart_lrs(self) -> list[float]:
        self.last_epoch = 0
        return self._closed_form()


def per_group(owner: str, name: str, value: Any, optimizer: Optimizer, check: Callable) -> list:
    """One value per parameter group: a list or tuple of that length, or a single value repeated;
    each passed through `check(owner, label, item)`."""
    groups = len(optimizer.param_groups) if isinstance(optimizer, Optimizer) else 1
    if isinstance(value, (list, tuple)):
        if len(value) != groups:
            raise ValueError(
                f"{owner}: {name} must be one value or a list of {groups} (one per parameter group), "
                f"got {len(value)}"
            )
        return [check(owner, f"{name}[{i}]", v) for i, v in enumerate(value)]
    return [check(owner, name, value)] * groups


def _nonnegative_int(owner: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{owner}: {name} must be an integer >= 0, got {value!r}")
    return int(value)


def _callable(owner: str, name: str, value: Any) -> Callable:
    if not callable(value):
        raise TypeError(f"{owner}: {name} must be a function of the epoch, got {type(value).__name__}")
    return value


class _LambdaBase(EpochZeroScheduler):
    """The lambdas stay out of state_dict, as in torch: a plain function is saved as None, a callable
    object as a copy of its __dict__ (restored into the object on load)."""

    def __init__(self, optimizer: Optimizer, lr_lambda: Callable | list[Callable]) -> None:
        self.lr_lambdas = per_group(type(self).__name__, "lr_lambda", lr_lambda, optimizer, _callable)
        super().__init__(optimizer)

    def _factor(self, fn: Callable) -> float:
        value = fn(self.last_epoch)
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(
                f"{type(self).__name__}: lr_lambda({self.last_epoch}) returned {value!r:.60}, not a number"
            )
        return float(value)

    def state_dict(self) -> dict:
        state = super().state_dict()
        state["lr_lambdas"] = [
            None if isinstance(fn, types.FunctionType) or not hasattr(fn, "__dict__") else dict(vars(fn))
            for fn in self.lr_lambdas
        ]
        return state

    def load_state_dict(self, state_dict: dict) -> None:
        state = dict(state_dict)
        saved = state.pop("lr_lambdas", [None] * len(self.lr_lambdas))
        if not isinstance(saved, (list, tuple)) or len(saved) != len(self.lr_lambdas):
            raise ValueError(f"{type(self).__name__}: the state dict holds {saved!r:.80} for lr_lambdas")
        super().load_state_dict(state)
        for fn, attributes in zip(self.lr_lambdas, saved):
            if attributes is not None:
                vars(fn).update(attributes)


class LambdaLR(_LambdaBase):
    """lr = base_lr * lr_lambda(epoch), with one function for all groups or a list of one per group.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> opt = optim.SGD([jaring.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = optim.LambdaLR(opt, lr_lambda=lambda epoch: 1 / (epoch + 1))
        >>> lrs = []
        >>> for epoch in range(4):
        ...     lrs.append(round(opt.lr, 4))
        ...     scheduler.step()
        >>> lrs
        [1.0, 0.5, 0.3333, 0.25]
    """

    def _next_lrs(self) -> list[float]:
        return [base * self._factor(fn) for fn, base in zip(self.lr_lambdas, self.base_lrs)]


class MultiplicativeLR(_LambdaBase):
    """Multiply the current rate by lr_lambda(epoch) every epoch (from epoch 1 on).

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> opt = optim.SGD([jaring.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = optim.MultiplicativeLR(opt, lr_lambda=lambda epoch: 0.5)
        >>> lrs = []
        >>> for epoch in range(4):
        ...     lrs.append(opt.lr)
        ...     scheduler.step()
        >>> lrs
        [1.0, 0.5, 0.25, 0.125]
    """

    def _next_lrs(self) -> list[float]:
        groups = self.optimizer.param_groups
        if self.last_epoch == 0:
            return [g["lr"] for g in groups]
        return self._multiplied()

    def _multiplied(self) -> list[float]:
        return [g["lr"] * self._factor(fn) for fn, g in zip(self.lr_lambdas, self.optimizer.param_groups)]

    def _closed_form(self) -> list[float]:  # torch has none: its get_lr at epoch 0, not initial
        return self._multiplied()


class MultiStepLR(EpochZeroScheduler):
    """Multiply the rate by `gamma` at each milestone epoch: lr = base_lr * gamma ** (milestones passed).

    A milestone given twice multiplies by gamma twice, as in torch.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> opt = optim.SGD([jaring.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = optim.MultiStepLR(opt, milestones=[2, 3], gamma=0.5)
        >>> lrs = []
        >>> for epoch in range(5):
        ...     lrs.append(opt.lr)
        ...     scheduler.step()
        >>> lrs
        [1.0, 1.0, 0.5, 0.25, 0.25]
    """

    def __init__(self, optimizer: Optimizer, milestones: Any, gamma: float = 0.1) -> None:
        if isinstance(milestones, (str, bytes, dict)) or not hasattr(milestones, "__iter__"):
            raise TypeError(f"MultiStepLR: milestones must be a list of epochs, got {milestones!r:.80}")
        self.milestones = sorted(_nonnegative_int("MultiStepLR", "milestones", m) for m in milestones)
        self.gamma = check_number("MultiStepLR", "gamma", gamma)
        super().__init__(optimizer)

    def _next_lrs(self) -> list[float]:
        groups, hits = self.optimizer.param_groups, self.milestones.count(self.last_epoch)
        if not hits:
            return [g["lr"] for g in groups]
        return [g["lr"] * self.gamma**hits for g in groups]

    def _closed_form(self) -> list[float]:
        return [base * self.gamma ** bisect_right(self.milestones, self.last_epoch) for base in self.base_lrs]


class ConstantLR(EpochZeroScheduler):
    """lr = base_lr * factor for the first `total_iters` epochs, then base_lr.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> opt = optim.SGD([jaring.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = optim.ConstantLR(opt, factor=0.5, total_iters=2)
        >>> lrs = []
        >>> for epoch in range(4):
        ...     lrs.append(opt.lr)
        ...     scheduler.step()
        >>> lrs
        [0.5, 0.5, 1.0, 1.0]
    """

    def __init__(self, optimizer: Optimizer, factor: float = 1.0 / 3, total_iters: int = 5) -> None:
        self.factor = check_number("ConstantLR", "factor", factor)
        if self.factor > 1.0:
            raise ValueError(f"ConstantLR: factor must be in [0, 1], got {self.factor}")
        self.total_iters = _nonnegative_int("ConstantLR", "total_iters", total_iters)
        super().__init__(optimizer)

    def _next_lrs(self) -> list[float]:
        groups = self.optimizer.param_groups
        if self.last_epoch == 0:
            return [g["lr"] * self.factor for g in groups]
        if self.last_epoch != self.total_iters:
            return [g["lr"] for g in groups]
        return [g["lr"] * (1.0 / self.factor) for g in groups]

    def _closed_form(self) -> list[float]:
        done = self.last_epoch >= self.total_iters
        return [base * (self.factor + done * (1 - self.factor)) for base in self.base_lrs]


class LinearLR(EpochZeroScheduler):
    """Scale the rate by a factor that goes linearly from `start_factor` to `end_factor` over
    `total_iters` epochs, then stays: lr = base_lr * (start + (end - start) * min(epoch, total) / total).

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> opt = optim.SGD([jaring.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = optim.LinearLR(opt, start_factor=0.25, total_iters=3)
        >>> lrs = []
        >>> for epoch in range(5):
        ...     lrs.append(opt.lr)
        ...     scheduler.step()
        >>> lrs
        [0.25, 0.5, 0.75, 1.0, 1.0]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
    ) -> None:
        self.start_factor = check_number("LinearLR", "start_factor", start_factor)
        if not 0.0 < self.start_factor <= 1.0:
            raise ValueError(f"LinearLR: start_factor must be in (0, 1], got {self.start_factor}")
        self.end_factor = check_number("LinearLR", "end_factor", end_factor)
        if self.end_factor > 1.0:
            raise ValueError(f"LinearLR: end_factor must be in [0, 1], got {self.end_factor}")
        self.total_iters = _positive_int("LinearLR", "total_iters", total_iters)
        super().__init__(optimizer)

    def _next_lrs(self) -> list[float]:
        groups, epoch = self.optimizer.param_groups, self.last_epoch
        if epoch == 0:
            return [g["lr"] * self.start_factor for g in groups]
        if epoch > self.total_iters:
            return [g["lr"] for g in groups]
        change = self.end_factor - self.start_factor
        ratio = 1.0 + change / (self.total_iters * self.start_factor + (epoch - 1) * change)
        return [g["lr"] * ratio for g in groups]

    def _closed_form(self) -> list[float]:
        change, done = self.end_factor - self.start_factor, min(self.total_iters, self.last_epoch)
        return [base * (self.start_factor + change * done / self.total_iters) for base in self.base_lrs]


class PolynomialLR(EpochZeroScheduler):
    """Decay the rate to 0 over `total_iters` epochs: lr = base_lr * (1 - epoch / total_iters) ** power,
    then keep it.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> opt = optim.SGD([jaring.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = optim.PolynomialLR(opt, total_iters=4, power=2.0)
        >>> lrs = []
        >>> for epoch in range(6):
        ...     lrs.append(round(opt.lr, 4))
        ...     scheduler.step()
        >>> lrs
        [1.0, 0.5625, 0.25, 0.0625, 0.0, 0.0]
    """

    def __init__(self, optimizer: Optimizer, total_iters: int = 5, power: float = 1.0) -> None:
        self.total_iters = _positive_int("PolynomialLR", "total_iters", total_iters)
        self.power = check_number("PolynomialLR", "power", power)
        super().__init__(optimizer)

    def _next_lrs(self) -> list[float]:
        groups, epoch, total = self.optimizer.param_groups, self.last_epoch, self.total_iters
        if epoch == 0 or epoch > total:
            return [g["lr"] for g in groups]
        decay = ((1.0 - epoch / total) / (1.0 - (epoch - 1) / total)) ** self.power
        return [g["lr"] * decay for g in groups]

    def _closed_form(self) -> list[float]:
        left = 1.0 - min(self.total_iters, self.last_epoch) / self.total_iters
        return [base * left**self.power for base in self.base_lrs]
