"""Data: seeded toy data sets (XOR, flower, moons, circles), CSV files and the Standardizer, in the (d, m) layout."""

from .csv_files import load_csv as load_csv
from .csv_files import save_csv as save_csv
from .standardizer import Standardizer as Standardizer
from .toy import make_circles as make_circles
from .toy import make_flower as make_flower
from .toy import make_moons as make_moons
from .toy import make_xor as make_xor

__all__ = ["Standardizer", "load_csv", "make_circles", "make_flower", "make_moons", "make_xor", "save_csv"]
