#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# One runner for unit and integration tests; closes with "N passed, N failed".
#   tests/run.sh               everything (integration needs root)
#   tests/run.sh --unit-only   no root needed
#   tests/run.sh NAME...       only integration tests whose file name has NAME
set -u
cd "$(dirname "$0")/.."
results=$(mktemp)
trap 'rm -f "$results"' EXIT
export NSTRACE_RESULTS="$results"
export NSTRACE="$PWD/build/nstrace"

unit_only=0
filters=()
for a in "$@"; do
	case "$a" in
	--unit-only) unit_only=1 ;;
	*) filters+=("$a") ;;
	esac
done

# unit NAME CMD...: a program that prints "ok"/"FAIL" lines and "N passed, N failed".
unit() {
	local name=$1 out rc line p f
	shift
	echo "== unit: $name"
	out=$("$@" 2>&1)
	rc=$?
	echo "$out" | grep -v '^ok ' | sed 's/^/   /'
	line=$(echo "$out" | tail -n1)
	p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
	f=$(echo "$line" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
	if [ -z "$p" ]; then
		echo "FAIL unit $name: no summary line (exit $rc)" >>"$results"
		return
	fi
	for _ in $(seq 1 "$p"); do echo "PASS unit" >>"$results"; done
	for _ in $(seq 1 "$f"); do echo "FAIL unit $name" >>"$results"; done
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && echo "FAIL unit $name exit $rc" >>"$results"
}

if [ ${#filters[@]} -eq 0 ]; then
	for t in build/tests/*; do
		[ -x "$t" ] && unit "$(basename "$t")" "$t"
	done
	# The architecture: layers, pure layers, sizes (tests/layers.sh), and that check's own test.
	unit layers tests/layers.sh
	unit layers_selftest tests/layers_selftest.sh
	# Every fuzz target briefly from its seeds ('make fuzz-run' runs them for a minute each).
	if ls build/fuzz/bin/fuzz_* >/dev/null 2>&1; then
		unit fuzz tests/fuzz_run.sh build/fuzz/bin "${NSTRACE_FUZZ_SECONDS:-3}"
	else
		echo "SKIP fuzz smoke: no build/fuzz/bin (make fuzz; make test builds it)" >>"$results"
	fi
fi

if [ "$unit_only" -eq 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "integration tests need root: run 'sudo make test'" >&2
		echo "SKIP integration (not root)" >>"$results"
	else
		for t in tests/integration/t_*.sh; do
			if [ ${#filters[@]} -gt 0 ]; then
				match=0
				for f in "${filters[@]}"; do case "$t" in *"$f"*) match=1 ;; esac; done
				[ $match -eq 1 ] || continue
			fi
			echo "== integration: $(basename "$t" .sh)"
			bash "$t"
			rc=$?
			if [ $rc -ne 0 ]; then
				echo "FAIL $(basename "$t"): script exited $rc" >>"$results"
				echo "   not ok: script exited $rc"
			fi
		done
	fi
fi

passed=$(grep -c '^PASS' "$results")
failed=$(grep -c '^FAIL' "$results")
skipped=$(grep -c '^SKIP' "$results")
if [ "$failed" -gt 0 ]; then
	echo
	echo "failures:"
	grep '^FAIL' "$results" | sed 's/^FAIL /  /'
fi
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && { [ "${CI:-}" != true ] || [ "$skipped" -eq 0 ]; }
