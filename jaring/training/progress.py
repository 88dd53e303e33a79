"""The per-epoch progress bar of fit(): a thin tqdm wrapper that does nothing when verbose=0."""

from __future__ import annotations

import sys
from typing import Any, TextIO


def _format(logs: dict[str, float]) -> dict[str, str]:
    return {k: f"{v:.4f}" for k, v in logs.items()}


class ProgressBar:
    """One bar for one epoch: `update(loss)` per batch, `close(logs)` with the epoch's results.

    The bar shows the running mean of the training loss; at the end it also shows the
    validation loss and the metrics. Postfix changes wait for tqdm's own refresh interval,
    so a fast loop does not spend its time printing.

    Examples:
        >>> import io
        >>> from jaring.training import ProgressBar
        >>> out = io.StringIO()
        >>> bar = ProgressBar(total=2, epoch=1, epochs=5, file=out)
        >>> bar.update(0.9)
        >>> bar.update(0.7)
        >>> bar.close({"loss": 0.7, "accuracy": 0.5})
        >>> print(out.getvalue().splitlines()[-1].strip())  # the bar's last redraw
        Epoch 1/5: 100%|...| 2/2 [...loss=0.7000, accuracy=0.5000]
    """

    def __init__(
        self, total: int, epoch: int, epochs: int, verbose: int = 1, file: TextIO | None = None
    ) -> None:
        self.enabled = bool(verbose)
        self._bar: Any = None
        if self.enabled:
            from tqdm.auto import tqdm

            width = len(str(epochs))
            self._bar = tqdm(
                total=total,
                desc=f"Epoch {epoch:>{width}}/{epochs}",
                unit="batch",
                file=file if file is not None else sys.stderr,
                leave=True,
                dynamic_ncols=True,
                mininterval=0.2,
            )

    def update(self, loss: float) -> None:
        """One more batch done; `loss` is the running training loss of the epoch so far."""
        if self._bar is not None:
            self._bar.set_postfix(loss=f"{loss:.4f}", refresh=False)
            self._bar.update(1)

    def close(self, logs: dict[str, float]) -> None:
        """Show the epoch's final numbers (loss, val_loss, metrics) and end the bar's line."""
        if self._bar is not None:
            self._bar.set_postfix(_format(logs), refresh=True)
            self._bar.close()
            self._bar = None
