#!/usr/bin/env bash
# How long `runner validate release.kts` takes and how much memory it needs: cold (empty compiled-
# script cache: the Kotlin compiler runs) against warm (the cached jar is loaded), and a bare
# `runner --help` as the JVM floor; and the same cold and warm runs with the optimising compiler
# back on (bin/runner runs C1 only; SLIPWAY_JAVA_OPTS=-XX:TieredStopAtLevel=4 undoes that). Run on
# purpose, not in CI:
#
#     mvn -B -q package -DskipTests && bench/script-eval.sh [runs]
#
# Prints one line per measurement and a median summary; paste the summary into bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
runner=$PWD/distribution/target/slipway/bin/runner
runs=${1:-3}
cache=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$cache" "$cache.time" "$work"' EXIT
# The root release.kts reads the repository it runs in: give it the monorepo sample.
cp -r samples/monorepo/. "$work" && cp release.kts "$work/release.kts"
script=$work/release.kts

measure() { # label, then the command; prints "label wall_s max_rss_mb"
  local label=$1; shift
  /usr/bin/time -o "$cache.time" -f '%e %M' "$@" >/dev/null 2>&1
  echo "$label $(tail -1 "$cache.time" | awk '{printf "%.2f %.0f", $1, $2/1024}')"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

declare -A wall rss
for i in $(seq "$runs"); do
  rm -rf "$cache"/*
  for c2 in "" 4; do
    rm -rf "$cache"/*
    for kind in cold warm; do
      label=${c2:+c2-}$kind
      line=$(SLIPWAY_JAVA_OPTS=${c2:+-XX:TieredStopAtLevel=$c2} SLIPWAY_CACHE_DIR=$cache \
        measure "$label" "$runner" validate "$script" --set build-args=--no-isolation --python /usr/bin/python3)
      echo "$line"
      wall[$label]+="$(echo "$line" | cut -d' ' -f2) "
      rss[$label]+="$(echo "$line" | cut -d' ' -f3) "
    done
  done
  line=$(measure help "$runner" --help)
  echo "$line"
  wall[help]+="$(echo "$line" | cut -d' ' -f2) "
  rss[help]+="$(echo "$line" | cut -d' ' -f3) "
done

echo
echo "median of $runs runs on $(nproc) cores, $(date -u +%F):"
for kind in cold warm c2-cold c2-warm help; do
  printf '%-5s wall %6s s   max RSS %5s MB\n' "$kind" \
    "$(tr ' ' '\n' <<<"${wall[$kind]}" | grep . | median)" "$(tr ' ' '\n' <<<"${rss[$kind]}" | grep . | median)"
done
