import re

from setuptools import setup

# The version is written once, in the package; setup.py reads it from there.
with open("mooring/__init__.py", encoding="utf-8") as f:
    VERSION = re.search(r'^__version__ = "([^"]+)"', f.read(), re.M).group(1)

setup(
    name="mooring",
    version=VERSION,
    description="Swing circles for moorings.",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    packages=["mooring"],
    python_requires=">=3.9",
)
