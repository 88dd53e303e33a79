"""The Benchmarks pages: benchmarks/publish.py turns --json records into pages, tables and figures,
and a benchmark script run with --json writes the records publish.py reads."""

from __future__ import annotations

import doctest
import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "benchmarks"


@pytest.fixture
def bench(monkeypatch):
    """benchmarks/record.py and benchmarks/publish.py, imported the way the scripts import them."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module("record"), importlib.import_module("publish")


def fabricated(record, script: str, measurements: list[tuple]) -> dict:
    """A --json document as record.write would make it, with fixed machine details."""
    env = {
        "cpu_count": 2,
        "cpus_usable": 2,
        "threads": {"torch": 2, "blas": 2},
        "versions": {"python": "3.11.0", "numpy": "2.0.0", "torch": "2.13.0", "jaring": "0.1.0"},
        "platform": "Linux-test",
    }
    records = [record.measurement(*m, "wall") for m in measurements]
    return {
        "schema": record.SCHEMA,
        "script": script,
        "command": f"python benchmarks/{script}.py --json runs/bench/{script}.json",
        "argv": ["--json", f"runs/bench/{script}.json"],
        "date": "2026-12-01T10:00:00Z",
        **env,
        "lines": [],
        "records": records,
    }


def cells(page: str, prefix: str) -> list[list[str]]:
    """The cells of the page's table rows that start with `prefix`."""
    rows = [line for line in page.splitlines() if line.startswith(prefix)]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def write_results(record, results: Path) -> None:
    results.mkdir()
    cnn = fabricated(
        record,
        "cnn",
        [
            ("cnn_train_step", "jaring", 0.0346, 0.05, 0.692, [0.8, 0.6, 0.7]),
            ("cnn_train_step", "jaring_numpy", 0.06, 0.05, 1.2, [1.1, 1.3, 1.2]),
            ("cnn_inference", "jaring", 0.012, 0.01, 1.2, [1.25, 1.15, 1.2]),
            ("cnn_inference", "jaring_numpy", 0.02, 0.01, 2.0, [2.0, 1.9, 2.1]),
        ],
    )
    mlp = fabricated(
        record,
        "mlp_mnist",
        [
            ("mlp_epoch", "jaring", 1.1, 2.0, 0.55, [0.5, 0.55, 0.6]),
            ("mlp_epoch_cpu", "jaring", 1.0, 2.0, 0.5, [0.45, 0.5, 0.55]),
        ],
    )
    (results / "cnn.json").write_text(json.dumps(cnn))
    (results / "mlp_mnist.json").write_text(json.dumps(mlp))


def test_pages_tables_and_figures_come_from_the_records(bench, tmp_path):
    record, publish = bench
    write_results(record, tmp_path / "results")
    out = tmp_path / "docs" / "benchmarks"
    publish.publish(tmp_path / "results", out)
    assert sorted(p.name for p in out.iterdir()) == [
        "cnn.md", "cnn.png", "index.md", "mlp_mnist.md", "mlp_mnist.png",
    ]  # fmt: skip

    cnn = (out / "cnn.md").read_text(encoding="utf-8")
    assert "python benchmarks/cnn.py --json runs/bench/cnn.json" in cnn
    assert "![Per-round ratios to PyTorch, benchmarks/cnn.py](cnn.png)" in cnn
    train, infer = "CNN train step (`cnn_train_step`)", "CNN inference (`cnn_inference`)"
    assert cells(cnn, "| CNN") == [
        [train, "jaring", "34.6 ms", "50.0 ms", "0.692", "0.60–0.80", "≤ 0.85", "yes"],
        [train, "jaring_numpy", "60.0 ms", "50.0 ms", "1.200", "1.10–1.30", "≤ 0.85", "no"],
        [infer, "jaring", "12.0 ms", "10.0 ms", "1.200", "1.15–1.25", "≤ 0.6", "no"],
        [infer, "jaring_numpy", "20.0 ms", "10.0 ms", "2.000", "1.90–2.10", "≤ 0.6", "no"],
    ]
    mlp = (out / "mlp_mnist.md").read_text(encoding="utf-8")
    assert cells(mlp, "| MLP epoch, CPU") == [
        [
            "MLP epoch, CPU time (`mlp_epoch_cpu`)",
            "jaring",
            "1.00 s",
            "2.00 s",
            "0.500",
            "0.45–0.55",
            "—",
            "—",
        ]
    ]

    index = (out / "index.md").read_text(encoding="utf-8")
    # the jaring arm against its goal, jaring_numpy's ratio beside it; the pages in script order
    mlp_page, cnn_page = "[MLP on MNIST, one epoch](mlp_mnist.md)", "[Convolutional networks](cnn.md)"
    assert cells(index, "| [") == [
        [mlp_page, "MLP epoch", "0.550", "0.50–0.60", "—", "≤ 0.6", "yes"],
        [mlp_page, "MLP epoch, CPU time", "0.500", "0.45–0.55", "—", "—", "—"],
        [cnn_page, "CNN train step", "0.692", "0.60–0.80", "1.200", "≤ 0.85", "yes"],
        [cnn_page, "CNN inference", "1.200", "1.15–1.25", "2.000", "≤ 0.6", "no"],
    ]
    assert "](../studies/index.md)" in index


def test_the_same_records_give_the_same_bytes_and_the_png_has_no_timestamp(bench, tmp_path):
    record, publish = bench
    write_results(record, tmp_path / "results")
    (tmp_path / "results" / "mlp_mnist.json").unlink()  # one page and figure show it
    first, second = tmp_path / "first", tmp_path / "second"
    publish.publish(tmp_path / "results", first)
    publish.publish(tmp_path / "results", second)
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name
    png = (first / "cnn.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    assert b"tIME" not in png and b"Software" not in png and b"matplotlib" not in png


def test_publish_refuses_what_is_not_a_benchmark_record(bench, tmp_path):
    _, publish = bench
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "x.json").write_text(json.dumps({"benchmark": "cnn_train_step"}))
    with pytest.raises(ValueError, match="not a benchmark record"):
        publish.publish(tmp_path / "results", tmp_path / "out")
    with pytest.raises(FileNotFoundError):
        publish.publish(tmp_path / "empty", tmp_path / "out")


def test_every_measurement_has_a_goal_entry_and_the_helpers_examples_hold(bench):
    record, publish = bench
    with pytest.raises(KeyError, match="no goal entry"):
        record.goal("no_such_benchmark")
    assert set(publish.MEASUREMENTS) == set(record.GOALS)
    for module in (record, publish):
        failed, attempted = doctest.testmod(module)
        assert attempted and not failed, module.__name__


@pytest.mark.slow
def test_a_script_run_with_json_writes_the_records_publish_reads(bench, tmp_path):
    record, publish = bench
    path = tmp_path / "results" / "overhead.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = ["--repeats", "3", "--pairs", "10", "--chain", "20", "--json", str(path)]
    run = subprocess.run(
        [sys.executable, str(BENCHMARKS / "overhead.py"), *args],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=True,
    )  # fmt: skip
    printed = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    doc = json.loads(path.read_text())
    assert [p.name for p in path.parent.iterdir()] == ["overhead.json"]  # no temporary left behind
    assert doc["schema"] == record.SCHEMA and doc["script"] == "overhead"
    assert doc["command"] == "python benchmarks/overhead.py " + " ".join(args)
    assert doc["argv"] == args
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", doc["date"])
    assert doc["cpu_count"] == os.cpu_count() and 1 <= doc["cpus_usable"] <= doc["cpu_count"]
    assert doc["threads"]["torch"] == 1  # overhead.py pins PyTorch to one thread
    assert set(doc["versions"]) >= {"numpy", "torch", "python", "jaring"}
    assert doc["lines"] == printed and len(printed) == 2
    assert [(r["benchmark"], r["arm"]) for r in doc["records"]] == [
        ("record_op", "jaring"),
        ("chain_op", "jaring"),
    ]
    for r, line in zip(doc["records"], printed):
        assert r["goal"] == record.GOALS[r["benchmark"]] == line["target"]
        assert len(r["round_ratios"]) == 3 and all(v > 0 for v in r["round_ratios"])
        assert r["jaring_s"] == line["jaring_s"] and r["torch_s"] == line["torch_s"]
        assert r["ratio"] == pytest.approx(r["jaring_s"] / r["torch_s"])
        assert r["clock"] == "wall"
    publish.publish(path.parent, tmp_path / "pages")
    assert (tmp_path / "pages" / "overhead.png").stat().st_size > 0
    assert "| recording one op (`record_op`) | jaring |" in (tmp_path / "pages" / "overhead.md").read_text()


def test_every_benchmark_page_is_in_the_sites_navigation(bench):
    _, publish = bench
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = ["benchmarks/index.md", *(f"benchmarks/{script}.md" for script in publish.SCRIPTS)]
    assert [page for page in pages if page not in nav] == []
    assert "benchmarks.md" not in nav and not (ROOT / "docs" / "benchmarks.md").exists()  # the old page
