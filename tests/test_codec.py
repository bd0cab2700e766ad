"""The codec: values cross as plain data, and nothing else is accepted."""

from __future__ import annotations

import base64
import json
import math

import numpy as np
import pandas as pd
import pytest
import torch

from mlkata.codec import CodecError, Decoder, Encoder, make_generator, roundtrip


def through_json(value):
    return Decoder(rng=make_generator).decode(
        json.loads(json.dumps(Encoder().encode(value), allow_nan=False))
    )


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        3,
        -(2**80),
        1.5,
        "é",
        [1, [2, 3]],
        (1, (2, "a")),
        {"a": 1, 2: (3,)},
        {1, 2},
        2 + 3j,
        range(1, 9, 2),
        slice(1, None, 2),
    ],
    ids=repr,
)
def test_plain_values_roundtrip(value):
    assert through_json(value) == value
    assert type(through_json(value)) is type(value)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_floats_roundtrip(value):
    out = through_json(value)
    assert (math.isnan(out) and math.isnan(value)) or out == value


@pytest.mark.parametrize("dtype", ["bool", "int8", "uint16", "int64", "float32", "float64", "complex128"])
def test_arrays_keep_dtype_shape_and_values(dtype):
    arr = (np.arange(24).reshape(2, 3, 4) % 3).astype(dtype)
    out = through_json(arr)
    assert out.dtype == arr.dtype
    assert out.shape == arr.shape
    np.testing.assert_array_equal(out, arr)


def test_non_contiguous_and_empty_arrays():
    arr = np.arange(12.0).reshape(3, 4).T
    np.testing.assert_array_equal(through_json(arr), arr)
    assert through_json(np.empty((0, 3))).shape == (0, 3)


def test_string_and_object_arrays():
    np.testing.assert_array_equal(through_json(np.array(["spam", "ham"])), np.array(["spam", "ham"]))
    obj = np.array([1, "a", None], dtype=object)
    assert through_json(obj).tolist() == [1, "a", None]


def test_numpy_scalars_keep_their_type():
    out = through_json(np.float32(1.5))
    assert isinstance(out, np.float32)
    assert out == np.float32(1.5)
    assert isinstance(through_json(np.int64(7)), np.int64)


def test_subclasses_are_reduced_to_their_plain_value():
    class Liar(float):
        def __eq__(self, other):
            return True

        __hash__ = float.__hash__

    class Sneaky(np.ndarray):
        def __eq__(self, other):
            return np.ones(self.shape, dtype=bool)

        __hash__ = None  # type: ignore[assignment]

    out = through_json(Liar(0.25))
    assert type(out) is float
    assert out != 0.5
    arr = through_json(np.arange(3.0).view(Sneaky))
    assert type(arr) is np.ndarray


def test_unknown_objects_are_refused():
    class Thing:
        pass

    with pytest.raises(CodecError, match="cannot send"):
        Encoder().encode(Thing())


def test_generator_state_roundtrips():
    gen = np.random.default_rng(3)
    gen.random(5)
    copy = through_json(gen)
    assert copy.random() == gen.random()


def test_pandas_frame_and_series_keep_index():
    frame = pd.DataFrame({"a": [1, 2, 3], "b": [0.5, 1.5, 2.5]}, index=[10, 30, 20])
    out = through_json(frame)
    pd.testing.assert_frame_equal(out, frame)
    series = pd.Series([1.0, 2.0], index=["x", "y"], name="s")
    pd.testing.assert_series_equal(through_json(series), series)


def test_tensors_keep_dtype_and_grad_flag():
    t = torch.arange(6, dtype=torch.float64).reshape(2, 3).requires_grad_(True)
    out = through_json(t)
    assert out.dtype == torch.float64
    assert out.requires_grad
    assert torch.equal(out.detach(), t.detach())


@pytest.mark.parametrize(
    "message",
    [
        {"$nd": ["<f8", [2], base64.b64encode(b"\0" * 8).decode()]},  # too little data for the shape
        {"$nd": ["|O", [1], ""]},  # object dtype as raw bytes
        {"$nd": ["V8", [1], base64.b64encode(b"\0" * 8).decode()]},  # void / structured
        {"$nd": ["<f8", [-1], ""]},  # negative shape
        {"$pickle": "gASVAAAAAAAAAACMBG9zLnN5c3RlbZST"},  # unknown tag
        {"$ref": [1, "X"]},  # handle without a resolver
        {"a": 1, "b": 2},  # untagged dict
        {"$d": [[[1], 2]]},  # unhashable key
        {"$nds": [[2], ["a", 3]]},  # non-string in a string array
    ],
    ids=lambda m: next(iter(m)),
)
def test_malformed_messages_are_refused(message):
    with pytest.raises(CodecError):
        Decoder().decode(message)


def test_deep_nesting_is_refused():
    value: list = []
    for _ in range(100):
        value = [value]
    with pytest.raises(CodecError, match="deeper"):
        Encoder().encode(value)


def test_roundtrip_helper_matches_json_path():
    assert roundtrip((1, [2.5, "x"])) == (1, [2.5, "x"])
