#!/bin/sh
# Scale: a synthetic monorepo of N packages (bench/synthetic-monorepo.sh) released with the root
# release.kts on the embedded index (rehearsal and production). Measures the script's cold compile
# (runner validate, empty cache), the plan (--plan, warm cache), the full release (wall and peak RSS
# from /usr/bin/time -v: the largest process of the tree, the runner's JVM), each upload step's time,
# and the longest console line. Run on purpose, not in CI:
#
#     mvn -B -o -q package -DskipTests -pl '!samples/custom-plugin' && bench/monorepo-scale.sh [N] [SLIPWAY_HOME]
set -eu
n=${1:-50}
bench=$(cd "$(dirname "$0")" && pwd)
slipway=$(cd "${2:-$bench/../distribution/target/slipway}" && pwd)
py=/usr/bin/python3
tmp=$(mktemp -d /tmp/slipway-scale-XXXXXX)

unset CI
for v in $(env | sed -n 's/^\(PIP_[A-Za-z0-9_]*\|TWINE_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
export PIP_CONFIG_FILE=/dev/null TWINE_USERNAME=bench TWINE_PASSWORD=bench-password SLIPWAY_CACHE_DIR="$tmp/script-cache"

"$bench/synthetic-monorepo.sh" "$n" "$tmp"
cd "$tmp/repo"
cp "$bench/../release.kts" release.kts && git add release.kts && git commit -qm "Release with Slipway" && git push -q origin main
set -- release.kts --version 0.2.0 --python $py --set repository=local --set rehearsal-repository=local \
  --set build-args=--no-isolation --set smoke-system-packages=true

measure() { # label, file, command...: wall and max RSS from GNU time
  label=$1; out=$2; shift 2
  /usr/bin/time -v -o "$tmp/$label.time" "$@" >"$out" 2>&1 || { echo "$label failed, see $out" >&2; exit 1; }
  wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$tmp/$label.time" | awk -F: '{print (NF == 3 ? $1 * 3600 + $2 * 60 + $3 : $1 * 60 + $2)}')
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/$label.time")
  printf '%-34s wall %7.2f s   peak RSS %4d MB\n' "$label" "$wall" $((rss / 1024))
}

measure "validate (cold script cache)" "$tmp/validate.out" "$slipway/bin/runner" validate "$@"
measure "plan (warm)" "$tmp/plan.out" "$slipway/bin/runner" "$@" --plan
measure "release" "$tmp/release.out" "$slipway/bin/runner" "$@" --non-interactive

files=$(ls .slipway/index/production/*/* | wc -l)
[ "$files" -eq $((2 * n)) ] || { echo "production index holds $files files, not $((2 * n))" >&2; exit 1; }
grep -E '^ok ' "$tmp/release.out" | sed 's/^/  /'
for step in rehearse/upload publish/upload; do
  s=$(sed -n "s|^ok $step .*(\([0-9.]*\) s).*|\1|p" "$tmp/release.out" | head -1)
  [ -n "$s" ] && printf '%-34s %s s, %s s per package\n' "$step" "$s" "$(echo "scale=2; $s / $n" | bc)"
done
echo "longest console line:              $(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$tmp/release.out") characters"
echo "ANSI escapes in console and log:   $(cat "$tmp/release.out" .slipway/logs/* 2>/dev/null | grep -c "$(printf '\033')" || true) lines"
echo "load average:                      $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the end"
echo "date:                              $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
echo "work folder: $tmp"
