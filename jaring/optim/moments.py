"""The two running moments that NAdam and RAdam share with Adam, and their choice of weight decay."""

from __future__ import annotations

from typing import Any


def update_moments(m: Any, v: Any, g: Any, betas: tuple[float, float], tmp: Any, xp: Any) -> None:
    """m <- lerp(m, g, 1 - beta1) and v <- beta2 v + (1 - beta2) g^2, in place (`tmp` is scratch)."""
    beta1, beta2 = betas
    xp.subtract(g, m, out=tmp)
    tmp *= 1.0 - beta1
    m += tmp
    xp.multiply(g, g, out=tmp)
    tmp *= 1.0 - beta2
    v *= beta2
    v += tmp


def decayed_gradient(optimizer: Any, p: Any, g: Any, group: dict, xp: Any) -> Any:
    """Apply the group's weight decay: decoupled (p <- p (1 - lr wd), as AdamW) when
    decoupled_weight_decay is set, else L2 added to the gradient; return the gradient to use."""
    weight_decay = group["weight_decay"]
    if weight_decay and group["decoupled_weight_decay"]:
        p *= 1.0 - group["lr"] * weight_decay
        return g
    return optimizer._with_weight_decay(p, g, weight_decay, xp)
