import argparse
import sys

from shipyard import __version__
from shipyard.models import Hull


def main(argv=None):
    parser = argparse.ArgumentParser(prog="shipyard", description="Track hulls through the shipyard.")
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)
    launch = sub.add_parser("launch", help="launch a hull")
    launch.add_argument("name")
    args = parser.parse_args(argv)
    hull = Hull(args.name, berth=1)
    hull.launch()
    print(f"{hull.name} launched")
    return 0


if __name__ == "__main__":
    sys.exit(main())
