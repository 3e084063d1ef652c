"""The notebooks run from top to bottom, in a Jupyter kernel, as a student runs them.

They are the three of examples/notebooks/ and the exercises' notebook, which ships with the package
beside the skeletons (minifw/exercises/, written out by ``minifw exercises DIR``).

Each notebook is stored with its outputs, so that it shows them on a code host before anyone runs it.
The tests run each one afresh (nbclient, with the ipykernel of this environment) and compare what
each cell shows with what is stored by kind (text, a picture, a report), never digit by digit: the
numbers of a training run may differ in their last digits from one machine to another.

To store fresh outputs after changing a notebook or the library: ``python tests/test_notebooks.py``.
"""

import copy
import inspect
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from .exercises import solution

ROOT = Path(__file__).resolve().parent.parent
NAMES = (
    "examples/notebooks/01-one-example.ipynb",
    "examples/notebooks/02-a-batch.ipynb",
    "examples/notebooks/03-your-own-csv.ipynb",
    "minifw/exercises/exercises.ipynb",
)
"""Each notebook, from the repository's root."""
EXERCISES = "minifw/exercises/exercises.ipynb"


def execute(notebook: Any, folder: Path, timeout: int = 600) -> Any:
    """``notebook`` (a copy) run from top to bottom in a fresh kernel, in ``folder`` (the notebook's own)."""
    executed = copy.deepcopy(notebook)
    client = NotebookClient(
        executed, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    client.execute()
    return executed


def read(name: str) -> Any:
    return nbformat.read(ROOT / name, as_version=4)  # type: ignore[no-untyped-call]  # nbformat has no annotations


def kinds(cell: Any) -> list[tuple[str, ...]]:
    """What a code cell shows, by kind: ('stream', 'stdout'), ('display_data', 'image/png'), ...

    A stream printed in several pieces (the kernel sends what it has at each flush) is one.
    """
    shown: list[tuple[str, ...]] = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            if not shown or shown[-1] != ("stream", output["name"]):
                shown.append(("stream", output["name"]))
        elif output["output_type"] == "error":
            shown.append(("error", output["ename"]))
        else:
            shown.append((output["output_type"], *sorted(output["data"])))
    return shown


def text(cell: Any) -> str:
    """The text a code cell shows (streams, and the text/plain of results)."""
    parts = []
    for output in cell.get("outputs", []):
        parts.append("".join(output.get("text", "")))
        parts.append("".join(output.get("data", {}).get("text/plain", "")))
    return "".join(parts)


def code_cells(notebook: Any) -> list[Any]:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def test_the_docs_list_every_notebook() -> None:
    found = [
        path.relative_to(ROOT).as_posix()
        for path in (*ROOT.glob("examples/**/*.ipynb"), *ROOT.glob("minifw/**/*.ipynb"))
    ]
    assert sorted(found) == sorted(NAMES)
    page = (ROOT / "docs" / "notebooks.md").read_text("utf-8")
    for name in NAMES:
        assert f"`{name}`" in page, name


@pytest.mark.parametrize("name", NAMES)
def test_stored_notebook_shows_the_outputs_of_one_run_from_the_top(name: str) -> None:
    """On a code host the notebook opens with its outputs: every cell run once, in order, none failed."""
    cells = code_cells(read(name))
    assert [cell.execution_count for cell in cells] == list(range(1, len(cells) + 1))
    assert [cell for cell in cells if cell.outputs] != []
    for cell in cells:
        assert ("stream", "stderr") not in kinds(cell), cell.source
        assert not any(kind[0] == "error" for kind in kinds(cell)), cell.source
        assert "/tmp/" not in text(cell), cell.source  # no path of the machine that stored it


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_from_top_to_bottom_and_shows_what_is_stored(name: str) -> None:
    stored = read(name)
    executed = execute(stored, (ROOT / name).parent)
    for before, after in zip(code_cells(stored), code_cells(executed), strict=True):
        assert kinds(after) == kinds(before), after.source
    if name == EXERCISES:  # as handed out, the classes are still to write
        assert "still to write: Dense, Sigmoid, BinaryCrossEntropy" in text(code_cells(executed)[-1])


SOLUTIONS = {
    "exercise-dense": solution.Dense,
    "exercise-sigmoid": solution.Sigmoid,
    "exercise-binary-cross-entropy": solution.BinaryCrossEntropy,
}
"""Each exercise cell's tag, and a correct class to fill it with: the one the checker's own tests pass."""


def test_exercises_grade_the_slides_classes_as_passing() -> None:
    """With each exercise cell filled in from the slides, every report passes and the classes train."""
    notebook = read(EXERCISES)
    filled = []
    for cell in notebook.cells:
        for tag in cell.metadata.get("tags", []):
            if tag in SOLUTIONS:
                cell.source = inspect.getsource(SOLUTIONS[tag])
                filled.append(tag)
    assert sorted(filled) == sorted(SOLUTIONS)
    cells = code_cells(execute(notebook, (ROOT / EXERCISES).parent))
    reports = [cell for cell in cells if cell.source.endswith("_report")]
    assert len(reports) == 3
    assert "your classes on XOR: accuracy" in text(cells[-1]), text(cells[-1])


def store_outputs() -> None:
    """Run every notebook and store it with its outputs (what a reader sees before running it)."""
    for name in NAMES:
        executed = execute(read(name), (ROOT / name).parent)
        for cell in code_cells(executed):
            cell.metadata.pop("execution", None)
        nbformat.write(executed, ROOT / name)  # type: ignore[no-untyped-call]  # nbformat has no annotations
        print(f"stored {name}")


if __name__ == "__main__":
    store_outputs()
