#!/bin/bash
# Releases real Python projects with the reference pipeline (the root release.kts), each on the
# embedded index, and writes one table row per project: what inspection found, whether the release
# completed, and whether the built wheel says what inspection said.
#
# Usage: bench/corpus.sh LIST [SLIPWAY_HOME] > rows.md
#   LIST: one project per line, tab-separated: name, a local git repository (any clone or bare
#         mirror you obtained beforehand; nothing is fetched here), the commit to release from.
#         Lines starting with # are skipped. A name of the form name:subdir releases only that
#         sub-folder's package (--set packages=subdir).
#
# Per project, from a fresh copy: a bare `origin` holding the commit as `main` plus every tag, a clone
# of it with release.kts committed (as a user would), then
#   runner release.kts --version <next patch> --set repository=local --set rehearsal-repository=local
# with offline build flags. The project's own test suite is not run (--set test-command=true): its test
# dependencies come from PyPI, which this machine cannot reach. The smoke install uses --no-deps for
# the same reason, and its venv sees the interpreter's (Debian's) packages for the runtime dependencies. The oracle is the wheel on the production index: METADATA Name must equal the
# name inspection reported (PEP 503 normalised) and Version the requested version.
# Needs /usr/bin/python3 with build, twine and venv, and the backends the projects use (Debian).
set -u

list=$1
slipway=$(cd "${2:-$(dirname "$0")/../distribution/target/slipway}" && pwd)
script=$(cd "$(dirname "$0")/.." && pwd)/release.kts
py=/usr/bin/python3
tmp=$(mktemp -d /tmp/slipway-corpus-XXXXXX)

unset CI
for v in $(env | sed -n 's/^\(PIP_[A-Za-z0-9_]*\|TWINE_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
# The embedded index takes any user; the credential policy approves the upload when some are set.
export PIP_CONFIG_FILE=/dev/null SLIPWAY_CACHE_DIR="$tmp/script-cache" TWINE_USERNAME=corpus TWINE_PASSWORD=corpus-password

# The next patch release after a version: 1.4 -> 1.4.1, 2.0.0rc1 -> 2.0.0, 0.16.0+dev -> 0.16.1.
next_version() {
  "$py" -c 'import sys
from packaging.version import Version
v = Version(sys.argv[1])
r = list(v.release) + [0] * (3 - len(v.release))
print(".".join(map(str, r[:2] + [r[2] + (0 if v.is_prerelease else 1)] + r[3:])))' "$1"
}

cell() { printf '%s' "$1" | tr '\n|' ' /' | sed 's/  */ /g; s/^ //; s/ $//'; }

printf '| project | commit | inspection (runner validate) | version | result | wheel Name / Version | matches |\n'
printf '|---|---|---|---|---|---|---|\n'
grep -v '^#' "$list" | while IFS=$'\t' read -r name source commit; do
  [ -n "$name" ] || continue
  sub=""; case "$name" in *:*) sub=${name#*:};; esac
  dir="$tmp/${name//[:\/]/-}"
  mkdir -p "$dir"
  git clone -q --no-checkout "$source" "$dir/src" 2>/dev/null
  git -C "$dir/src" checkout -q -B main "$commit"
  git init -q --bare -b main "$dir/origin.git"
  # main and the tags it contains: a later release's tag on another branch is not this one's history
  git -C "$dir/src" push -q "$dir/origin.git" main $(git -C "$dir/src" tag --merged main | sed 's|^|refs/tags/|') 2>/dev/null
  git clone -q "$dir/origin.git" "$dir/work"
  cd "$dir/work" || continue
  git config user.name "Corpus Bench"; git config user.email corpus@slipway.invalid; git config commit.gpgsign false
  cp "$script" release.kts && git add release.kts && git commit -qm "Release with Slipway" && git push -q origin main
  sets=(--set repository=local --set rehearsal-repository=local --set test-command=true
        --set "build-args=--no-isolation --skip-dependency-check" --set smoke-pip-args=--no-deps
        --set smoke-system-packages=true)
  [ -n "$sub" ] && sets+=(--set "packages=$sub")
  "$slipway/bin/runner" validate release.kts --python "$py" "${sets[@]}" > "$dir/validate.out" 2>&1
  detected=$(sed -n '/^detected in the repository/,/^pipeline/p' "$dir/validate.out" | sed '1d;$d')
  current=$(printf '%s\n' "$detected" | sed -n 's/.*, version \([^ ]*\) in .*/\1/p' | head -1)
  [ -n "$current" ] || current=$(git describe --tags --abbrev=0 2>/dev/null | sed 's/^v//')
  if [ -z "$detected" ]; then
    printf '| %s | %s | %s | | not released: %s | | |\n' "$name" "${commit:0:10}" "(inspection failed)" "$(cell "$(grep -m1 -E '^error|^release.kts' "$dir/validate.out")")"
    continue
  fi
  if ! version=$(next_version "${current:-0.0.0}" 2>/dev/null); then
    printf '| %s | %s | %s | %s | not released: "%s" is not a version | | NO |\n' "$name" "${commit:0:10}" "$(cell "$detected")" "$current" "$current"
    continue
  fi
  if "$slipway/bin/runner" release.kts --version "$version" --python "$py" --non-interactive "${sets[@]}" > "$dir/release.out" 2>&1; then
    result="released"
  else
    result="stopped (exit $?): $(grep -m1 -E '^error: ' "$dir/release.out" | sed 's/^error: //')"
  fi
  wheels=$(find .slipway/index/production -name '*.whl' 2>/dev/null)
  metadata=""; matches="no wheel on the index"
  for whl in $wheels; do
    meta=$(unzip -Z1 "$whl" | grep -E '^[^/]+\.dist-info/METADATA$' | head -1)
    wname=$(unzip -p "$whl" "$meta" | sed -n 's/^Name: //p' | head -1 | tr -d '\r')
    wver=$(unzip -p "$whl" "$meta" | sed -n 's/^Version: //p' | head -1 | tr -d '\r')
    metadata="$metadata$wname / $wver; "
    norm=$(printf '%s' "$wname" | tr 'A-Z_.' 'a-z--')
    if printf '%s\n' "$detected" | sed -n 's/^[^:]*: \([^ ]*\) (name from.*/\1/p' | tr 'A-Z_.' 'a-z--' | grep -qx "$norm" \
        && [ "$wver" = "$version" ]; then matches="yes"; else matches="NO"; break; fi
  done
  printf '| %s | %s | %s | %s → %s | %s | %s | %s |\n' "$name" "${commit:0:10}" "$(cell "$detected")" "${current:-?}" "$version" \
    "$(cell "$result")" "$(cell "$metadata")" "$matches"
  cd "$tmp" || exit 1
done
echo "(work folders: $tmp)" >&2
