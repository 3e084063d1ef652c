"""Built-in data sets (seeded, (d, m) layout) and the CSV loader's line-numbered errors."""

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import minifw as mf

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
        ("x1,x2,y\n1,2,0\n\n3,nan,1\n", r"line 4, column 2 \(x2\): nan is not a finite number"),
        ("x1,x2,y\n1,2,0\n3,inf,1\n", "line 3.*not a finite"),
        ("x1,x2,y\n1,2,0\n3,4,2\n", r"line 3, column 3 \(y\): label 2 must be 0 or 1"),
        ("x1,x2,y\n1,2,0\n3,4,\n", r"line 3, column 3 \(y\): '' is not a number"),
        ("y\n1\n", "1 column"),
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
