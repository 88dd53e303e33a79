"""Cycles and chains of schedules: OneCycleLR, CosineAnnealingWarmRestarts and SequentialLR.

OneCycleLR is stepped after every batch (it also cycles SGD's momentum or Adam's beta1);
CosineAnnealingWarmRestarts after every epoch, or with a fractional epoch after every batch;
SequentialLR hands over from one scheduler to the next at given epochs (e.g. a warmup, then a
decay). The formulas are torch.optim.lr_scheduler's, so both libraries give the same sequences.
"""

from __future__ import annotations

import math
import numbers
from bisect import bisect_right
from typing import Any

from jaring.optim.lr_factor import EpochZeroScheduler, per_group
from jaring.optim.lr_plateau import ReduceLROnPlateau
from jaring.optim.lr_scheduler import CosineAnnealingLR, ExponentialLR, LRScheduler, StepLR, _positive_int
from jaring.optim.optimizer import Optimizer, check_number

_ONE_CYCLE = "OneCycleLR"


def _momentum(owner: str, name: str, value: Any) -> float:
    return check_number(owner, name, value, 0.0, 1.0)


def _positive(owner: str, name: str, value: Any) -> float:
    value = check_number(owner, name, value)
    if value == 0:
        raise ValueError(f"{owner}: {name} must be > 0, got {value}")
    return value


class OneCycleLR(EpochZeroScheduler):
    """The 1cycle policy: warm up from max_lr / div_factor to max_lr over the first `pct_start` of
    `total_steps`, then anneal to max_lr / div_factor / final_div_factor (three_phase=True: back down
    to the start first, symmetrically, then to the minimum). Momentum (SGD's momentum, Adam's beta1)
    moves the other way, between max_momentum and base_momentum, unless cycle_momentum=False.

    Give total_steps, or epochs and steps_per_epoch; call `step()` after every batch (fit steps
    it once per epoch instead, so there give total_steps=epochs).

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> opt = optim.SGD([jaring.zeros(1, requires_grad=True)], lr=0.1, momentum=0.9)
        >>> scheduler = optim.OneCycleLR(
        ...     opt, max_lr=1.0, total_steps=10, pct_start=0.2, anneal_strategy="linear"
        ... )
        >>> lrs, momenta = [], []
        >>> for batch in range(10):
        ...     lrs.append(round(opt.lr, 4))
        ...     momenta.append(round(opt.param_groups[0]["momentum"], 4))
        ...     scheduler.step()
        >>> lrs
        [0.04, 1.0, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125, 0.0]
        >>> momenta
        [0.95, 0.85, 0.8625, 0.875, 0.8875, 0.9, 0.9125, 0.925, 0.9375, 0.95]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float | list[float],
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        cycle_momentum: bool = True,
        base_momentum: float | list[float] = 0.85,
        max_momentum: float | list[float] = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
    ) -> None:
        owner = _ONE_CYCLE
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{owner} needs a jaring optimizer, got {type(optimizer).__name__}")
        if total_steps is not None:
            self.total_steps = _positive_int(owner, "total_steps", total_steps)
        elif epochs is not None and steps_per_epoch is not None:
            self.total_steps = _positive_int(owner, "epochs", epochs) * _positive_int(
                owner, "steps_per_epoch", steps_per_epoch
            )
        else:
            raise ValueError(f"{owner}: give total_steps, or both epochs and steps_per_epoch")
        pct = check_number(owner, "pct_start", pct_start)
        if pct > 1.0:
            raise ValueError(f"{owner}: pct_start must be in [0, 1], got {pct}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"{owner}: anneal_strategy must be 'cos' or 'linear', got {anneal_strategy!r}")
        self.pct_start, self.anneal_strategy, self.three_phase = pct, anneal_strategy, bool(three_phase)
        self.div_factor = _positive(owner, "div_factor", div_factor)
        self.final_div_factor = _positive(owner, "final_div_factor", final_div_factor)
        total = self.total_steps
        # Each phase: its last step and the per-group lists (attributes) it goes from and to.
        if self.three_phase:
            ends = [float(pct * total) - 1, float(2 * pct * total) - 2, total - 1]
            lrs = [("base_lrs", "max_lrs"), ("max_lrs", "base_lrs"), ("base_lrs", "min_lrs")]
            moms = [("max_momentums", "base_momentums"), ("base_momentums", "max_momentums")]
            moms.append(("max_momentums", "max_momentums"))
        else:
            ends = [float(pct * total) - 1, total - 1]
            lrs = [("base_lrs", "max_lrs"), ("max_lrs", "min_lrs")]
            moms = [("max_momentums", "base_momentums"), ("base_momentums", "max_momentums")]
        if ends[0] == 0 or ends[-1] == ends[-2]:
            raise ValueError(
                f"{owner}: pct_start={pct} with total_steps={total} leaves a phase of no steps "
                "(torch divides by zero there); choose another pct_start"
            )
        self._phases = [[end, *lr, *mom] for end, lr, mom in zip(ends, lrs, moms)]
        self.max_lrs = per_group(owner, "max_lr", max_lr, optimizer, check_number)
        self.cycle_momentum = bool(cycle_momentum)
        self.use_beta1 = "betas" in optimizer.defaults
        self.max_momentums = self.base_momentums = None
        if self.cycle_momentum:
            if "momentum" not in optimizer.defaults and not self.use_beta1:
                raise ValueError(
                    f"{owner}: cycle_momentum=True needs an optimizer with momentum (SGD, RMSprop) or "
                    f"betas (Adam, AdamW); {type(optimizer).__name__} has neither, pass cycle_momentum=False"
                )
            self.max_momentums = per_group(owner, "max_momentum", max_momentum, optimizer, _momentum)
            self.base_momentums = per_group(owner, "base_momentum", base_momentum, optimizer, _momentum)
        # Everything is checked: now the groups change, as torch changes them.
        groups = optimizer.param_groups
        for group, top in zip(groups, self.max_lrs):
            group["initial_lr"] = top / self.div_factor
        self.min_lrs = [g["initial_lr"] / self.final_div_factor for g in groups]
        for group, momentum in zip(groups, self.max_momentums or []):
            self._set_momentum(group, momentum)
        super().__init__(optimizer)

    def _set_momentum(self, group: dict, momentum: float) -> None:
        if self.use_beta1:
            group["betas"] = (momentum, *group["betas"][1:])
        else:
            group["momentum"] = momentum

    def _anneal(self, start: float, end: float, pct: float) -> float:
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def _next_lrs(self) -> list[float]:
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(
                f"{_ONE_CYCLE}: stepped {step} times, but total_steps is {self.total_steps}; "
                "build the scheduler with the number of batches you train for"
            )
        lrs = []
        for i, group in enumerate(self.optimizer.param_groups):
            start = 0.0
            for k, (end, lr_from, lr_to, mom_from, mom_to) in enumerate(self._phases):
                if step <= end or k == len(self._phases) - 1:
                    pct = (step - start) / (end - start)
                    lrs.append(self._anneal(getattr(self, lr_from)[i], getattr(self, lr_to)[i], pct))
                    if self.cycle_momentum:
                        momentum = self._anneal(getattr(self, mom_from)[i], getattr(self, mom_to)[i], pct)
                        self._set_momentum(group, momentum)
                    break
                start = end
        return lrs


class CosineAnnealingWarmRestarts(EpochZeroScheduler):
    """Cosine annealing from base_lr to eta_min over T_0 epochs, then a restart at base_lr, each
    cycle T_mult times longer than the last (SGDR): lr = eta_min + (base_lr - eta_min) *
    (1 + cos(pi * T_cur / T_i)) / 2. `step(epoch)` with a float epoch places the schedule within
    an epoch, e.g. step(epoch + batch / batches) after every batch.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> opt = optim.SGD([jaring.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = optim.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2)
        >>> lrs = []
        >>> for epoch in range(7):
        ...     lrs.append(round(opt.lr, 4))
        ...     scheduler.step()
        >>> lrs
        [1.0, 0.5, 1.0, 0.8536, 0.5, 0.1464, 1.0]
    """

    def __init__(self, optimizer: Optimizer, T_0: int, T_mult: int = 1, eta_min: float = 0.0) -> None:
        owner = "CosineAnnealingWarmRestarts"
        self.T_0 = self.T_i = _positive_int(owner, "T_0", T_0)
        self.T_mult = _positive_int(owner, "T_mult", T_mult)
        self.eta_min = check_number(owner, "eta_min", eta_min)
        self.T_cur: float = -1
        super().__init__(optimizer)

    def _next_lrs(self) -> list[float]:
        eta_min, ratio = self.eta_min, self.T_cur / self.T_i
        return [eta_min + (base - eta_min) * (1 + math.cos(math.pi * ratio)) / 2 for base in self.base_lrs]

    def step(self, epoch: float | None = None) -> None:  # type: ignore[override]
        """Advance one epoch, or go to `epoch` (a number >= 0, fractions allowed)."""
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur = self.T_cur + 1
            if self.T_cur >= self.T_i:
                self.T_cur = self.T_cur % self.T_i
                self.T_i = self.T_i * self.T_mult
        else:
            if isinstance(epoch, bool) or not isinstance(epoch, numbers.Real) or not 0 <= epoch < math.inf:
                raise ValueError(
                    f"CosineAnnealingWarmRestarts.step: epoch must be a finite number >= 0, got {epoch!r}"
                )
            if epoch >= self.T_0:
                if self.T_mult == 1:
                    self.T_cur = epoch % self.T_0
                else:
                    n = int(math.log((epoch / self.T_0 * (self.T_mult - 1) + 1), self.T_mult))
                    self.T_cur = epoch - self.T_0 * (self.T_mult**n - 1) / (self.T_mult - 1)
                    self.T_i = self.T_0 * self.T_mult**n
            else:
                self.T_i = self.T_0
                self.T_cur = epoch
        self.last_epoch = math.floor(epoch)
        self._set_lrs(self._next_lrs())


def _restart(scheduler: LRScheduler) -> None:
    """What torch's SequentialLR does at a milestone: the scheduler's epoch 0 again, by its closed
    form where it has one (base_lr for StepLR and ExponentialLR)."""
    if isinstance(scheduler, EpochZeroScheduler):
        lrs = scheduler._restart_lrs()
    else:
        scheduler.last_epoch = 0
        if isinstance(scheduler, CosineAnnealingLR):
            eta_min = scheduler.eta_min
            lrs = [eta_min + (base - eta_min) * (1 + math.cos(0.0)) / 2 for base in scheduler.base_lrs]
        elif isinstance(scheduler, (StepLR, ExponentialLR)):
            lrs = list(scheduler.base_lrs)
        else:
            lrs = scheduler._next_lrs()
    for group, lr in zip(scheduler.optimizer.param_groups, lrs):
        group["lr"] = lr
    scheduler._last_lr = list(lrs)


class SequentialLR(LRScheduler):
    """Run `schedulers[0]` until epoch `milestones[0]`, then `schedulers[1]` from its start, and so on.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> opt = optim.SGD([jaring.zeros(1, requires_grad=True)], lr=1.0)
        >>> warmup = optim.LinearLR(opt, start_factor=0.25, total_iters=3)
        >>> decay = optim.ExponentialLR(opt, gamma=0.5)
        >>> scheduler = optim.SequentialLR(opt, schedulers=[warmup, decay], milestones=[3])
        >>> lrs = []
        >>> for epoch in range(6):
        ...     lrs.append(opt.lr)
        ...     scheduler.step()
        >>> lrs
        [0.25, 0.5, 0.75, 1.0, 0.5, 0.25]
    """

    def __init__(self, optimizer: Optimizer, schedulers: list[LRScheduler], milestones: list[int]) -> None:
        owner = "SequentialLR"
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{owner} needs a jaring optimizer, got {type(optimizer).__name__}")
        if isinstance(schedulers, (str, bytes, dict, LRScheduler)) or not hasattr(schedulers, "__iter__"):
            raise TypeError(f"{owner}: schedulers must be a list of schedulers, got {schedulers!r:.80}")
        schedulers = list(schedulers)
        if not schedulers:
            raise ValueError(f"{owner}: schedulers is empty; give at least one scheduler")
        for i, s in enumerate(schedulers):
            if not isinstance(s, LRScheduler):
                raise TypeError(f"{owner}: schedulers[{i}] is a {type(s).__name__}, not a jaring LRScheduler")
            if isinstance(s, (ReduceLROnPlateau, SequentialLR)):
                raise ValueError(f"{owner}: schedulers[{i}] is a {type(s).__name__}, which cannot be chained")
            if s.optimizer is not optimizer:
                raise ValueError(f"{owner}: schedulers[{i}] adjusts a different optimizer than the one given")
        if isinstance(milestones, (str, bytes, dict)) or not hasattr(milestones, "__iter__"):
            raise TypeError(f"{owner}: milestones must be a list of epochs, got {milestones!r:.80}")
        milestones = [_positive_int(owner, "milestones", m) for m in milestones]
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                f"{owner}: {len(schedulers)} schedulers need {len(schedulers) - 1} milestones, "
                f"got {len(milestones)}"
            )
        if any(b <= a for a, b in zip(milestones, milestones[1:])):
            raise ValueError(f"{owner}: milestones must increase, got {milestones}")
        self.optimizer = optimizer
        self._schedulers = schedulers
        self._milestones = milestones
        self.last_epoch = 0
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        for s in schedulers:  # undo the step each made when it was built ...
            s.last_epoch -= 1
        schedulers[0].step()  # ... and redo the first one's
        self._last_lr = schedulers[0].get_last_lr()

    def step(self) -> None:
        """Advance one epoch with the scheduler whose turn it is."""
        self.last_epoch += 1
        idx = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[idx]
        if idx > 0 and self._milestones[idx - 1] == self.last_epoch:
            _restart(scheduler)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()

    def state_dict(self) -> dict:
        """Its counters and every chained scheduler's state_dict, as plain data."""
        state = {k: v for k, v in super().state_dict().items() if k != "_schedulers"}
        state["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return state

    def load_state_dict(self, state_dict: dict) -> None:
        """Resume from `state_dict()`, the chained schedulers too."""
        state = dict(state_dict)
        saved = state.pop("_schedulers", None)
        if not isinstance(saved, (list, tuple)) or len(saved) != len(self._schedulers):
            raise ValueError(
                f"SequentialLR: the state dict must hold the states of {len(self._schedulers)} schedulers"
            )
        super().load_state_dict(state)
        for s, entry in zip(self._schedulers, saved):
            s.load_state_dict(entry)

    def __repr__(self) -> str:
        chained = ", ".join(repr(s) for s in self._schedulers)
        where = f"milestones={self._milestones}, last_epoch={self.last_epoch}"
        return f"SequentialLR(schedulers=[{chained}], {where})"
