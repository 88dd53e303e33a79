"""`jaring` command line: `jaring demo` runs the main demo (also `python -m jaring.cli demo`);
`jaring study run FILE` runs a study and writes its report, `jaring study report DIR` rewrites it."""

from __future__ import annotations

import argparse
import sys

from jaring.demo import add_arguments, run_from_args


def _study_run(args: argparse.Namespace) -> int:
    from jaring.experiments.runner import run_study
    from jaring.experiments.schema import StudyFileError
    from jaring.experiments.storage import StudyLockedError

    try:
        out = run_study(args.file, quick=args.quick, workers=args.workers, out=args.out)
    except (StudyFileError, StudyLockedError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"study folder: {out}")
    return 0


def _study_report(args: argparse.Namespace) -> int:
    from jaring.experiments.report import write_report

    print(f"report: {write_report(args.dir)}")
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1, got {text}")
    return value


def _add_study(commands: argparse._SubParsersAction) -> None:
    study = commands.add_parser("study", help="run a study file (experiments/studies/*.toml) or report one")
    actions = study.add_subparsers(dest="action", required=True)
    run = actions.add_parser("run", help="run or continue a study, then write its report")
    run.add_argument("file", help="the study's TOML file")
    run.add_argument("--quick", action="store_true", help="a tiny subset, 1 epoch, 1 seed: a smoke run")
    run.add_argument("--workers", type=_positive, default=1, help="trials run in this many processes")
    run.add_argument("--out", default=None, help="study folder (default runs/studies/<name>)")
    run.set_defaults(run=_study_run)
    report = actions.add_parser("report", help="write report.html/.md, figures and results.csv of DIR")
    report.add_argument("dir", help="a study folder written by `jaring study run`")
    report.set_defaults(run=_study_report)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jaring", description="jaring: neural networks on NumPy")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="train an FFNN on handwritten digits and report")
    add_arguments(demo)
    demo.set_defaults(run=run_from_args)
    _add_study(commands)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
