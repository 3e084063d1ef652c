"""Saving and loading models: pickle-free ``.npz`` files, written atomically."""

from .model_file import ColumnNames, load, load_column_names, load_parameters, save

__all__ = ["ColumnNames", "load", "load_column_names", "load_parameters", "save"]
