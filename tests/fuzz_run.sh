#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Runs every libFuzzer target for SECONDS each, from the committed seeds
# (tests/fuzz/corpus/NAME, never written to) plus a scratch corpus.
#   tests/fuzz_run.sh BINDIR SECONDS [NAME...]
# One "ok"/"FAIL" line per target with its runs, then "N passed, N failed".
# A crash's input is kept under BINDIR/../crashes/ for 'BINDIR/NAME FILE'.
set -u
cd "$(dirname "$0")/.."
bindir=$1 secs=$2
shift 2
crashes=$(dirname "$bindir")/crashes
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$crashes"
passed=0 failed=0
for bin in "$bindir"/fuzz_*; do
	name=$(basename "$bin")
	case "$name" in *.*) continue ;; esac
	[ -x "$bin" ] || continue
	if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then continue; fi
	seeds=()
	[ -d "tests/fuzz/corpus/$name" ] && seeds=("tests/fuzz/corpus/$name")
	mkdir -p "$work/$name"
	"$bin" -max_total_time="$secs" -print_final_stats=1 -rss_limit_mb=2048 -timeout=10 \
		-artifact_prefix="$crashes/$name-" "$work/$name" "${seeds[@]}" >"$work/$name.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log")
	cov=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' "$work/$name.log" | tail -n1 | sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*/\1 edges, \2 features/p')
	if [ $rc -eq 0 ]; then
		echo "ok   $name: ${runs:-?} runs in ${secs} s (${cov:-coverage unknown}), no crash"
		passed=$((passed + 1))
	else
		echo "FAIL $name: exit $rc after ${runs:-?} runs"
		grep -m3 -E 'ERROR|runtime error|deadly|Test unit written' "$work/$name.log" | sed 's/^/     /'
		failed=$((failed + 1))
	fi
done
[ $((passed + failed)) -gt 0 ] || { echo "FAIL no fuzz targets in $bindir (make fuzz)"; failed=1; }
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
