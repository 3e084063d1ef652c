"""A check shared by the picture tests: a PNG exists and is not blank."""

from pathlib import Path

import numpy as np


def assert_png_is_a_picture(path: Path, min_colours: int = 8) -> None:
    """The file is a PNG whose pixels are not all (nearly) one colour."""
    from matplotlib import image

    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    pixels = image.imread(path)[..., :3]
    assert pixels.shape[0] > 100
    assert pixels.shape[1] > 100
    rgb = (pixels.reshape(-1, 3) * 255).round().astype(np.int64)
    colours = np.unique(rgb[:, 0] * 65536 + rgb[:, 1] * 256 + rgb[:, 2])
    assert len(colours) >= min_colours, f"{path} has only {len(colours)} colours"
    assert (pixels < 0.5).mean() > 0.005, f"{path} has almost nothing dark drawn on it"
    assert (pixels > 0.9).mean() < 0.995, f"{path} is almost entirely white"
