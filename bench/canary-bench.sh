#!/usr/bin/env bash
# Time to rollback and time to promotion of the same canary, meshlog next to Flagger's formula.
#
# meshlog's figures are measured on a real run: CanaryIT's rollback and promotion tests (real mesh
# proxies, embedded broker, the telemetry pipeline's canary controller; a caller sending about 150
# requests/s to orders). The canary has stepWeights [20, 50], threshold 1 and minRequests 20;
# the clock runs from the Canary's first status to the status saying every proxy serving the route
# applied the final route (rollback: back on stable; promotion: all on the canary).
# Flagger decides once per analysis interval (default 1m): promotion takes interval x steps,
# rollback interval x threshold (its documented formulas; scrape delays come on top).
#
# Usage: bench/canary-bench.sh [runs]   (default 1; each run starts the mesh anew, ~2-4 min)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-1}"
interval_s=60
work="$(mktemp -d /tmp/meshlog-canary-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
touch "$work/figures.txt"

for run in $(seq 1 "$runs"); do
  # resolved in the reactor (this tree's modules), never installed into ~/.m2
  # A figure is printed before the IT's own assertions (e.g. "within 2 s"), so a run whose
  # assertions fail on a loaded machine still measured it: say so and keep its figures.
  if ! (cd "$root" && mvn -B -o -pl integration-tests -am verify -Dquick -DskipUTs -Dtest=none \
      -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
      '-Dit.test=CanaryIT#aCanaryFailingOneRequestInFive*+aHealthyCanaryIsPromoted*' > "$work/run-$run.log" 2>&1); then
    echo "run $run: CanaryIT failed (integration-tests/target/failsafe-reports); its figures are kept" >&2
  fi
  grep -h "^canary-bench " "$work/run-$run.log" >> "$work/figures.txt" || true
done

field() { sed -n "s/.*$1=\([0-9]*\).*/\1/p"; }
rollback_ms=$(grep "^canary-bench rollback" "$work/figures.txt" | field meshlog_ms | sort -n | paste -sd' ')
promotion_ms=$(grep "^canary-bench promotion" "$work/figures.txt" | field meshlog_ms | sort -n | paste -sd' ')
threshold=$(grep -m1 "^canary-bench rollback" "$work/figures.txt" | field threshold)
steps=$(grep -m1 "^canary-bench promotion" "$work/figures.txt" | field steps)
[ -n "$rollback_ms" ] || [ -n "$promotion_ms" ] || { echo "no canary-bench lines in the runs' output" >&2; exit 1; }
: "${threshold:=1}" "${steps:=2}" "${rollback_ms:=n/a}" "${promotion_ms:=n/a}"

printf 'canary: stepWeights [20, 50] (%s steps), threshold %s, minRequests 20; %s run(s)\n' "$steps" "$threshold" "$runs"
printf '%-18s %-28s %-36s\n' "" "meshlog (measured, ms)" "Flagger, interval ${interval_s}s (formula)"
printf '%-18s %-28s %-36s\n' "time to rollback" "$rollback_ms" "$((interval_s * threshold * 1000)) ms (interval x threshold)"
printf '%-18s %-28s %-36s\n' "time to promotion" "$promotion_ms" "$((interval_s * steps * 1000)) ms (interval x steps)"
