#!/usr/bin/env bash
# Start-up of the runner as a user meets it, with and without class-data sharing (bin/runner's
# AppCDS archive; SLIPWAY_CDS=off turns it off), each with an empty compiled-script cache unless
# "warm":
#   shipped     runner validate release.kts, the reference pipeline as shipped (precompiled in
#               $SLIPWAY_HOME/scripts: the Kotlin compiler never runs)
#   user-cold   the same script with one line changed: the compiler runs
#   user-warm   that script again, from the script cache
#   plugins     runner plugins (JVM + the bundled plugins and their two library plugins, no script)
#   help        runner --help (JVM + picocli): the floor
# so JVM = help, plugins = plugins - help, script = shipped/user-* - plugins. Wall and CPU
# (user+sys) seconds and max RSS; the CPU column is the one to compare on a busy machine. The
# archive is made first the way a user's machine makes it (two runs, then the background dump).
# Run on purpose, not in CI:
#
#     mvn -B -q package -DskipTests && bench/script-eval.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runner=$PWD/distribution/target/slipway/bin/runner
runs=${1:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
work=$tmp/work
mkdir -p "$work"
# The root release.kts reads the repository it runs in: give it the monorepo sample.
cp -r samples/monorepo/. "$work" && cp release.kts "$work/release.kts"
cp release.kts "$work/user.kts" && echo "// a user's change" >>"$work/user.kts"
export XDG_CACHE_HOME=$tmp/xdg
set_args=(--set repository=local --set rehearsal-repository=local)

measure() { # label, then the command; prints "label wall cpu rss_mb"
  local label=$1; shift
  (cd "$work" && /usr/bin/time -o "$tmp/time" -f '%e %U %S %M' "$@" >/dev/null 2>&1) || { echo "$label failed" >&2; exit 1; }
  echo "$label $(awk '{printf "%.2f %.2f %.0f", $1, $2 + $3, $4/1024}' "$tmp/time")"
}

# The archive, made as on a user's machine: the first run lists classes (a cold compile, so the
# compiler's classes are in it), the second starts the dump.
for i in 1 2; do (cd "$work" && SLIPWAY_CACHE_DIR=$tmp/prep-$i "$runner" validate user.kts "${set_args[@]}" >/dev/null 2>&1) || true; done
for _ in $(seq 120); do ls "$XDG_CACHE_HOME"/slipway/cds/*.jsa >/dev/null 2>&1 && break; sleep 1; done
ls "$XDG_CACHE_HOME"/slipway/cds/*.jsa >/dev/null || { echo "no archive was made" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
declare -A wall cpu rss
record() { set -- $1; wall[$1]+="$2 "; cpu[$1]+="$3 "; rss[$1]+="$4 "; echo "$*"; }

for i in $(seq "$runs"); do
  for cds in off on; do
    export SLIPWAY_CDS=$cds
    rm -rf "$tmp/scripts"; export SLIPWAY_CACHE_DIR=$tmp/scripts
    record "$(measure "shipped-$cds" "$runner" validate release.kts "${set_args[@]}")"
    record "$(measure "user-cold-$cds" "$runner" validate user.kts "${set_args[@]}")"
    record "$(measure "user-warm-$cds" "$runner" validate user.kts "${set_args[@]}")"
    record "$(measure "plugins-$cds" "$runner" plugins)"
    record "$(measure "help-$cds" "$runner" --help)"
  done
done

echo
echo "median of $runs runs on $(nproc) cores, $(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg):"
printf '%-16s %8s %8s %8s\n' "" "wall s" "cpu s" "RSS MB"
for kind in shipped user-cold user-warm plugins help; do
  for cds in off on; do
    k=$kind-$cds
    printf '%-16s %8s %8s %8s\n' "$k" "$(tr ' ' '\n' <<<"${wall[$k]}" | grep . | median)" \
      "$(tr ' ' '\n' <<<"${cpu[$k]}" | grep . | median)" "$(tr ' ' '\n' <<<"${rss[$k]}" | grep . | median)"
  done
done
