"""ReduceLROnPlateau: lower the learning rate when a monitored value stops improving, as in PyTorch.

Unlike the other schedulers it is stepped with the value it watches, `scheduler.step(val_loss)`;
fit() does that after each epoch, with the validation loss (the training loss without validation
data). It is an LRScheduler, as in recent PyTorch, so fit accepts it and checkpoints save its state.
"""

from __future__ import annotations

import math
from typing import Any

from jaring.optim.lr_factor import _nonnegative_int, per_group
from jaring.optim.lr_scheduler import LRScheduler
from jaring.optim.optimizer import Optimizer, check_number

_OWNER = "ReduceLROnPlateau"


class ReduceLROnPlateau(LRScheduler):
    """Multiply each group's rate by `factor` once the metric has not improved for `patience` steps.

    mode="min" watches for decreases (a loss), "max" for increases (an accuracy). An improvement must
    beat the best value so far by `threshold`: relatively (best * (1 -+ threshold), "rel") or
    absolutely (best -+ threshold, "abs"). After a reduction, `cooldown` steps pass before bad steps
    count again; no rate goes below `min_lr` (one number, or one per group), and a reduction smaller
    than `eps` is skipped.

    Examples:
        >>> import jaring
        >>> from jaring import optim
        >>> opt = optim.SGD([jaring.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = optim.ReduceLROnPlateau(opt, factor=0.5, patience=1)
        >>> lrs = []
        >>> for val_loss in [3.0, 2.0, 2.0, 2.0, 2.0, 1.0]:
        ...     scheduler.step(val_loss)
        ...     lrs.append(opt.lr)
        >>> lrs
        [1.0, 1.0, 1.0, 0.5, 0.5, 0.5]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float | list[float] = 0.0,
        eps: float = 1e-8,
    ) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{_OWNER} needs a jaring optimizer, got {type(optimizer).__name__}")
        self.optimizer = optimizer
        self.mode, self.threshold_mode = mode, threshold_mode
        self._check_modes()
        self.factor = check_number(_OWNER, "factor", factor, 0.0, 1.0)
        self.patience = _nonnegative_int(_OWNER, "patience", patience)
        self.threshold = check_number(_OWNER, "threshold", threshold)
        self.cooldown = _nonnegative_int(_OWNER, "cooldown", cooldown)
        self.min_lrs = per_group(_OWNER, "min_lr", min_lr, optimizer, check_number)
        self.default_min_lr = None if isinstance(min_lr, (list, tuple)) else self.min_lrs[0]
        self.eps = check_number(_OWNER, "eps", eps)
        self.last_epoch = 0
        self._last_lr = [g["lr"] for g in optimizer.param_groups]
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    def _check_modes(self) -> None:
        if self.mode not in ("min", "max"):
            raise ValueError(f"{_OWNER}: mode must be 'min' or 'max', got {self.mode!r}")
        if self.threshold_mode not in ("rel", "abs"):
            raise ValueError(f"{_OWNER}: threshold_mode must be 'rel' or 'abs', got {self.threshold_mode!r}")

    @property
    def in_cooldown(self) -> bool:
        """Whether the steps right after a reduction are still being waited out."""
        return self.cooldown_counter > 0

    def _is_better(self, value: float) -> bool:
        best, threshold = self.best, self.threshold
        if self.mode == "min":
            return value < (best * (1.0 - threshold) if self.threshold_mode == "rel" else best - threshold)
        return value > (best * (threshold + 1.0) if self.threshold_mode == "rel" else best + threshold)

    def step(self, metrics: Any = None) -> None:  # type: ignore[override]
        """Record one value of the monitored quantity (e.g. the epoch's validation loss)."""
        if metrics is None:
            raise TypeError(f"{_OWNER}.step needs the monitored value, e.g. scheduler.step(val_loss)")
        try:
            current = float(metrics)
        except (TypeError, ValueError):
            raise TypeError(
                f"{_OWNER}.step: the monitored value must be a single number, got {metrics!r:.80}"
            ) from None
        self.last_epoch += 1
        if self._is_better(current):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # bad epochs in the cooldown do not count
        if self.num_bad_epochs > self.patience:
            self._reduce_lr()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = [g["lr"] for g in self.optimizer.param_groups]

    def _reduce_lr(self) -> None:
        groups = self.optimizer.param_groups
        if len(groups) != len(self.min_lrs):
            if self.default_min_lr is None:
                raise ValueError(
                    f"{_OWNER}: the optimizer has {len(groups)} parameter groups now but "
                    f"{len(self.min_lrs)} when the scheduler was built; set min_lrs to one value per group"
                )
            self.min_lrs = [self.default_min_lr] * len(groups)
        for group, min_lr in zip(groups, self.min_lrs):
            old = float(group["lr"])
            new = max(old * self.factor, min_lr)
            if old - new > self.eps:
                group["lr"] = new

    def load_state_dict(self, state_dict: dict) -> None:
        """Resume from `state_dict()` (load the optimizer's own state dict as well)."""
        super().load_state_dict(state_dict)
        self._check_modes()
