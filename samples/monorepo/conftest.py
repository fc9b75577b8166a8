# Tests import the packages from their source folders, ahead of anything installed.
import pathlib
import sys

for src in sorted(pathlib.Path(__file__).parent.glob("packages/*/src")):
    sys.path.insert(0, str(src))
