"""`jaring` command line: `jaring demo` runs the main demo (also `python -m jaring.cli demo`)."""

from __future__ import annotations

import argparse
import sys


def _demo(args: argparse.Namespace) -> int:
    import runpy
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "examples" / "linear_regression.py"
    runpy.run_path(str(script), run_name="__main__")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jaring", description="jaring: neural networks on NumPy")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="train a small model and report").set_defaults(run=_demo)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
