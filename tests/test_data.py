"""Built-in data sets (seeded, (d, m) layout) and the CSV loader's line-numbered errors."""

import csv
import io
import math
import os
import re
import warnings
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import minifw as mf
from minifw.data import csv_files
from minifw.data.csv_files import ColumnChoice, read_table
from minifw.hints import COMMAND_LINE_HINTS

GENERATORS: list[Callable[..., tuple[np.ndarray, np.ndarray]]] = [
    mf.make_xor,
    mf.make_flower,
    mf.make_moons,
    mf.make_circles,
]


@pytest.mark.parametrize("make", GENERATORS)
def test_generators_give_the_d_m_layout_balanced_labels_and_are_seeded(
    make: Callable[..., tuple[np.ndarray, np.ndarray]],
) -> None:
    np.random.seed(0)  # noqa: NPY002  # the global state must stay untouched
    state = np.random.get_state(legacy=False)["state"]["key"].copy()  # noqa: NPY002
    X, Y = make(100, seed=3)
    assert X.shape == (2, 100)
    assert Y.shape == (1, 100)
    assert X.dtype == Y.dtype == np.float64
    assert set(np.unique(Y)) == {0.0, 1.0}
    assert Y.sum() == 50
    assert np.isfinite(X).all()
    X2, Y2 = make(100, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)
    assert not np.array_equal(X, make(100, seed=4)[0])
    np.testing.assert_array_equal(np.random.get_state(legacy=False)["state"]["key"], state)  # noqa: NPY002


def test_xor_without_noise_is_the_truth_table_and_extra_features_are_distractors() -> None:
    X, Y = mf.make_xor(8, noise=0.0)
    np.testing.assert_array_equal(X[:, :4], [[0, 0, 1, 1], [0, 1, 0, 1]])
    np.testing.assert_array_equal(Y, [[0, 1, 1, 0, 0, 1, 1, 0]])
    X3, Y3 = mf.make_xor(8, noise=0.0, d=3)
    assert X3.shape == (3, 8)
    np.testing.assert_array_equal(X3[:2], X)
    np.testing.assert_array_equal(Y3, Y)
    assert ((X3[2] >= 0) & (X3[2] <= 1)).all()


def test_flower_petals_follow_r_equals_4_sin_4t() -> None:
    X, _ = mf.make_flower(400, noise=0.0)
    t = np.arctan2(X[0], X[1])  # the point is (r sin t, r cos t)
    r = np.hypot(X[0], X[1])
    np.testing.assert_allclose(r, np.abs(4 * np.sin(4 * t)), atol=1e-9)


def test_circles_radii() -> None:
    X, Y = mf.make_circles(100, noise=0.0, factor=0.3)
    r = np.hypot(X[0], X[1])
    np.testing.assert_allclose(r[Y[0] == 0], 1.0)
    np.testing.assert_allclose(r[Y[0] == 1], 0.3)


@pytest.mark.parametrize("factor", [Fraction(1, 2), np.float32(0.5)])
def test_circles_of_any_real_factor_are_float64(factor: float) -> None:
    """A Fraction factor gave an array of dtype object (Fraction times float is a Fraction)."""
    X, _ = mf.make_circles(6, noise=0.0, factor=factor)
    X_float, _ = mf.make_circles(6, noise=0.0, factor=0.5)
    assert X.dtype == np.float64
    np.testing.assert_array_equal(X, X_float)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: mf.make_xor(3), "m must be an integer >= 4"),
        (lambda: mf.make_xor(10, d=1), "d must be"),
        (lambda: mf.make_flower(11), "even m"),
        (lambda: mf.make_moons(10, noise=-1.0), "noise"),
        (lambda: mf.make_moons(10, noise=float("nan")), "noise"),
        (lambda: mf.make_circles(10, factor=1.5), "factor"),
        (lambda: mf.make_circles(True), "m must be"),
    ],
)
def test_generator_arguments_are_checked(call: Callable[[], object], match: str) -> None:
    with pytest.raises(mf.ValueRangeError, match=match):
        call()


def write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_round_trip_is_exact(tmp_path: Path) -> None:
    X, Y = mf.make_moons(30, seed=1)
    path = tmp_path / "moons.csv"
    mf.save_csv(path, X, Y)
    assert path.read_text().splitlines()[0] == "x1,x2,y"
    X2, Y2 = mf.load_csv(path)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)
    mf.save_csv(path, X)
    np.testing.assert_array_equal(mf.load_csv(path, labels=False), X)


def test_csv_with_blank_lines_and_spaces(tmp_path: Path) -> None:
    X, Y = mf.load_csv(write(tmp_path, "a, b, label\n1, 2, 0\n\n 3,4,1\n"))
    np.testing.assert_array_equal(X, [[1, 3], [2, 4]])
    np.testing.assert_array_equal(Y, [[0, 1]])


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "empty"),
        ("\n\n", "empty"),
        ("1,2,0\n3,4,1\n", "line 1: '1,2,0' looks like data, not a header"),
        ("x1,x2,y\n", "no data rows"),
        ("x1,x2,y\n1,2,0\n3,4\n", "line 3: 2 values, expected 3"),
        ("x1,x2,y\n1,2,0\n3,abc,1\n", r"line 3, column 2 \(x2\): 'abc' is not a number"),
        ("x1,x2,y\n1,2,0\n\n3,nan,1\n", r"line 4: missing cells in x2\. Fix: fill them in, or leave the row out with "),
        ("x1,x2,y\n1,2,0\n3,inf,1\n", "line 3.*not a finite"),
        (
            "x1,x2,y\n1,2,0\n3,4,2\n5,6,1\n",
            r"column 3 \(y, the last column\), holds 3 values: 0 \(1 row\), 1 \(1 row\), 2 \(1",
        ),
        ("x1,x2,y\n1,2,0\n3,4,\n", r"line 3: missing cells in y\. Fix: fill them in, or leave the row out"),
        ("y\n1\n", "1 column"),
        # After a quoted cell that spans lines, errors named the row's number, not the file's line.
        ('x1,y\n"1\n",0\n2,1\nabc,0\n', r"line 5, column 1 \(x1\): 'abc' is not a number"),
        ('x1,y\n"1\n\n",0\n"2,1\n', "line 5: 1 value, expected 2"),
    ],
)
def test_csv_errors_name_the_line(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(mf.DataError, match=match) as caught:
        mf.load_csv(write(tmp_path, text))
    assert isinstance(caught.value, ValueError)
    assert "data.csv" in str(caught.value)


def test_csv_binary_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    with pytest.raises(mf.DataError, match="not a UTF-8 text file"):
        mf.load_csv(path)
    with pytest.raises(FileNotFoundError):
        mf.load_csv(tmp_path / "missing.csv")


# The label column, and separators other than the comma ---------------------------------------


def test_the_label_column_is_picked_by_its_header_name(tmp_path: Path) -> None:
    path = write(tmp_path, "y,x1,x2\n0,0.5,1.5\n1,2.5,3.5\n")
    X, Y = mf.load_csv(path, label="y")
    np.testing.assert_array_equal(X, [[0.5, 2.5], [1.5, 3.5]])  # the other columns, in order
    np.testing.assert_array_equal(Y, [[0.0, 1.0]])
    X_last, Y_last = mf.load_csv(write(tmp_path, "x1,x2,y\n0.5,1.5,0\n2.5,3.5,1\n", "last.csv"), label="y")
    np.testing.assert_array_equal(X_last, X)
    np.testing.assert_array_equal(Y_last, Y)


def test_labels_found_in_another_column_point_to_the_label_argument(tmp_path: Path) -> None:
    """The message said 'Fix: code the two classes as 0 and 1' when the labels were in the first column."""
    path = write(tmp_path, "y,x1,x2\n0,0.5,1.5\n1,2.5,3.5\n")
    message = r"data.csv: the label, column 3 \(x2, the last column\), holds 2 values: 1.5 \(1 row\), 3.5 \(1 row\); "
    message += r"a label holds two classes, such as 0 and 1, or yes and no\. Fix: if column 1 \(y\), which holds only "
    message += r"0 and 1, is the label, pass label='y'\.$"
    with pytest.raises(mf.DataError, match=message):
        mf.load_csv(path)


def test_rows_with_missing_cells_are_counted_and_left_out_on_request(tmp_path: Path) -> None:
    """Missing cells stopped at the first one; a row of empty cells was dropped silently."""
    path = write(tmp_path, "id,x1,x2,y\na,1,2,0\n,,,\nc,3,NA,1\nd,4,5,1\n,6,7,0\n")
    message = r"data.csv: 2 rows with missing cells, in x1, x2 and y \(lines 3, 4; 1 of them all empty\)\. Fix: fill "
    with pytest.raises(mf.DataError, match=message + r"them in, or leave those rows out with drop_incomplete=True\.$"):
        mf.load_csv(path, drop=["id"])
    X, Y = mf.load_csv(path, drop=["id"], drop_incomplete=True)  # an empty id is no missing feature
    assert (X.tolist(), Y.tolist()) == ([[1.0, 4.0, 6.0], [2.0, 5.0, 7.0]], [[0.0, 1.0, 0.0]])
    table = read_table(path, choice=ColumnChoice(drop=["id"], drop_incomplete=True))
    assert (list(table.line_numbers), table.text) == ([2, 5, 6], {0: ["a", "d", ""]})
    assert table.left_out == "2 rows with missing cells, in x1, x2 and y (lines 3, 4; 1 of them all empty)"
    with pytest.raises(mf.DataError, match=r"line 2: missing cells in x1\. Fix: fill them in\.$"):
        mf.load_csv(write(tmp_path, "x1,y\n,1\n"), drop_incomplete=True)


def test_a_label_of_three_values_is_said_with_the_other_problems_of_the_file(tmp_path: Path) -> None:
    """The label is checked on the rows kept, and its problem joins the others in one error."""
    path = write(tmp_path, "name,x1,y\nAnn,1,0\nBo,2,1\nCy,3,2\nDi,4,0\n5,5,0\n6,6,1\n7,7,2\n")
    message = (
        r"data.csv: 2 problems\. \(1\) column 1 \(name: 'Ann' on line 2\) holds text, .* \(2\) the label, column 3 "
    )
    with pytest.raises(
        mf.DataError, match=message + r"\(y, the last column\), holds 3 values: 0 \(1 row\), 1 \(1 row\), 2"
    ):
        mf.load_csv(path)


def test_a_file_separated_by_semicolons_or_tabs_is_read_as_its_header_is(tmp_path: Path) -> None:
    for separator in (";", "\t"):
        path = write(tmp_path, separator.join(["x 1", "x2", "y"]) + "\n" + separator.join(["1.5", "2", "no"]) + "\n")
        table = read_table(path)
        assert (table.delimiter, table.header, table.values[:, :2].tolist()) == (
            separator,
            ["x 1", "x2", "y"],
            [[1.5, 2]],
        )
    with pytest.raises(mf.DataError, match=r"'1;2' is not a number\. Fix: write a number there"):
        read_table(write(tmp_path, "a;b,c\n1;2,3\n"))  # a comma in the header: read with commas


@pytest.mark.parametrize(
    ("labels", "match"),
    [
        ("0,1,2,2", r"holds 3 values: 2 \(2 rows\), 0 \(1 row\), 1 \(1 row\); a label holds two classes.*Fix: pick"),
        ("yes,no,maybe,no", r"holds 3 values: no \(2 rows\), yes \(1 row\), maybe \(1 row\);"),
        ("yes,yes,yes,yes", r"holds 1 value: yes \(4 rows\);.* Fix: add examples of the other class"),
        ("0.5,1,0.5,1", r"holds 2 values: 0.5 \(2 rows\), 1 \(2 rows\); a label holds two classes"),
    ],
)
def test_a_label_of_other_than_two_classes_is_named_with_its_values(tmp_path: Path, labels: str, match: str) -> None:
    text = "x1,y\n" + "".join(f"{i},{label}\n" for i, label in enumerate(labels.split(",")))
    with pytest.raises(mf.DataError, match=match):
        mf.load_csv(write(tmp_path, text))


@pytest.mark.parametrize(
    ("values", "positive"),
    [
        (("no", "yes"), "yes"),
        (("N", "Y"), "Y"),
        (("False", "True"), "True"),
        (("negative", "positive"), "positive"),
        (("ham", "spam"), "spam"),  # no word reads as yes or no: the later in sorted order
        (("bad", "no"), "bad"),  # the word that does not read as no
        (("1", "2"), "2"),
        (("-1", "1"), "1"),
        (("0", "1"), "1"),
        (("10", "-3"), "10"),
    ],
)
def test_a_label_of_two_values_as_people_write_them_trains(
    tmp_path: Path, values: tuple[str, str], positive: str
) -> None:
    cells = [values[i % 2] for i in range(6)]
    path = write(tmp_path, "x1,y\n" + "".join(f"{i},{cell}\n" for i, cell in enumerate(cells)))
    expected = [[float(cell == positive) for cell in cells]]
    assert mf.load_csv(path)[1].tolist() == expected
    other = next(value for value in values if value != positive)
    assert mf.load_csv(path, positive=other)[1].tolist() == [[1.0 - y for y in expected[0]]]
    labels = csv_files.read_labels(read_table(path))
    assert labels.classes == (None if values == ("0", "1") else (other, positive))


def test_the_label_mapping_is_said_with_its_rule(tmp_path: Path) -> None:
    said = {}
    for values in (("no", "yes"), ("ham", "spam"), ("1", "2")):
        path = write(tmp_path, "x1,kind\n" + "".join(f"{i},{values[i % 2]}\n" for i in range(4)))
        said[values] = csv_files.read_labels(read_table(path), COMMAND_LINE_HINTS).said
    assert said[("no", "yes")] == "kind: no → 0, yes → 1 (--positive no for the other way)"
    assert said[("ham", "spam")] == "kind: ham → 0, spam → 1 (in sorted order; --positive ham for the other way)"
    assert said[("1", "2")] == "kind: 1 → 0, 2 → 1 (--positive 1 for the other way)"
    with pytest.raises(mf.DataError, match=r"positive='maybe' names no value of the label.*Fix: pass one of them"):
        mf.load_csv(path, positive="maybe")


def test_a_label_named_column_that_is_not_last_is_warned_about(tmp_path: Path) -> None:
    path = write(tmp_path, "label,x1,x2\n0,0.5,1\n1,2.5,0\n")
    fix = r"if column 1 \(label\), which holds only 0 and 1, is the label, pass label='label'\.$"
    with pytest.warns(mf.DataWarning, match=r"data.csv: the last column \(x2\) is taken as the label\. Fix: " + fix):
        mf.load_csv(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, Y = mf.load_csv(path, label="label")
    np.testing.assert_array_equal(Y, [[0.0, 1.0]])


@pytest.mark.parametrize(
    ("text", "kwargs", "error", "match"),
    [
        ("x1,y\n1,0\n", {"label": "z"}, mf.DataError, r"no column is named 'z'; the header names 'x1', 'y'\. Fix: "),
        ("y,x,y\n1,0,1\n", {"label": "y"}, mf.DataError, r"columns 1, 3 are all named 'y'\. Fix: rename"),
        ("x1,y\n1,0\n", {"label": "y", "labels": False}, mf.ValueRangeError, "labels=False says the file has none"),
        ("x1,y\n1,0\n", {"delimiter": "|"}, mf.ValueRangeError, r"delimiter must be ',', ';' or a tab"),
        ("y\n1\n", {"label": "y"}, mf.DataError, "no features. Fix: add the feature columns"),
        ("x1,y\n1,0\n", {"features": ["x1", "y"]}, mf.DataError, r"or dropped\. Fix: name the label with label='NAME'"),
        ("x1,y\n1,0\n", {"features": [1]}, mf.DataError, r"no column is named 1; the header names 'x1', 'y'\. Fix: "),
    ],
)
def test_label_and_delimiter_arguments_are_checked(
    tmp_path: Path, text: str, kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        mf.load_csv(write(tmp_path, text), **kwargs)


def test_one_string_names_one_column(tmp_path: Path) -> None:
    path = write(tmp_path, "id,x1,x2,y\n7,0.5,1,0\n9,2.5,0,1\n")
    X, Y = mf.load_csv(path, features="x2", drop="id")
    assert (X.tolist(), Y.tolist()) == ([[1.0, 0.0]], [[0.0, 1.0]])


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_files_read_like_comma_separated_ones(tmp_path: Path, delimiter: str) -> None:
    X, Y = mf.make_moons(30, seed=1)
    comma = tmp_path / "comma.csv"
    mf.save_csv(comma, X, Y)
    other = write(tmp_path, comma.read_text().replace(",", delimiter), "other.csv")
    X2, Y2 = mf.load_csv(other, delimiter=delimiter)
    assert X2.tobytes() == X.tobytes()
    assert Y2.tobytes() == Y.tobytes()
    assert read_table(other, delimiter).header == ["x1", "x2", "y"]


@pytest.mark.parametrize(
    ("text", "kwargs", "match"),
    [
        # A semicolon file said "'2.0379;0.1789;0' is not a number. Fix: write a number there".
        (
            "x1;x2;y\n2.0379;0.1789;0\n",
            {"delimiter": ","},
            r"line 1: the header 'x1;x2;y' is separated by ';', and the file is read as separated by ','\. "
            r"Fix: pass delimiter=';' \(or leave it out: minifw reads the header's separator\)\.$",
        ),
        ("x1\tx2\ty\n1\t2\t0\n", {"delimiter": ","}, r"line 1: .* separated by a tab, .*Fix: pass delimiter='\\t'"),
        ("x1,x2,y\n1,2,0\n", {"delimiter": ";"}, r"line 1: .* separated by ',', .*Fix: pass delimiter=','"),
        (
            "x1;x2;y\n2,0379;0,1789;0\n",
            {"delimiter": ","},
            r"line 1: the header 'x1;x2;y' is separated by ';', .*Fix: pass delimiter=';' \(or leave it out",
        ),
        (
            "x1;x2;y\n2,0379;0,1789;0\n3,5;1;1\n",
            {},
            r"line 2, column 1 \(x1\): '2,0379' has a decimal comma \(the same on lines 2, 3\)\. Fix: write 2\.0379: "
            r"minifw reads a decimal point",
        ),
        # A header with a semicolon typo blamed line 2, with no fix.
        (
            "x1,x2;y\n2.0379,0.1789,0\n1,2,1\n",
            {},
            r"line 2: 3 values, expected 2 \(one per header column: x1, x2;y\) \(the same on line 3\)\. Fix: make the "
            r"row and the header \(line 1\) the same length, or remove the row\.$",
        ),
        (
            "x1,x2,y\n1,2,0\n1,2;1\n",
            {},
            r"line 3: 2 values, expected 3 \(one per header column: x1, x2, y\)\. "
            r"Fix: make the row and the header \(line 1\) the same length, or remove the row\.$",
        ),
        (
            "x1,x2,y\n1;5,2,0\n",
            {},
            r"line 2, column 1 \(x1\): '1;5' is not a number\. Fix: write a number there, or remove the row\.$",
        ),
    ],
)
def test_another_separator_is_named_with_the_fix(tmp_path: Path, text: str, kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(mf.DataError, match=match):
        mf.load_csv(write(tmp_path, text), **kwargs)


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"", None),
        (b"\n\n", None),
        (b"1,2,0\n3,4,1\n", 1),
        (b"x1,x2,y\n", 1),
        (b"x1,x2\n1,2,0\n", 2),
        (b"x1,x2,y\n1,2,0\n3,4\n", 3),
        (b"x1,x2,y\n1,2,0\n3,abc,1\n", 3),
        (b"x1,x2,y\n1,2,0\n\n3,nan,1\n", 4),
        (b"x1,x2,y\n1,2,0\n3,4,2\n5,6,3\n", None),
        (b"y\n1\n", None),
        (b"x1,x2,y\n1,2,0\n3,inf,1\n", 3),
        (b"x1,x2;y\n1,2,0\n", 2),
        (b'x1,y\n1,0\n"' + b"2" * 200_000 + b",1\n", 3),  # a quote never closed
        (b"x1,y\n1,0\n2,\xff\n", 3),  # not UTF-8
    ],
)
def test_every_csv_error_names_the_line_and_says_the_fix(tmp_path: Path, content: bytes, line: int | None) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    with pytest.raises(mf.DataError) as caught:
        mf.load_csv(path)
    message = str(caught.value)
    assert message.startswith(f"{path} line {line}" if line else f"{path}: "), message
    assert ". Fix: " in message, message


# Encoding marks: a UTF-8 byte-order mark is not part of the first cell --------------------------


BOM = "\ufeff"


def test_a_headerless_csv_with_a_byte_order_mark_is_refused_like_one_without(tmp_path: Path) -> None:
    """The mark made '\\ufeff1' look like a name: the first example became the header, silently."""
    for text in ("1,2,0\n3,4,1\n5,6,0\n", BOM + "1,2,0\n3,4,1\n5,6,0\n"):
        with pytest.raises(mf.DataError, match=r"line 1: '1,2,0' looks like data, not a header"):
            mf.load_csv(write(tmp_path, text))


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("blank_lines", ["", "\n\n"])
def test_a_csv_with_a_byte_order_mark_reads_like_one_without(tmp_path: Path, newline: str, blank_lines: str) -> None:
    text = blank_lines + newline.join(["x1,x2,y", "1,2,0", "3,4,1"]) + newline
    X, Y = mf.load_csv(write(tmp_path, text))
    X_bom, Y_bom = mf.load_csv(write(tmp_path, BOM + text, "bom.csv"))
    np.testing.assert_array_equal(X_bom, X)
    np.testing.assert_array_equal(Y_bom, Y)
    assert read_table(tmp_path / "bom.csv").header == ["x1", "x2", "y"]
    with pytest.raises(mf.DataError, match=r"line \d, column 1 \(x1\): 'a' is not a number"):
        mf.load_csv(write(tmp_path, BOM + text + "a,1,0\n", "bom.csv"))


def test_a_byte_order_mark_alone_is_an_empty_file(tmp_path: Path) -> None:
    with pytest.raises(mf.DataError, match="the file is empty"):
        mf.load_csv(write(tmp_path, BOM))


@pytest.mark.parametrize(
    ("encoding", "offset"), [("utf-16-le", 0), ("utf-16-be", 0), ("utf-32-le", 0), ("utf-32-be", 2)]
)
def test_csv_in_another_unicode_encoding_is_refused_by_its_mark(tmp_path: Path, encoding: str, offset: int) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes((BOM + "x1,y\n1,0\n").encode(encoding))
    message = rf"wide.csv line 1: not a UTF-8 text file \(invalid start byte at byte {offset}\); it starts with a "
    with pytest.raises(
        mf.DataError, match=message + r"UTF-16 or UTF-32 byte-order mark .*Fix: pass a CSV file saved as UTF-8"
    ):
        mf.load_csv(path)


@pytest.mark.parametrize("offset", [0, 5, 8191, 8192, 100_000])
def test_the_first_byte_that_is_not_utf8_is_named_by_its_place_in_the_file(tmp_path: Path, offset: int) -> None:
    data = bytearray(b"x1,y\n" + b"1,0\n" * 30_000)
    data[offset] = 0xFF
    path = tmp_path / "broken.csv"
    path.write_bytes(bytes(data))
    with pytest.raises(mf.DataError, match=rf"not a UTF-8 text file \(invalid start byte at byte {offset}\)"):
        mf.load_csv(path)


def test_a_character_cut_at_the_end_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_bytes("x1,y\n1,0\n2,é".encode()[:-1])
    with pytest.raises(mf.DataError, match=r"not a UTF-8 text file \(unexpected end of data at byte 11\)"):
        mf.load_csv(path)


# Reading in blocks gives what reading row by row gives -----------------------------------------


def row_by_row(name: str, text: str, delimiter: str = ",") -> tuple[list[str], list[list[float]], list[int]]:
    """The reference: every row through the csv module and every cell through float, in order."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, line = [], 1
    for row in reader:  # each row numbered by its first line: a quoted cell may hold line breaks
        rows.append((line, row))
        line = reader.line_num + 1
    while rows and not any(cell.strip() for cell in rows[0][1]):
        rows.pop(0)
    if not rows:
        raise mf.DataError(f"{name}: the file is empty.")
    header = [cell.strip() for cell in rows[0][1]]
    if all(_is_number(cell) for cell in header):
        raise mf.DataError(f"{name} line {rows[0][0]}: looks like data")
    rows = [(n, row) for n, row in rows[1:] if any(cell.strip() for cell in row) or len(row) > 1]  # not blank lines
    if not rows:
        raise mf.DataError(f"{name}: a header row but no data rows.")
    values = []
    for number, row in rows:
        if len(row) != len(header):
            raise mf.DataError(f"{name} line {number}: {len(row)} values")
        for column, cell in enumerate(row):
            try:
                value = float(cell)
            except ValueError:
                raise mf.DataError(f"{name} line {number}, column {column + 1}") from None
            if not math.isfinite(value):
                raise mf.DataError(f"{name} line {number}, column {column + 1}")
        values.append([float(cell) for cell in row])
    return header, values, [number for number, _ in rows]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


CELLS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers(-1000, 1000).map(str),
    st.sampled_from(["", " ", "nan", "inf", "-inf", "1e999", "1_0", " 2 ", '"3"', '"4\n5"', "x", "1e308", "٣", "\t6"]),
)


@st.composite
def csv_texts(draw: st.DrawFn) -> tuple[str, str]:
    """A CSV text and its separator: ',', ';' or a tab."""
    d = draw(st.sampled_from([",", ";", "\t"]))
    width = draw(st.integers(1, 4))
    lines = [d.join(draw(st.lists(st.sampled_from(["a", "b", "y", f'"c{d}d"']), min_size=width, max_size=width)))]
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.integers(0, 9)) == 0:  # now and then a blank line or a row of another length
            lines.append(draw(st.sampled_from(["", " ", d, d + d])))
            continue
        n = width + (draw(st.sampled_from([-1, 1])) if draw(st.integers(0, 19)) == 0 else 0)
        lines.append(d.join(draw(st.lists(CELLS, min_size=max(n, 1), max_size=max(n, 1)))))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return draw(st.sampled_from(["", BOM])) + newline.join(lines) + draw(st.sampled_from(["", newline])), d


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text_and_delimiter=csv_texts(), block=st.sampled_from([1, 7, 64, 1 << 20]))
def test_reading_in_blocks_gives_what_reading_row_by_row_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text_and_delimiter: tuple[str, str], block: int
) -> None:
    text, delimiter = text_and_delimiter
    monkeypatch.setattr(csv_files, "_BLOCK_CHARACTERS", block)  # blocks of a line or a few: every boundary
    path = tmp_path / "data.csv"
    path.write_bytes(text.encode())
    every_column = ColumnChoice(label_optional=True)  # every column a feature: read as numbers
    try:
        expected = row_by_row(str(path), text.removeprefix(BOM), delimiter)
    except mf.DataError as error:  # the first problem's line is named (with the other problems)
        where = re.match(r"(.*?)( line (\d+))?[:,]", str(error))
        assert where is not None
        with pytest.raises(mf.DataError, match=f"^{re.escape(where[1])}") as caught:
            read_table(path, delimiter, choice=every_column)
        assert where[3] is None or re.search(rf"\blines? {where[3]}\b", str(caught.value)), (
            str(caught.value),
            where[3],
        )
    else:
        table = read_table(path, delimiter, choice=every_column)
        assert table.header == expected[0]
        assert table.values.tolist() == expected[1]
        assert list(table.line_numbers) == expected[2]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    numbers=st.lists(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=2), min_size=1, max_size=30),
    text=st.lists(st.text(st.sampled_from('ab ,"é\t;'), max_size=6), min_size=30, max_size=30),
    position=st.integers(0, 2),
    block=st.sampled_from([1, 7, 64, 1 << 20]),
)
def test_a_column_read_as_text_keeps_its_cells_at_every_block_size(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    numbers: list[list[float]],
    text: list[str],
    position: int,
    block: int,
) -> None:
    """A dropped column is kept cell for cell, whatever it holds, and the other columns read as numbers."""
    monkeypatch.setattr(csv_files, "_BLOCK_CHARACTERS", block)
    rows = [[repr(a), repr(b)] for a, b in numbers]
    for row, cell in zip(rows, text, strict=False):
        row.insert(position, cell if cell.strip() else cell + "-")  # a blank row would be skipped
    header = ["x1", "x2"]
    header.insert(position, "note")
    path = tmp_path / "data.csv"
    with open(path, "w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows([header, *rows])
    table = read_table(path, ",", choice=csv_files.ColumnChoice(label="x2", drop=["note"]))
    assert table.text == {position: [row[position] for row in rows]}
    kept = [i for i in range(3) if i != position]
    assert table.values[:, kept].tolist() == [[float(row[i]) for i in kept] for row in rows]
    assert np.isnan(table.values[:, position]).all()
    assert csv_files.features_of(table).tolist() == [[a for a, _ in numbers]]


def test_save_csv_writes_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It opened the file for writing first: a failure in the middle left half a file in place of the old one."""
    path = tmp_path / "data.csv"
    X, Y = mf.make_xor(8, noise=0.0)
    mf.save_csv(path, X, Y)
    old = path.read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left on device"):
        mf.save_csv(path, 2 * X, Y)
    assert path.read_bytes() == old
    assert os.listdir(tmp_path) == ["data.csv"]


@pytest.mark.parametrize(
    ("width", "label", "features"), [(2, 2, [0, 1]), (3, None, [0, 1, 2]), (None, None, [0, 1, 2])]
)
def test_one_column_more_than_a_model_takes_is_the_label(
    tmp_path: Path, width: int | None, label: int | None, features: list[int]
) -> None:
    """The rule for models saved without column names, resolved with the other column choices (predict re-read it)."""
    path = tmp_path / "new.csv"
    path.write_text("a,b,y\n1,2,0\n3,4,1\n")
    table = read_table(path, ",", choice=csv_files.ColumnChoice(label_optional=True, width=width))
    assert (table.label, table.features) == (label, features)
