"""Saving and loading models: pickle-free ``.npz`` files, written atomically."""

from .model_file import ColumnNames as ColumnNames
from .model_file import load as load
from .model_file import load_column_names as load_column_names
from .model_file import load_parameters as load_parameters
from .model_file import save as save

__all__ = ["ColumnNames", "load", "load_column_names", "load_parameters", "save"]
