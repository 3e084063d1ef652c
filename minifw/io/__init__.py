"""Saving and loading models: pickle-free ``.npz`` files, written atomically."""

from .model_file import load as load
from .model_file import load_parameters as load_parameters
from .model_file import save as save

__all__ = ["load", "load_parameters", "save"]
