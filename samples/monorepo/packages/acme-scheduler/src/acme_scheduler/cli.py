import argparse

from acme_core.api import list_steps


def main(argv=None):
    parser = argparse.ArgumentParser(prog="acme-scheduler", description="Schedule Acme flows.")
    parser.add_argument("--every", default="1h", help="interval between runs")
    args = parser.parse_args(argv)
    print(f"would run {len(list_steps())} known steps every {args.every}")
    return 0
