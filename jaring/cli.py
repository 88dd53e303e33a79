"""`jaring` command line: `jaring demo` runs the main demo (also `python -m jaring.cli demo`)."""

from __future__ import annotations

import argparse
import sys

from jaring.demo import add_arguments, run_from_args


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jaring", description="jaring: neural networks on NumPy")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="train an FFNN on handwritten digits and report")
    add_arguments(demo)
    demo.set_defaults(run=run_from_args)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
