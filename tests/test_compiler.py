"""jaring/compiler.py: torch.compile's spelling returns the module or function itself."""

import pytest

import jaring
from jaring import nn

torch = pytest.importorskip("torch")

# torch.compile imports torch.jit, which warns about its own deprecated script_method
pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script_method` is deprecated:DeprecationWarning")


def test_a_module_and_a_function_come_back_unchanged():
    layer = nn.Linear(3, 2)
    assert jaring.compile(layer) is layer
    assert jaring.compile(layer, fullgraph=True, dynamic=False, backend="eager", disable=True) is layer

    def f(x):
        return x * 2

    assert jaring.compile(f, mode="reduce-overhead") is f


def test_decorator_without_and_with_arguments():
    @jaring.compile
    def square(x):
        return x * x

    @jaring.compile(mode="max-autotune")
    def cube(x):
        return x * x * x

    x = jaring.tensor([2.0, 3.0])
    assert square(x).tolist() == [4.0, 9.0] and cube(x).tolist() == [8.0, 27.0]
    assert square.__name__ == "square" and cube.__name__ == "cube"


def test_the_compiled_module_computes_what_torchs_compiled_module_computes():
    model = nn.Linear(2, 1)
    x = jaring.tensor([[1.0, 2.0]])
    assert jaring.compile(model)(x).tolist() == model(x).tolist()


def test_a_non_callable_is_refused():
    with pytest.raises(AssertionError):  # torch 2.13's error; jaring's is a TypeError
        torch.compile(3)
    with pytest.raises(TypeError, match="callable"):
        jaring.compile(3)
    with pytest.raises(TypeError, match="callable"):
        jaring.compile(mode="default")("not a function")


def test_bad_modes_are_torchs_runtime_errors():
    for kwargs in (dict(mode="bogus"), dict(mode="default", options={"a": 1})):
        with pytest.raises(RuntimeError):
            torch.compile(lambda x: x, **kwargs)
        with pytest.raises(RuntimeError):
            jaring.compile(lambda x: x, **kwargs)
