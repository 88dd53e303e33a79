"""The network page in headless Chromium: nodes render; clicking an edge shows the model's weight and grad.

Needs Chromium, chromedriver and selenium. Without them the tests skip and say what to
install, except under CI (CI=true), where a missing browser is a failure: `.ci/run` installs it.
"""

import os
import re
import time

import numpy as np
import pytest

import jaring.nn as nn
from jaring.viz import network
from jaring.viz.browser import INSTALL_HINT, click_edge, find_browser, headless_chromium, open_page
from tests.viz.models import trained_mlp
from tests.viz.pictures import assert_drawn_png

pytestmark = pytest.mark.slow  # a headless browser starts for these


@pytest.fixture(scope="module")
def driver():
    if find_browser() is None:
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(f"CI must run the browser test: {INSTALL_HINT}")
        pytest.skip(INSTALL_HINT)
    with headless_chromium() as browser:
        yield browser


def _count(driver, selector: str) -> int:
    return driver.execute_script("return document.querySelectorAll(arguments[0]).length", selector)


def test_nodes_render_and_clicking_an_edge_shows_its_weight_and_gradient(driver, tmp_path):
    model = trained_mlp((5, 4, 3), seed=3)
    open_page(driver, network(model, tmp_path / "net.html"))
    assert _count(driver, "circle.neuron") == 5 + 4 + 3
    assert _count(driver, "rect.bias") == 2
    labels = driver.execute_script(
        "return [...document.querySelectorAll('.col-label')].map(t => t.textContent)"
    )
    assert labels == ["input \u00b7 5", "hidden 1 \u00b7 4", "output \u00b7 3"]
    for link, layer, (i, j) in [(0, model[0], (4, 1)), (1, model[2], (0, 2)), (1, model[2], (3, 0))]:
        panel = click_edge(driver, link, i, j)
        assert panel["kind"] == "edge" and panel["edge"] == f"{link}:{i}:{j}"
        assert np.float32(float(panel["weight"])) == layer.weight.numpy()[j, i]
        assert np.float32(float(panel["grad"])) == layer.weight.grad.numpy()[j, i]
        text = driver.find_element("id", "info").text
        assert f"{layer.weight.numpy()[j, i]:.6g}"[:6] in text.replace("\n", " ")
    # Hovering shows the same numbers in a tooltip.
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    point = driver.execute_script("return window.jaring.edgePoint(0, 2, 3)")
    builder = ActionBuilder(driver)
    builder.pointer_action.move_to_location(round(point["x"]), round(point["y"]))
    builder.perform()
    shown = re.fullmatch(r"w = (\S+)\s+grad = (\S+)", driver.find_element("id", "tip").text)
    expected = [model[0].weight.numpy()[3, 2], model[0].weight.grad.numpy()[3, 2]]
    np.testing.assert_allclose([float(shown[1]), float(shown[2])], expected, rtol=1e-5)
    driver.save_screenshot(str(tmp_path / "network.png"))
    assert_drawn_png(tmp_path / "network.png", min_width=800, min_height=500)


def test_clicking_a_neuron_shows_its_bias(driver, tmp_path):
    model = trained_mlp((3, 2), seed=1)
    open_page(driver, network(model, tmp_path / "net.html"))
    driver.find_elements("css selector", 'circle[data-col="1"]')[1].click()
    info = driver.execute_script("return Object.assign({}, document.getElementById('info').dataset)")
    assert info["kind"] == "neuron" and info["node"] == "1:1"
    assert np.float32(float(info["bias"])) == model[0].bias.numpy()[1]


def test_784_256_128_10_folds_unfolds_and_stays_responsive(driver, tmp_path):
    model = nn.Sequential(nn.Linear(784, 256, seed=0), nn.ReLU(), nn.Linear(256, 128, seed=1), nn.ReLU(),
                          nn.Linear(128, 10, seed=2))  # fmt: skip
    start = time.perf_counter()
    open_page(driver, network(model, tmp_path / "big.html"))
    load_s = time.perf_counter() - start
    assert _count(driver, "rect.group") == 3 and _count(driver, "circle.neuron") == 10
    assert load_s < 10
    # Clicking the group selects it; the panel then offers to unfold it.
    driver.find_element("css selector", 'rect.group[data-col="0"]').click()
    assert "784" in driver.find_element("id", "unfold").text
    driver.find_element("id", "unfold").click()
    assert _count(driver, "circle.neuron") == 784 + 10
    for k in (1, 2):
        driver.execute_script("window.jaring.unfold(arguments[0])", k)
    timings = driver.execute_script("return window.jaring.timings")
    edges = driver.execute_script("return window.jaring.edgeCount()")
    assert _count(driver, "circle.neuron") == 784 + 256 + 128 + 10
    assert edges < 10_000  # the strongest weights, never all 235k
    assert timings["layout"] < 1500 and timings["draw"] < 500, timings
    # Click one of the drawn strongest weights; among 1500 crowded lines the nearest one is picked,
    # so check the values of the edge the panel names against the model.
    i, j = driver.execute_script(
        "const l = window.jaring.data.links[0], n = l.top[0]; return [n % l.cols, Math.floor(n / l.cols)]"
    )
    panel = click_edge(driver, 0, i, j)
    link, i, j = panel["edge"].split(":")
    layer = model[0]
    expected = layer.bias.numpy()[int(j)] if i == "bias" else layer.weight.numpy()[int(j), int(i)]
    assert link == "0" and np.float32(float(panel["weight"])) == expected
    assert panel["grad"] == ""  # no backward pass: the panel says so instead of inventing zeros
