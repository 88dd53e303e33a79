"""Turn the --json files of the benchmark scripts into the documentation site's Benchmarks pages.

    python benchmarks/publish.py runs/bench docs/benchmarks

reads every RESULTS_DIR/*.json that a script in benchmarks/ wrote with `--json` (see
benchmarks/record.py) and writes, per script, OUT/<script>.md (what it measures, the exact
command, a table of every measurement and arm against its goal) and OUT/<script>.png (every
round's ratio to PyTorch), plus OUT/index.md, the summary over all of them. The same files in
give the same pages and pictures out, byte for byte: nothing but the records goes into them.
`make bench-pages` runs the four benchmarks and then this.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

SCHEMA = 1

# The scripts in the order the pages list them: title, what is measured, how the ratio is taken.
_ROUNDS = (
    "The arms take turns in rounds, so that a change in the machine's load hits all of them alike; "
    "**ratio** is the arm's median time over PyTorch's median time in the same rounds, and the "
    "**per-round range** is the lowest and highest ratio of one round's times."
)
SCRIPTS: dict[str, tuple[str, str, str]] = {
    "overhead": (
        "Autodiff overhead per op",
        "Python overhead of the autodiff engine on small (8x8) float32 tensors, where the arithmetic "
        "costs next to nothing: **record_op** records one op in the graph (an add-then-mul pair, "
        "divided by two), **chain_op** runs forward and backward through a 10,000-op chain, per op. "
        "PyTorch runs on one thread (threads only add overhead to tensors this small). The compiled "
        "kernels play no part in these ops, so jaring runs as one arm.",
        _ROUNDS,
    ),
    "mlp_mnist": (
        "MLP on MNIST, one epoch",
        "Seconds per MNIST epoch of a 784-500-10 ReLU MLP (cross-entropy, Adam 1e-3, batch 100): "
        "jaring's `fit()` with its compiled kernels (**jaring**) and under `JARING_KERNELS=numpy` "
        "(**jaring_numpy**) against an eager PyTorch loop that gathers shuffled batches the same way. "
        "**mlp_epoch** is wall-clock time, **mlp_epoch_cpu** the process's CPU time (steadier on a "
        "busy machine). With `--numpy`, a hand-written NumPy loop of the same math (**numpy**) runs "
        "as a further arm: the floor for any library on NumPy. **torch_ftz** is the PyTorch loop under "
        "`torch.set_flush_denormal(True)`: from about step 770 on, Adam's first moment for MNIST's "
        "blank border pixels is subnormal, which x86 CPUs compute on far slower; jaring's fused "
        "optimizers flush such state to zero, PyTorch only on request. **jaring_vs_torch_ftz** is "
        "jaring against that arm (its PyTorch column: torch_ftz's time).",
        "A block is one epoch per arm, the arms in turn; **ratio** is the median of the per-block "
        "ratios (arm time over PyTorch's time in the same block), the **per-round range** their "
        "lowest and highest.",
    ),
    "cnn": (
        "Convolutional networks",
        "The default CNN (Conv 32 3x3, MaxPool 2, Conv 64 3x3, MaxPool 2, Dense 64, Dense 10) on "
        "32x32x3 images, batch 64: **cnn_train_step** (forward, cross-entropy, backward, Adam) and "
        "**cnn_inference** (forward and softmax); and **six_conv_forward**, the six-conv CNN (64, 64, "
        "128, 128, 256, 256 filters, Dense 512, Dense 10) forward over a set of images in batches of "
        "32. jaring runs its Keras-style layers channels-last, PyTorch runs NCHW; **jaring_numpy** "
        "is the same jaring code under `JARING_KERNELS=numpy`.",
        _ROUNDS + " In a round each arm runs a block of calls back to back.",
    ),
    "lstm": (
        "LSTM text classifier",
        "Embedding(3000, 64), LSTM(64) and Dense(3) on sequences of 60 token ids, batch 32, with the "
        "same weights in jaring and `torch.nn.LSTM`: **lstm_train_step** (forward, cross-entropy, "
        "backward, one Adam step) and **lstm_inference** (forward, no graph); **jaring_numpy** is the "
        "same jaring code under `JARING_KERNELS=numpy`.",
        _ROUNDS + " In a round each arm runs a block of 5 calls back to back.",
    ),
}

MEASUREMENTS = {
    "record_op": "recording one op",
    "chain_op": "forward + backward per op, op chain",
    "mlp_epoch": "MLP epoch",
    "mlp_epoch_cpu": "MLP epoch, CPU time",
    "cnn_train_step": "CNN train step",
    "cnn_inference": "CNN inference",
    "six_conv_forward": "six-conv forward",
    "lstm_train_step": "LSTM train step",
    "lstm_inference": "LSTM inference",
}

INTRO = """\
Every benchmark measures jaring against PyTorch in the same run, on the CPU: the libraries take
turns in rounds (blocks of calls), so that both see the same machine load, and each ratio is
jaring's time over PyTorch's (below 1: jaring is faster). In the CNN and LSTM benchmarks each
arm runs untimed for 0.2 s after a switch before its timed calls: the previous arm's BLAS
threads spin for about 0.1 s after its last call and would take cores from the next one. The
goals are issue 15's, and issue 2's for the op chain. Besides jaring with its compiled kernels,
most benchmarks time the same jaring code under `JARING_KERNELS=numpy` (the **jaring_numpy**
arm), to show what the kernels bring. Accuracy against the published numbers, with PyTorch,
scikit-learn and Keras alongside, is what the [studies](../studies/index.md) measure.

These pages are written by `make bench-pages`, which runs the four scripts with `--json` into
`runs/bench/` and then `python benchmarks/publish.py runs/bench docs/benchmarks`; each page
gives the exact command, the machine and the versions it was measured with.
"""


def load(results_dir: str | Path) -> list[dict]:
    """Every benchmark file in `results_dir`, in page order (known scripts first, then by name)."""
    docs = []
    for path in sorted(Path(results_dir).glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or doc.get("schema") != SCHEMA or not doc.get("records"):
            raise ValueError(
                f"{path} is not a benchmark record of schema {SCHEMA} (see benchmarks/record.py)"
            )
        if not all(r.get("round_ratios") for r in doc["records"]):
            raise ValueError(f"{path}: a record without round_ratios")
        docs.append(doc)
    scripts = [doc["script"] for doc in docs]
    twice = sorted({s for s in scripts if scripts.count(s) > 1})
    if twice:
        raise ValueError(f"{results_dir} holds more than one run of {', '.join(twice)}")
    if not docs:
        raise FileNotFoundError(f"no benchmark records (*.json) in {results_dir}")
    known = list(SCRIPTS)
    return sorted(
        docs, key=lambda d: (known.index(d["script"]) if d["script"] in known else len(known), d["script"])
    )


def seconds(value: float) -> str:
    """A duration with a unit that keeps three significant digits or so.

    >>> seconds(8.6e-7), seconds(0.0346), seconds(1.234), seconds(123.4)
    ('0.86 µs', '34.6 ms', '1.23 s', '123 s')
    """
    scale, unit = next(((s, u) for s, u in ((1.0, "s"), (1e-3, "ms")) if value >= s), (1e-6, "µs"))
    v = value / scale
    return f"{v:.0f} {unit}" if v >= 100 else f"{v:.1f} {unit}" if v >= 10 else f"{v:.2f} {unit}"


def met(record: dict) -> str:
    """Whether the record's ratio meets its goal: "yes", "no", or "—" when it has none."""
    if record.get("goal") is None:
        return "—"
    return "yes" if record["ratio"] <= record["goal"] else "no"


def _goal(record: dict) -> str:
    return "—" if record.get("goal") is None else f"≤ {float(record['goal'])}"


def _range(record: dict) -> str:
    rounds = record["round_ratios"]
    return f"{min(rounds):.2f}–{max(rounds):.2f}"


def _label(benchmark: str) -> str:
    return MEASUREMENTS.get(benchmark, benchmark)


def table(doc: dict) -> list[str]:
    """The page's Markdown table: one row per measurement and arm."""
    rows = [
        "| measurement | arm | time | PyTorch | ratio (median) | per-round range | goal | met? |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in doc["records"]:
        rows.append(
            f"| {_label(r['benchmark'])} (`{r['benchmark']}`) | {r['arm']} | {seconds(r['jaring_s'])} "
            f"| {seconds(r['torch_s'])} | {r['ratio']:.3f} | {_range(r)} | {_goal(r)} | {met(r)} |"
        )
    return rows


def _machine(doc: dict) -> str:
    versions, threads = doc.get("versions", {}), doc.get("threads", {})
    clocks = sorted({r.get("clock", "wall") for r in doc["records"]})
    return (
        f"Measured {doc['date']} on {doc.get('cpus_usable', '?')} usable of {doc.get('cpu_count', '?')} "
        f"CPUs ({doc.get('platform', 'unknown platform')}): PyTorch {versions.get('torch', '?')} with "
        f"{threads.get('torch', '?')} threads, NumPy {versions.get('numpy', '?')} with "
        f"{threads.get('blas', '?')} BLAS threads, Python {versions.get('python', '?')}, jaring "
        f"{versions.get('jaring', '?')}; clock: {', '.join(clocks)}."
    )


STANDARD = {"benchmark", "arm", "jaring_s", "torch_s", "ratio", "round_ratios", "goal", "clock"}


def _settings(doc: dict) -> str:
    """The records' further fields (batch sizes, data, ...), each with its values, as a sentence."""
    found: dict[str, list] = {}
    for r in doc["records"]:
        for key, value in r.items():
            if key not in STANDARD and value not in found.setdefault(key, []):
                found[key].append(value)
    parts = [f"{key} {', '.join(str(v) for v in values)}" for key, values in found.items()]
    return f"Settings: {'; '.join(parts)}." if parts else ""


def page(doc: dict) -> str:
    """The Markdown page of one benchmark script's run."""
    script = doc["script"]
    title, what, ratio = SCRIPTS.get(script, (script, "", ""))
    lines = [f"# {title}", "", f"`benchmarks/{script}.py`" + (f": {what}" if what else ""), ""]
    lines += ["## Command", "", "```", doc["command"], "```", "", _machine(doc), ""]
    lines += [_settings(doc), ""] if _settings(doc) else []
    lines += ["## Results", ""]
    lines += ([ratio, ""] if ratio else []) + table(doc) + [""]
    lines += [
        "The figure shows every round's ratio per arm, in round order, over the box of their quartiles;",
        "the black line and its label are the median of the per-round ratios (it can differ a little",
        "from the table's ratio where that is the ratio of the medians). The dashed lines are the goal",
        "and parity with PyTorch (1.0).",
        "",
        f"![Per-round ratios to PyTorch, benchmarks/{script}.py]({script}.png)",
        "",
    ]
    return "\n".join(lines)


def figure(doc: dict, path: str | Path) -> Path:
    """Per measurement, every round's ratio of each arm to PyTorch as points over a box, the median
    marked, dashed lines at the goal and at 1.0; a PNG without timestamps, so it is reproducible."""
    from matplotlib import style
    from matplotlib.figure import Figure

    names = list(dict.fromkeys(r["benchmark"] for r in doc["records"]))
    with style.context("default"):  # not the user's matplotlibrc: the same picture everywhere
        fig = Figure(figsize=(3.4 * len(names), 3.8), layout="constrained")
        axes = fig.subplots(1, len(names), squeeze=False)[0]
        for ax, name in zip(axes, names):
            records = [r for r in doc["records"] if r["benchmark"] == name]
            arms = [r["arm"] for r in records]
            top = max([1.0, *(v for r in records for v in r["round_ratios"])])
            grey = {"color": "0.5"}
            for x, r in enumerate(records):
                rounds = r["round_ratios"]
                ax.boxplot(
                    [rounds], positions=[x], widths=0.5, showfliers=False, boxprops=grey,
                    whiskerprops=grey, capprops=grey, medianprops={"color": "black", "linewidth": 2},
                )  # fmt: skip
                # side by side in round order, not jittered at random: the same input, the same picture
                spread = [x + 0.3 * (i / max(1, len(rounds) - 1) - 0.5) for i in range(len(rounds))]
                ax.scatter(spread, rounds, s=14, color=f"C{x}", alpha=0.8, zorder=3)
                median = statistics.median(rounds)
                ax.annotate(f"{median:.2f}", (x + 0.3, median), va="center", fontsize=8)
            ax.axhline(1.0, color="0.4", linestyle="--", linewidth=1, label="PyTorch (1.0)")
            goal = records[0].get("goal")
            if goal is not None:
                top = max(top, goal)
                ax.axhline(goal, color="C3", linestyle="--", linewidth=1, label=f"goal ≤ {float(goal)}")
            ax.set_xticks(range(len(arms)), arms)
            ax.set_xlim(-0.6, len(arms) - 0.4)
            ax.set_ylim(0, top * 1.12)
            ax.set_title(_label(name), fontsize=10)
            ax.legend(fontsize=7, loc="best")
        axes[0].set_ylabel("arm time / PyTorch time, per round")
        path = Path(path)
        fig.savefig(path, format="png", dpi=100, metadata={"Software": None})
    return path


def index(docs: list[dict]) -> str:
    """The Benchmarks section's front page: the intro and a summary over every benchmark."""
    lines = ["# Benchmarks", "", INTRO, "## Summary", ""]
    lines += [
        "The jaring arm against its goal; jaring_numpy alongside. Each benchmark's page has every arm,",
        "the command, the machine and a figure of every round.",
        "",
        "| benchmark | measurement | jaring ratio | per-round range | jaring_numpy ratio | goal | met? |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for doc in docs:
        script = doc["script"]
        title = SCRIPTS.get(script, (script,))[0]
        by_arm = {(r["benchmark"], r["arm"]): r for r in doc["records"]}
        for name in dict.fromkeys(r["benchmark"] for r in doc["records"]):
            jaring = by_arm.get((name, "jaring"))
            numpy_arm = by_arm.get((name, "jaring_numpy"))
            if jaring is None:
                continue
            reference = f"{numpy_arm['ratio']:.3f}" if numpy_arm else "—"
            lines.append(
                f"| [{title}]({script}.md) | {_label(name)} | {jaring['ratio']:.3f} "
                f"| {_range(jaring)} | {reference} | {_goal(jaring)} | {met(jaring)} |"
            )
    lines += ["", "Measured on:", ""]
    lines += [f"- [`benchmarks/{d['script']}.py`]({d['script']}.md): {d['date']}" for d in docs]
    return "\n".join(lines) + "\n"


def publish(results_dir: str | Path, out_dir: str | Path) -> list[Path]:
    """Write every benchmark's page and figure, and the index, into `out_dir`; the paths written."""
    docs = load(results_dir)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for doc in docs:
        md = out / f"{doc['script']}.md"
        md.write_text(page(doc), encoding="utf-8")
        written += [md, figure(doc, out / f"{doc['script']}.png")]
    (out / "index.md").write_text(index(docs), encoding="utf-8")
    return [*written, out / "index.md"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results_dir", help="the folder the scripts' --json files are in (runs/bench)")
    parser.add_argument("out_dir", help="where the pages go (docs/benchmarks)")
    args = parser.parse_args(argv)
    for path in publish(args.results_dir, args.out_dir):
        print(path)


if __name__ == "__main__":
    main()
