"""The one array type that layers take and return."""

from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

Array: TypeAlias = npt.NDArray[np.floating[Any]]
"""A float NumPy array; a batch has shape (d, m), one column per example."""
