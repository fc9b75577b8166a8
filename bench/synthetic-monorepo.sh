#!/bin/sh
# A synthetic monorepo of N packages for the scale benchmark: packages/pNN (project syn-pNN, module
# syn_pNN, version 0.1.0, setuptools), each depending on the previous one and, past the middle, on
# package N/2; one test per package in tests/, a CHANGELOG.md with an Unreleased entry, tag v0.1.0,
# and a bare remote.
# Usage: bench/synthetic-monorepo.sh N DIR   (makes DIR/repo and DIR/origin.git)
set -eu
n=$1
dir=$2
mid=$((n / 2))
name() { printf 'p%02d' "$1"; }

mkdir -p "$dir/repo/tests"
cd "$dir/repo"
printf '# Changelog\n\n## Unreleased\n\n- Everything, in %s packages.\n\n## 0.1.0 - 2026-01-01\n\n- First release.\n' "$n" > CHANGELOG.md
printf '.slipway/\n__pycache__/\n*.egg-info/\nbuild/\n' > .gitignore
i=1
while [ "$i" -le "$n" ]; do
  p=$(name "$i")
  deps=""
  [ "$i" -gt 1 ] && deps="\"syn-$(name $((i - 1)))>=0.1.0\""
  [ "$i" -gt $((mid + 1)) ] && deps="$deps, \"syn-$(name "$mid")>=0.1.0\""
  mkdir -p "packages/$p/src/syn_$p"
  cat > "packages/$p/pyproject.toml" <<TOML
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "syn-$p"
version = "0.1.0"
description = "Synthetic package $i of $n."
readme = "README.md"
requires-python = ">=3.9"
dependencies = [$deps]

[tool.setuptools.packages.find]
where = ["src"]
TOML
  printf '# syn-%s\n\nSynthetic package %s of %s.\n' "$p" "$i" "$n" > "packages/$p/README.md"
  printf '"""Synthetic package %s."""\n__version__ = "0.1.0"\n' "$i" > "packages/$p/src/syn_$p/__init__.py"
  printf 'import syn_%s\n\n\ndef test_version():\n    assert syn_%s.__version__\n' "$p" "$p" > "tests/test_$p.py"
  i=$((i + 1))
done
git init -q -b main
git config user.name Bench && git config user.email bench@slipway.invalid && git config commit.gpgsign false
git add -A && git commit -qm "Synthetic monorepo of $n packages, 0.1.0" && git tag -a v0.1.0 -m "Release v0.1.0"
git init -q --bare -b main "$dir/origin.git"
git remote add origin "$dir/origin.git" && git push -q -u origin main --tags
