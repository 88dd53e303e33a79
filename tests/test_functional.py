"""jaring/functional.py: every name is the op's own function, gathered in one namespace."""

import importlib
import inspect

import jaring.functional as F


def test_each_function_is_the_ops_own_not_a_copy():
    names = [n for n, v in vars(F).items() if inspect.isfunction(v) and not n.startswith("_")]
    assert len(names) > 50
    for name in names:
        fn = getattr(F, name)
        assert fn.__module__.startswith("jaring.ops."), name
        assert getattr(importlib.import_module(fn.__module__), fn.__name__) is fn


def test_pytorch_style_names_are_there():
    for name in ("linear", "conv2d", "cross_entropy", "max_pool2d", "batch_norm", "lstm", "flatten"):
        assert callable(getattr(F, name)), name


def test_all_lists_every_public_function_so_the_api_reference_shows_it():
    public = {name for name, obj in vars(F).items() if not name.startswith("_") and not inspect.ismodule(obj)}
    assert set(F.__all__) == public
    assert len(F.__all__) == len(set(F.__all__))
