import argparse

from ropewalk import fathoms


def main():
    parser = argparse.ArgumentParser(prog="ropewalk", description="Convert metres of rope to fathoms.")
    parser.add_argument("metres", type=float)
    print(fathoms(parser.parse_args().metres))
