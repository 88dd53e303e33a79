"""LBFGS against torch.optim.LBFGS in float64: Rosenbrock and least squares from the same start,
with and without the strong-Wolfe line search, parameters compared after every step(closure) and
function evaluations counted; stopping rules; state_dict round trips; errors in torch's words.

The two agree to the last bit for a while and then drift by rounding (torch's dot is its BLAS's,
its add_(alpha=) fused); fixed-step L-BFGS on Rosenbrock amplifies that drift, so its comparison
window is 40 iterations, after which only the evaluation counts and the final point are compared.
"""

import warnings

import numpy as np
import pytest
import torch

import jaring
from jaring import optim
from jaring.optim import LBFGS
from tests.optim.side_by_side import through_json_and_npz

RTOL = dict(rtol=1e-8, atol=1e-12)
SEARCHES = [None, "strong_wolfe"]


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def least_squares(params, data):
    w, b, _unused = params
    x, y = data
    return ((x @ w + b - y) ** 2).mean()


def _problem(name):
    """(starting arrays, loss(params, data), data as NumPy arrays)."""
    if name == "rosenbrock":
        return [np.array([-1.5, 2.0])], lambda p, data: rosenbrock(p[0]), ()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((20, 3))
    y = x @ rng.standard_normal((3, 2)) + 0.1 * rng.standard_normal((20, 2))
    # the third parameter gets no gradient: torch counts it as zeros, so must jaring
    return [rng.standard_normal((3, 2)), rng.standard_normal(2), np.ones(4)], least_squares, (x, y)


class Pair:
    """The same problem and options in jaring and in torch, stepped together."""

    def __init__(self, name, **options):
        start, self.loss, data = _problem(name)
        self.jp = [jaring.tensor(a.copy(), requires_grad=True) for a in start]
        self.tp = [torch.tensor(a.copy(), requires_grad=True) for a in start]
        self.jdata = [jaring.tensor(a) for a in data]
        self.tdata = [torch.tensor(a) for a in data]
        self.jopt = LBFGS(self.jp, **options)
        self.topt = torch.optim.LBFGS(self.tp, **options)
        self.jcalls = self.tcalls = 0

    def jclosure(self):
        self.jcalls += 1
        self.jopt.zero_grad()
        loss = self.loss(self.jp, self.jdata)
        loss.backward()
        return loss

    def tclosure(self):
        self.tcalls += 1
        self.topt.zero_grad()
        loss = self.loss(self.tp, self.tdata)
        loss.backward()
        return loss

    def step(self):
        jloss = self.jopt.step(self.jclosure)
        tloss = self.topt.step(self.tclosure)
        return float(jloss), float(tloss.detach())

    def counts(self, what):
        jstate, tstate = self.jopt.state[self.jp[0]], self.topt.state[self.tp[0]]
        assert (jstate["func_evals"], jstate["n_iter"]) == (tstate["func_evals"], tstate["n_iter"]), what
        assert self.jcalls == self.tcalls == tstate["func_evals"], what

    def compare(self, what, **tolerance):
        for j, t in zip(self.jp, self.tp):
            np.testing.assert_allclose(j.numpy(), t.detach().numpy(), **(tolerance or RTOL), err_msg=what)


def _run(name, steps, compared, **options):
    """Step both `steps` times; parameters compared for the first `compared` steps, counts always."""
    pair = Pair(name, **options)
    for k in range(steps):
        jloss, tloss = pair.step()
        pair.counts(f"step {k}")
        if k < compared:
            np.testing.assert_allclose(jloss, tloss, **RTOL, err_msg=f"loss, step {k}")
            pair.compare(f"step {k}")
    return pair


@pytest.mark.parametrize("line_search_fn", SEARCHES)
def test_rosenbrock_matches_torch_step_by_step(line_search_fn):
    compared = 8 if line_search_fn is None else 30
    pair = _run("rosenbrock", 30, compared, max_iter=5, line_search_fn=line_search_fn)
    pair.compare("converged", rtol=1e-5)
    np.testing.assert_allclose(pair.jp[0].numpy(), [1.0, 1.0], atol=1e-4)


@pytest.mark.parametrize("line_search_fn", SEARCHES)
def test_rosenbrock_with_a_short_history_and_small_lr_matches_torch(line_search_fn):
    _run("rosenbrock", 4, 4, lr=0.5, history_size=3, line_search_fn=line_search_fn)


@pytest.mark.parametrize("line_search_fn", SEARCHES)
@pytest.mark.parametrize("max_iter", [1, 4, 20])
def test_least_squares_matches_torch_step_by_step(line_search_fn, max_iter):
    pair = _run("least_squares", 6, 6, max_iter=max_iter, line_search_fn=line_search_fn)
    tstate, jstate = pair.topt.state[pair.tp[0]], pair.jopt.state[pair.jp[0]]
    for name in ("t", "H_diag", "prev_loss"):
        np.testing.assert_allclose(jstate[name], float(tstate[name]), rtol=1e-6, err_msg=name)
    for name in ("d", "prev_flat_grad"):
        np.testing.assert_allclose(jstate[name], tstate[name].numpy(), rtol=1e-6, atol=1e-12, err_msg=name)
    assert len(jstate["old_dirs"]) == len(tstate["old_dirs"])
    np.testing.assert_allclose(jstate["ro"], [float(r) for r in tstate["ro"]], rtol=1e-6)
    np.testing.assert_array_equal(pair.jp[2].numpy(), np.ones(4))


def test_max_iter_bounds_one_step_and_the_last_point_is_not_evaluated():
    pair = _run("least_squares", 1, 1, max_iter=3, max_eval=10)
    state = pair.jopt.state[pair.jp[0]]
    assert (state["n_iter"], state["func_evals"]) == (3, 3)
    pair = _run("least_squares", 1, 1, max_iter=3)  # max_eval = 3 * 5 // 4 = 3 stops it first
    assert pair.jopt.state[pair.jp[0]]["n_iter"] == 2


def test_max_eval_bounds_the_line_search():
    pair = _run("rosenbrock", 1, 1, max_iter=50, max_eval=7, line_search_fn="strong_wolfe")
    assert pair.jopt.state[pair.jp[0]]["func_evals"] <= 8


def test_tolerance_grad_returns_at_once_at_the_minimum():
    w = jaring.tensor([1.0, 1.0], requires_grad=True)
    opt = LBFGS([w])

    def closure():
        opt.zero_grad()
        loss = rosenbrock(w)
        loss.backward()
        return loss

    assert float(opt.step(closure)) == 0.0
    assert opt.state[w] == {"func_evals": 1, "n_iter": 0}
    np.testing.assert_array_equal(w.numpy(), [1.0, 1.0])


@pytest.mark.parametrize("options", [dict(tolerance_change=1e3), dict(tolerance_grad=10.0)], ids=str)
def test_tolerances_stop_early_as_torch(options):
    pair = _run("rosenbrock", 3, 3, max_iter=20, **options)
    assert pair.jopt.state[pair.jp[0]]["n_iter"] < 20


@pytest.mark.parametrize("line_search_fn", SEARCHES)
def test_state_dict_through_json_and_npz_continues_identically(line_search_fn):
    pair = Pair("least_squares", max_iter=3, history_size=4, line_search_fn=line_search_fn)
    for _ in range(2):
        pair.step()
    saved = pair.jopt.state_dict()
    assert "old_dirs.0" in saved["state"][0] and "old_dirs" not in saved["state"][0]
    twin_params = [jaring.tensor(p.numpy().copy(), requires_grad=True) for p in pair.jp]
    twin = LBFGS(twin_params, lr=0.3)
    twin.load_state_dict(through_json_and_npz(saved))
    assert twin.param_groups[0]["lr"] == 1.0 and twin.param_groups[0]["history_size"] == 4

    def twin_closure():
        twin.zero_grad()
        loss = least_squares(twin_params, pair.jdata)
        loss.backward()
        return loss

    for k in range(3):
        pair.step()
        twin.step(twin_closure)
        for a, b in zip(pair.jp, twin_params):
            np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=f"step {k} after loading")
        assert twin.state[twin_params[0]]["func_evals"] == pair.jopt.state[pair.jp[0]]["func_evals"]
    pair.compare("torch, after the round trip", rtol=1e-6)


def test_torchs_state_dict_loads_and_continues_as_torch():
    pair = Pair("least_squares", max_iter=2, line_search_fn="strong_wolfe")
    pair.step()
    saved = pair.topt.state_dict()
    numpy_state = {
        k: {
            name: [a.numpy() for a in v]
            if name in ("old_dirs", "old_stps")
            else v.numpy()
            if torch.is_tensor(v)
            else v
            for name, v in entry.items()
        }
        for k, entry in saved["state"].items()
    }
    opt = LBFGS(pair.jp)
    opt.load_state_dict({"state": numpy_state, "param_groups": saved["param_groups"]})
    pair.jopt = opt
    for k in range(3):
        pair.step()
        pair.compare(f"step {k} from torch's state", rtol=1e-7)


def test_a_bad_state_dict_is_refused_and_nothing_changes():
    pair = Pair("least_squares", max_iter=4)
    pair.step()
    saved = pair.jopt.state_dict()
    assert "old_dirs.2" in saved["state"][0]
    before = pair.jopt.state[pair.jp[0]]["n_iter"]
    broken = {**saved["state"][0], "d": np.zeros(3)}
    with pytest.raises(ValueError, match="saved 'd' has shape"):
        pair.jopt.load_state_dict({"state": {0: broken}, "param_groups": saved["param_groups"]})
    gap = {k: v for k, v in saved["state"][0].items() if k != "old_dirs.0"}
    with pytest.raises(ValueError, match="old_dirs entries"):
        pair.jopt.load_state_dict({"state": {0: gap}, "param_groups": saved["param_groups"]})
    with pytest.raises(ValueError, match="unknown state entry 'momentum'"):
        pair.jopt.load_state_dict({"state": {0: {"momentum": 1.0}}, "param_groups": saved["param_groups"]})
    assert pair.jopt.state[pair.jp[0]]["n_iter"] == before


def test_errors_in_torchs_words():
    w = jaring.ones(2, requires_grad=True)
    v = jaring.ones(1, requires_grad=True)
    with pytest.raises(ValueError, match=r"LBFGS doesn't support per-parameter options \(parameter groups\)"):
        LBFGS([{"params": [w]}, {"params": [v]}])
    with pytest.raises(ValueError, match="parameter groups"):
        LBFGS([w]).add_param_group({"params": [v]})
    with pytest.raises(ValueError, match="LBFGS: Invalid learning rate: -1"):
        LBFGS([w], lr=-1)
    with pytest.raises(ValueError, match="only 'strong_wolfe' is supported"):
        LBFGS([w], line_search_fn="backtracking")
    with pytest.raises(TypeError, match="max_iter must be an integer"):
        LBFGS([w], max_iter=2.5)
    with pytest.raises(ValueError, match="history_size must be at least 1"):
        LBFGS([w], history_size=0)
    with pytest.raises(TypeError, match="needs a closure"):
        LBFGS([w]).step()


def test_defaults_are_torchs():
    jgroup = LBFGS([jaring.ones(1, requires_grad=True)], max_iter=7).param_groups[0]
    tgroup = torch.optim.LBFGS([torch.ones(1, requires_grad=True)], max_iter=7).param_groups[0]
    assert {k: v for k, v in jgroup.items() if k != "params"} == {
        k: v for k, v in tgroup.items() if k != "params"
    }


def test_not_a_get_optimizer_name_because_fit_steps_without_a_closure():
    with pytest.raises(ValueError, match="unknown optimizer 'lbfgs'"):
        optim.get_optimizer("lbfgs", [jaring.ones(1, requires_grad=True)])


@pytest.fixture(autouse=True)
def _quiet_torch():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        yield


def test_the_training_state_writer_stores_it_and_reads_it_back():
    """fit's resume machinery (TrainingRun) splits the state into JSON and named arrays."""
    import json

    from jaring.training.history import History
    from jaring.training.resume import TrainingRun

    pair = Pair("least_squares", max_iter=4)
    pair.step()
    model = jaring.nn.Linear(3, 2, seed=0)  # the run's model; LBFGS here steps other tensors
    document, arrays = TrainingRun(model, pair.jopt, None, History(), {}, []).state(1)
    document = json.loads(json.dumps(document))
    fresh = LBFGS([jaring.tensor(p.numpy(), requires_grad=True) for p in pair.jp])
    _, apply = TrainingRun(model, fresh, None, History(), {}, [])._plan("run.jaring", document, arrays)
    apply()
    for name, value in pair.jopt.state[pair.jp[0]].items():
        loaded = fresh.state[fresh._params[0]][name]
        if name in ("old_dirs", "old_stps"):
            assert len(loaded) == len(value) == 3
            value, loaded = np.stack(value), np.stack(loaded)
        np.testing.assert_array_equal(loaded, value, err_msg=name)
