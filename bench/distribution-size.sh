#!/bin/sh
# Sizes of the packaged distribution: what lib/ holds (the runner's class path), the plugins, the tarball.
# Run after `mvn -B -q package -DskipTests`; prints a Markdown table for bench/RESULTS.md.
set -eu
cd "$(dirname "$0")/.."
home=distribution/target/slipway
[ -d "$home/lib" ] || { echo "package the distribution first: mvn -B -q package -DskipTests" >&2; exit 2; }
mb() { du -sm "$1" | cut -f1; }
echo "| part | files | MB |"
echo "|---|---|---|"
echo "| lib/ (the runner's class path) | $(ls "$home/lib" | wc -l) jars | $(mb "$home/lib") |"
for p in "$home"/plugins/*/; do
  echo "| plugins/$(basename "$p") | $(ls "$p/lib" | wc -l) jars | $(mb "$p") |"
done
echo "| unpacked, all | | $(mb "$home") |"
echo "| $(basename distribution/target/slipway-*.tar.gz) | | $(mb distribution/target/slipway-*.tar.gz) |"
