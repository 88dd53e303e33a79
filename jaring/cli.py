"""`jaring` command line: `jaring demo` runs the main demo (also `python -m jaring.cli demo`);
`jaring study run FILE` runs a study and writes its report, `jaring study report DIR` rewrites it,
`jaring study worker --storage URL --study NAME` runs a database-backed study's trials on any machine."""

from __future__ import annotations

import argparse
import sys

from jaring.demo import add_arguments, run_from_args


def _user_errors() -> tuple[type[Exception], ...]:
    from jaring.experiments.rdb import StorageError
    from jaring.experiments.schema import StudyFileError
    from jaring.experiments.storage import StudyLockedError

    return StudyFileError, StudyLockedError, StorageError


def _study_run(args: argparse.Namespace) -> int:
    from jaring.experiments.runner import Backend, run_study

    if args.workers == 0 and args.storage is None:
        args.parser.error("argument --workers: must be an integer >= 1 (0 only with --storage), got 0")
    backend = Backend(args.storage, args.executor, args.address, args.cpus, args.gpus)
    workers = args.workers if args.workers is not None else (0 if args.storage else 1)
    try:
        out = run_study(args.file, quick=args.quick, workers=workers, out=args.out, backend=backend)
    except _user_errors() as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"study folder: {out}")
    return 0


def _study_worker(args: argparse.Namespace) -> int:
    from jaring.experiments.distributed import run_worker

    try:
        done = run_worker(args.storage, args.study, out=args.out, weights=args.weights)
    except _user_errors() as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"study {args.study}: finished, {done} trials run by this worker")
    return 0


def _study_report(args: argparse.Namespace) -> int:
    from jaring.experiments.distributed import report_from_storage
    from jaring.experiments.report import write_report

    if (args.storage is None) != (args.study is None) or (args.storage is None and args.dir is None):
        print("error: give DIR, or --storage URL --study NAME [DIR]", file=sys.stderr)
        return 2
    try:
        if args.storage is None:
            path = write_report(args.dir)
        else:
            path = report_from_storage(args.storage, args.study, args.dir)
    except _user_errors() as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"report: {path}")
    return 0


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be an integer >= 0, got {text}")
    return value


STORAGE_HELP = "postgresql://USER[:PASSWORD]@HOST[:PORT]/DB or mysql://...: trials in that database"


def _add_study(commands: argparse._SubParsersAction) -> None:
    study = commands.add_parser("study", help="run a study file (experiments/studies/*.toml) or report one")
    actions = study.add_subparsers(dest="action", required=True)
    run = actions.add_parser("run", help="run or continue a study, then write its report")
    run.add_argument("file", help="the study's TOML file")
    run.add_argument("--quick", action="store_true", help="a tiny subset, 1 epoch, 1 seed: a smoke run")
    run.add_argument("--workers", type=_non_negative, default=None,
                     help="trials run in this many processes (default 1; 0 with --storage: workers "
                     "elsewhere do them all)")  # fmt: skip
    run.add_argument("--out", default=None, help="study folder (default runs/studies/<name>)")
    run.add_argument("--storage", default=None, help=STORAGE_HELP + ", shared with `jaring study worker`")
    run.add_argument("--executor", choices=["local", "ray"], default="local",
                     help="local: worker processes; ray: each trial a Ray task")  # fmt: skip
    run.add_argument("--address", default=None, help="Ray cluster to join (default: start a local Ray)")
    run.add_argument("--cpus", type=float, default=1.0, help="CPUs each Ray task asks for")
    run.add_argument("--gpus", type=float, default=0.0, help="GPUs each Ray task asks for")
    run.set_defaults(run=_study_run, parser=run)
    worker = actions.add_parser("worker", help="run a --storage study's queued trials until it is finished")
    worker.add_argument("--storage", required=True, help=STORAGE_HELP)
    worker.add_argument("--study", required=True, help="the study's name (its file name without .toml)")
    worker.add_argument("--out", default=None, help="this worker's folder (default runs/studies/<name>)")
    worker.add_argument("--weights", action="store_true", help="also send weights through the storage")
    worker.set_defaults(run=_study_worker)
    report = actions.add_parser("report", help="write report.html/.md, figures and results.csv of DIR")
    report.add_argument("dir", nargs="?", default=None,
                        help="a study folder written by `jaring study run` (with --storage: where to "
                        "write the study; default runs/studies/<name>)")  # fmt: skip
    report.add_argument("--storage", default=None, help=STORAGE_HELP + ": read the study from there")
    report.add_argument("--study", default=None, help="the study's name in --storage")
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
