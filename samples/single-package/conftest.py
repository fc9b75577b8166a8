# Tests import the package from src/, ahead of anything installed.
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent / "src"))
