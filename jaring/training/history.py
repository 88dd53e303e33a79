"""History: what fit() recorded per epoch (loss, val_loss and each metric), as Keras returns it."""

from __future__ import annotations

from typing import Any


class History:
    """`history.history["loss"]` is the training loss of each epoch; `.epoch` the epoch numbers.

    Validation entries are prefixed with "val_" ("val_loss", "val_accuracy"). Values are
    plain Python floats, so the dict can be written to JSON or plotted directly.

    Examples:
        >>> from jaring.training import History
        >>> history = History()  # fit() returns one; here filled by hand
        >>> history.append(1, {"loss": 0.5, "val_loss": 0.75})
        >>> history.append(2, {"loss": 0.25, "val_loss": 0.5})
        >>> history.epoch, history.history["loss"], history.last("val_loss")
        ([1, 2], [0.5, 0.25], 0.5)
    """

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []

    def append(self, epoch: int, logs: dict[str, Any]) -> None:
        """Record one finished epoch's logs (a key missing in earlier epochs starts late)."""
        self.epoch.append(int(epoch))
        for key, value in logs.items():
            self.history.setdefault(key, []).append(float(value))

    def last(self, key: str) -> float | None:
        """The most recent value of `key`, or None when it was never recorded."""
        values = self.history.get(key)
        return values[-1] if values else None

    def to_dict(self) -> dict[str, Any]:
        """{"epoch": [...], "loss": [...], ...}: a JSON-ready copy."""
        return {"epoch": list(self.epoch), **{k: list(v) for k, v in self.history.items()}}

    def __len__(self) -> int:
        return len(self.epoch)

    def __repr__(self) -> str:
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.history.items() if v)
        return f"History(epochs={len(self.epoch)}{', ' + last if last else ''})"
