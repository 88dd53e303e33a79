"""Checks that a saved picture really shows something: size, and pixels that are not all one colour."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.image import imread


def assert_drawn_png(
    path: Path, min_width: int = 300, min_height: int = 200, min_ink: float = 0.01
) -> np.ndarray:
    """The PNG exists, is at least min_width x min_height, varies, and >= min_ink of it is not background."""
    assert path.exists(), f"{path} was not written"
    image = imread(path)
    height, width = image.shape[:2]
    assert width >= min_width and height >= min_height, f"{path.name} is only {width}x{height}"
    rgb = image[..., :3].astype(np.float64)
    assert rgb.std() > 0.02, f"{path.name} is blank (pixel std {rgb.std():.4f})"
    background = np.median(rgb.reshape(-1, 3), axis=0)
    ink = (np.abs(rgb - background).sum(axis=-1) > 0.1).mean()
    assert ink >= min_ink, f"{path.name} has almost nothing drawn ({ink:.2%} of pixels)"
    return image
