"""torch's dtype names, finfo/iinfo, and the promotion rules exported beside them, against torch."""

import itertools

import numpy as np
import pytest

import jaring

torch = pytest.importorskip("torch")

PAIRS = {
    "bool": torch.bool, "uint8": torch.uint8, "int8": torch.int8, "int16": torch.int16,
    "short": torch.short, "int32": torch.int32, "int": torch.int, "int64": torch.int64,
    "long": torch.long, "float16": torch.float16, "half": torch.half, "float32": torch.float32,
    "float": torch.float, "float64": torch.float64, "double": torch.double,
}  # fmt: skip


def as_torch(dtype):
    return torch.from_numpy(np.zeros(1, dtype)).dtype


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_every_torch_dtype_name_means_the_same_dtype(name):
    assert as_torch(getattr(jaring, name)) == PAIRS[name]
    assert name in jaring.__all__


def test_the_names_work_where_dtypes_are_taken():
    ids = jaring.tensor([1, 2], dtype=jaring.long)
    assert ids.dtype == jaring.int64 == np.int64
    assert jaring.zeros(2, dtype=jaring.float64).dtype == jaring.double
    assert jaring.ones(2).to(jaring.half).dtype == np.float16


def test_the_builtins_are_not_shadowed_outside_the_package():
    assert float("1.5") == 1.5 and int("3") == 3 and bool(0) is False


DTYPES = [
    np.dtype(d) for d in ("bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64")
]


@pytest.mark.parametrize(("a", "b"), list(itertools.product(DTYPES, DTYPES)))
def test_promote_types_and_can_cast_match_torch(a, b):
    assert as_torch(jaring.promote_types(a, b)) == torch.promote_types(as_torch(a), as_torch(b))
    assert jaring.can_cast(a, b) == torch.can_cast(as_torch(a), as_torch(b))


@pytest.mark.parametrize(
    "operands",
    [
        (np.zeros(2, np.int32), 2.5),
        (np.zeros(2, np.float16), np.zeros((), np.float64)),
        (np.zeros(2, np.int64), np.zeros((), np.float64)),
        (np.zeros((), np.int32), 7),
        (np.zeros(2, np.uint8), np.zeros(2, np.int8)),
        (np.zeros(2, np.bool_), True),
    ],
)
def test_result_type_matches_torch(operands):
    ours = jaring.result_type(*[jaring.tensor(o) if isinstance(o, np.ndarray) else o for o in operands])
    theirs = torch.result_type(*[torch.from_numpy(o) if isinstance(o, np.ndarray) else o for o in operands])
    assert as_torch(ours) == theirs


@pytest.mark.parametrize("name", ["float16", "float32", "float64"])
def test_finfo_matches_torch(name):
    ours, theirs = jaring.finfo(getattr(jaring, name)), torch.finfo(PAIRS[name])
    for field in ("eps", "max", "min", "tiny", "resolution"):
        assert float(getattr(ours, field)) == getattr(theirs, field), field
    assert ours.bits == theirs.bits


def test_finfo_defaults_to_the_default_float_dtype():
    assert jaring.finfo().dtype == jaring.get_default_dtype()
    with pytest.raises(TypeError, match="use iinfo"):
        jaring.finfo(jaring.int32)


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo_matches_torch(name):
    ours, theirs = jaring.iinfo(getattr(jaring, name)), torch.iinfo(PAIRS[name])
    assert (ours.min, ours.max, ours.bits) == (theirs.min, theirs.max, theirs.bits)


def test_iinfo_refuses_floats():
    with pytest.raises(TypeError, match="use finfo"):
        jaring.iinfo(jaring.float32)
