"""Checking your own implementation: ``check_layer`` and ``check_loss``, and the ``minifw check`` command."""

from .layer_check import check_layer as check_layer
from .loss_check import check_loss as check_loss
from .report import Check as Check
from .report import CheckReport as CheckReport

__all__ = ["Check", "CheckReport", "check_layer", "check_loss"]
