"""Optimizers: ``GradientDescent``, the slides' θ ← θ - α ∂J/∂θ."""

from .gradient_descent import GradientDescent as GradientDescent

__all__ = ["GradientDescent"]
