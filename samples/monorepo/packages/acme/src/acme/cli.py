import argparse
import sys

from acme_core.api import list_connectors, list_steps, parse_flow


def main(argv=None):
    parser = argparse.ArgumentParser(prog="acme", description="Validate and run Acme flows.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check a flow file").add_argument("flow")
    sub.add_parser("run", help="run a flow file").add_argument("flow")
    args = parser.parse_args(argv)
    try:
        with open(args.flow, encoding="utf-8") as f:
            flow = parse_flow(f.read())
    except (OSError, ValueError) as e:
        print(f"acme: {e}", file=sys.stderr)
        return 2
    if args.command == "validate":
        for step, connector in flow:
            print(f"{step} via {connector}")
        print(f"ok: {len(flow)} steps; known steps {list_steps()}, connectors {list_connectors()}")
        return 0
    print("acme: running flows needs a database connection; none is configured", file=sys.stderr)
    return 1
