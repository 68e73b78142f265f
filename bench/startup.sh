#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Benchmark: end-to-end latency of one traced probe (issue 10, section 5).
#
#   nstrace     nstrace run --new --isolated --count 1 --lab NAME
#               (build the lab, load and attach the observers, one probe,
#               report, remove everything)
#   nstrace-tcx the same with --attach tcx (tcx links instead of clsact filters)
#   ip          bench/ip_lab.sh up NAME; ip netns exec NAME-ns1 ping -c1 -W1
#               10.200.0.2; bench/ip_lab.sh down NAME (the same topology and one
#               ping, untraced: the baseline)
# interleaved in $ROUNDS rounds (the order rotates), each with a lab name of
# its own; prints the median wall time of each (the process start counts) and
# the target: nstrace <= 150 ms.
# Exits 0 once measured; 1 if a command failed; 2 if it cannot run here.
# Environment: ROUNDS (10), SETTLE (0.1 s untimed pause after each), NSTRACE.
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NSTRACE=${NSTRACE:-$ROOT/build/nstrace}
IPLAB=$ROOT/bench/ip_lab.sh
ROUNDS=${ROUNDS:-10}
SETTLE=${SETTLE:-0.1}
TARGET_US=150000

die() { echo "startup: $*" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || die "needs root: sudo make bench-startup"
[ -x "$NSTRACE" ] || die "$NSTRACE not found: run make first"

UNIQ="s$(printf '%x' $$)$(printf '%02x' $((RANDOM % 256)))"
TMP=$(mktemp -d)
LABS=()
cleanup() {
	local lab
	for lab in "${LABS[@]}"; do
		"$NSTRACE" down --lab "$lab" >/dev/null 2>&1
		for ns in host ns1 ns2; do [ -e "/run/netns/$lab-$ns" ] && ip netns del "$lab-$ns" 2>/dev/null; done
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'echo "startup: interrupted" >&2; exit 130' INT TERM HUP

stamp() { REPLY=${EPOCHREALTIME//[.,]/}; }

ip_once() {
	bash "$IPLAB" up "$1" && ip netns exec "$1-ns1" ping -c 1 -W 1 -q 10.200.0.2 >/dev/null
	local rc=$?
	bash "$IPLAB" down "$1"
	return $rc
}

# one METHOD ROUND: times it into $REPLY (µs); a failure ends the benchmark.
one() {
	local m=$1 lab="$UNIQ-${1:0:1}${1: -1}$2" t0 rc
	LABS+=("$lab")
	stamp; t0=$REPLY
	case $m in
	nstrace) "$NSTRACE" run --new --isolated --count 1 --lab "$lab" >"$TMP/log" 2>&1 ;;
	nstrace-tcx) "$NSTRACE" run --new --isolated --count 1 --attach tcx --lab "$lab" >"$TMP/log" 2>&1 ;;
	ip) ip_once "$lab" >"$TMP/log" 2>&1 ;;
	esac
	rc=$?
	stamp
	REPLY=$((REPLY - t0))
	if [ $rc -ne 0 ]; then
		echo "startup: $m failed (exit $rc):" >&2
		sed 's/^/  | /' "$TMP/log" >&2
		exit 1
	fi
	sleep "$SETTLE"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }
ms() { awk -v u="$1" 'BEGIN {printf "%.1f", u / 1000}'; }

METHODS=(nstrace ip nstrace-tcx)
declare -A T
echo "nstrace start-up benchmark ($(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -r), $(nproc) CPUs)"
echo "one traced probe end to end, $ROUNDS rounds interleaved"
for ((r = 0; r < ROUNDS; r++)); do
	line=""
	for ((k = 0; k < ${#METHODS[@]}; k++)); do
		m=${METHODS[$(((k + r) % ${#METHODS[@]}))]}
		one "$m" "$r"
		T[$m]+="$REPLY "
		line+=$(printf '  %s %s ms' "$m" "$(ms "$REPLY")")
	done
	echo " round $((r + 1)):$line"
done
echo
echo "==== summary (medians) ===="
for m in "${METHODS[@]}"; do
	# shellcheck disable=SC2086
	printf '  %-12s %8s ms\n' "$m" "$(ms "$(median ${T[$m]})")"
done
# shellcheck disable=SC2086
n=$(median ${T[nstrace]})
# shellcheck disable=SC2086
i=$(median ${T[ip]})
printf '  nstrace / ip script: %s\n' "$(awk -v a="$n" -v b="$i" 'BEGIN {printf "%.2f", a / b}')"
printf '  run --isolated --count 1 <= 150 ms: %s ms  %s\n' "$(ms "$n")" \
	"$([ "$n" -le $TARGET_US ] && echo "target met" || echo "target missed")"
exit 0
