"""Losses: ``Loss`` (the base) and ``BinaryCrossEntropy``, the slides' cost J."""

from .binary_cross_entropy import BinaryCrossEntropy as BinaryCrossEntropy
from .loss import Loss as Loss

__all__ = ["BinaryCrossEntropy", "Loss"]
