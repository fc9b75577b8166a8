#!/bin/sh
# Wall time of a full release of samples/monorepo (1.0.0, three packages), twice on fresh copies:
#   (a) Slipway: bin/runner release.kts, rehearsal and production on its embedded local index;
#   (b) the same steps as a plain sequential shell script, uploading to the same index server
#       (plugins/local-index run standalone by LocalIndexServer.java; pypiserver is not installed).
# Usage: bench/monorepo-release.sh [SLIPWAY_HOME]   (default: distribution/target/slipway)
# Needs /usr/bin/python3 with build, twine, pytest, venv; git; curl; JDK 17.
set -eu

bench=$(cd "$(dirname "$0")" && pwd)
slipway=$(cd "${1:-$bench/../distribution/target/slipway}" && pwd)
py=/usr/bin/python3
tmp=$(mktemp -d /tmp/slipway-bench-XXXXXX)
version=1.0.0
dirs="packages/acme-core packages/acme-scheduler packages/acme"
log=$tmp/bench.log

# Same clean environment for both: none of this machine's CI, pip or twine settings.
unset CI
for v in $(env | sed -n 's/^\(PIP_[A-Za-z0-9_]*\|TWINE_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
# pip does not ask PyPI for its own newest version (the runner tells its pip the same): offline, that
# question waits for a timeout, which would charge the shell variant for the machine, not the work.
export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 TWINE_USERNAME=bench TWINE_PASSWORD=bench-password
export SLIPWAY_CACHE_DIR="$tmp/script-cache"

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

# The sample at 0.4.0 (tag v0.4.0) in $1/acme with a bare remote $1/origin.git.
fixture() {
  mkdir -p "$1"
  cp -r "$slipway/samples/monorepo" "$1/acme"
  git init -q --bare -b main "$1/origin.git"
  (cd "$1/acme" && git init -q -b main && git config user.name Bench && git config user.email bench@slipway.invalid \
    && git add -A && git commit -qm "Acme 0.4.0" && git tag -a v0.4.0 -m "Release v0.4.0" \
    && git remote add origin "$1/origin.git" && git push -q -u origin main --tags)
}

# ---------------------------------------------------------------- (a) Slipway
fixture "$tmp/slipway"
cd "$tmp/slipway/acme"
set -- release.kts --version $version --set repository=local --set rehearsal-repository=local --non-interactive --python $py
t0=$(now)
"$slipway/bin/runner" validate release.kts --version $version --set repository=local --set rehearsal-repository=local >>"$log" 2>&1
t1=$(now)
"$slipway/bin/runner" "$@" >>"$log" 2>&1 || { echo "slipway release failed, see $log" >&2; exit 1; }
t2=$(now)
slipway_compile=$(elapsed "$t0" "$t1")
slipway_release=$(elapsed "$t1" "$t2")
grep -E '^ok (editable/editable-smoke|build/python-build|rehearse/upload|rehearse/smoke|publish/upload)' "$log" | sed 's/^/  slipway: /'

# ---------------------------------------------------------------- (b) sequential shell script
fixture "$tmp/shell"
cd "$tmp/shell/acme"
# The indexes stand in for TestPyPI and PyPI, which are already running when a maintainer releases:
# they are started before the clock starts.
index() {
  java -cp "$slipway/lib/*:$slipway/plugins/local-index/lib/*" "$bench/LocalIndexServer.java" "$tmp/index-$1" >"$tmp/index-$1.url" 2>>"$log" &
  echo $! >"$tmp/index-$1.pid"
  while [ ! -s "$tmp/index-$1.url" ]; do sleep 0.2; done
  head -1 "$tmp/index-$1.url"
}
rehearsal=$(index rehearsal)
production=$(index production)
shell_done=""
trap 'kill $(cat "$tmp"/index-*.pid) 2>/dev/null || true; [ -n "$shell_done" ] || echo "shell release failed, see $log" >&2' EXIT

smoke() { # $1: venv dir; checks what python-smoke checks
  for m in acme_core acme_scheduler acme; do "$1/bin/python" -c "import $m; print($m.__version__)"; done
  "$1/bin/acme" --help >/dev/null
  "$1/bin/acme-scheduler" --help >/dev/null
}

# Per-phase wall times of the shell variant, to set beside the runner's per-step times.
phase() { t=$(now); echo "  shell: $(printf '%-28s' "$1") $(printf '%.1f' "$(elapsed "$mark" "$t")") s" >>"$tmp/phases"; mark=$t; }

t3=$(now)
mark=$t3
{
  # 0) preflight
  [ "$(git rev-parse --abbrev-ref HEAD)" = main ]
  [ -z "$(git status --porcelain)" ]
  git fetch -q origin
  [ "$(git rev-parse HEAD)" = "$(git rev-parse origin/main)" ]
  for p in acme-core acme-scheduler acme; do
    if curl -sf "$production$p/" | grep -q "$p-$version"; then exit 1; fi
  done
  # 1) versions and ranges, 2) CHANGELOG
  for d in $dirs; do
    sed -i "s/^version = \"0.4.0\"/version = \"$version\"/" "$d/pyproject.toml"
    sed -i "s/^__version__ = \"0.4.0\"$/__version__ = \"$version\"/" "$d"/src/*/__init__.py
    sed -i "s/\"\(acme-[a-z]*\)>=0.4.0\"/\"\1>=$version\"/" "$d/pyproject.toml"
  done
  git commit -qam "release: bump versions to $version"
  sed -i "s/^## Unreleased$/## Unreleased\n\n## $version - $(date +%F)/" CHANGELOG.md
  git commit -qam "docs: changelog for $version"
  phase "preflight, bump, changelog"
  # 3) tests, 4-5) editable install and CLI smoke
  $py -m pytest -q
  phase "pytest"
  v=$(mktemp -d)
  $py -m venv --system-site-packages --without-pip "$v/venv"
  for d in $dirs; do $py -m pip --python "$v/venv/bin/python" install --no-build-isolation -e "$d"; done
  smoke "$v/venv"
  rm -rf "$v"
  phase "editable install + smoke"
  # 6) build, one package after the other
  for d in $dirs; do
    $py -m build --no-isolation --outdir "$d/dist" "$d"
    $py -m twine check "$d"/dist/*
  done
  phase "build (sequential)"
  # 7) rehearsal upload in order, clean-venv install from the rehearsal index
  for d in $dirs; do $py -m twine upload --non-interactive --repository-url "$rehearsal" "$d"/dist/*; done
  phase "rehearsal upload"
  v=$(mktemp -d)
  $py -m venv --without-pip "$v/venv"
  $py -m pip --python "$v/venv/bin/python" install --no-cache-dir --index-url "$rehearsal" "acme==$version"
  smoke "$v/venv"
  "$v/venv/bin/acme" validate demo/flow.yaml
  rm -rf "$v"
  phase "rehearsal smoke"
  # 8) production upload in order; 9) tags and push
  [ "$(git ls-remote origin refs/heads/main | cut -f1)" = "$(git rev-parse HEAD~2)" ]
  for d in $dirs; do $py -m twine upload --non-interactive --repository-url "$production" "$d"/dist/*; done
  phase "production upload"
  git tag -a "v$version" -m "Release v$version"
  for p in acme-core acme-scheduler acme; do git tag -a "$p-v$version" -m "Release $p-v$version"; done
  git push -q --atomic origin main "v$version" acme-core-v$version acme-scheduler-v$version acme-v$version
  phase "tags + push"
} >>"$log" 2>&1
t4=$(now)
shell_done=1
shell_release=$(elapsed "$t3" "$t4")

[ "$(ls "$tmp"/index-production/*/*-$version[.-]* | wc -l)" -eq 6 ] || { echo "shell: production index does not hold 6 files" >&2; exit 1; }
[ "$(ls "$tmp"/slipway/acme/.slipway/index/production/*/*-$version[.-]* | wc -l)" -eq 6 ] || { echo "slipway: production index does not hold 6 files" >&2; exit 1; }

cat "$tmp/phases"
echo "load average:         $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the end"
echo "date:                 $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine:              $(nproc) cores, $(uname -m), $($py --version), $(java -version 2>&1 | head -1)"
echo "slipway script compile (runner validate, cold cache): ${slipway_compile} s"
echo "slipway release (bin/runner, warm script cache):      ${slipway_release} s"
echo "sequential shell script:                              ${shell_release} s"
echo "ratio slipway / shell:                                $(echo "scale=2; $slipway_release / $shell_release" | bc)"
echo "log: $log"
