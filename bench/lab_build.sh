#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Benchmark: how fast nstrace builds and removes a lab through netlink.
#
#  1. The tutorial topology (--isolated, 2 namespaces), built and removed by
#     `nstrace up/down` and by the equivalent `ip` script (bench/ip_lab.sh),
#     interleaved in one loop of $ROUNDS rounds, alternating which goes first.
#     Prints the median build and teardown time of each and the ip/nstrace
#     ratios. Target: total (build + teardown) ratio >= 8.
#  2. `nstrace up --isolated --namespaces 100` + `down`, $BIG_RUNS times.
#     Target: median build < 1 s.
#
# Exits 0 once the figures are measured, target met or not ("target met" /
# "target missed"); 1 if a command failed, so the figures would mean nothing;
# 2 if it cannot run here (not root, no build). Every lab it makes has a name
# of its own and is removed in an EXIT trap (`nstrace down --lab NAME`, then
# `ip netns del` of its own namespace names); it never uses `down --all`.
#
# Environment: ROUNDS (10), BIG_RUNS (3), BIG_N (100), SETTLE (seconds of
# pause after each teardown, untimed, 0.1), NSTRACE (binary, build/nstrace).
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NSTRACE=${NSTRACE:-$ROOT/build/nstrace}
IPLAB=$ROOT/bench/ip_lab.sh
ROUNDS=${ROUNDS:-10}
BIG_RUNS=${BIG_RUNS:-3}
BIG_N=${BIG_N:-100}
SETTLE=${SETTLE:-0.1}
RATIO_TARGET=8
BIG_TARGET_US=1000000

die() { echo "lab_build: $*" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || die "needs root (namespaces and links): sudo make bench"
[ -x "$NSTRACE" ] || die "$NSTRACE not found: run make first"
command -v ip >/dev/null || die "ip (iproute2) not found"
[[ $ROUNDS =~ ^[1-9][0-9]*$ && $BIG_RUNS =~ ^[1-9][0-9]*$ && $BIG_N =~ ^[1-9][0-9]*$ ]] ||
	die "ROUNDS, BIG_RUNS and BIG_N must be positive integers"

# Lab names: a-z0-9-, unique to this run ("b" + pid + random).
UNIQ="b$(printf '%x' $$)$(printf '%02x' $((RANDOM % 256)))"
TMP=$(mktemp -d)
LOG=$TMP/cmd.log
LABS=()   # "NAME N KIND": every lab this run may have made (N endpoints; KIND nst|ip)

# shellcheck disable=SC2317,SC2207  # run by the EXIT trap; names have no spaces
cleanup() {
	local entry lab n kind ns names
	for entry in "${LABS[@]}"; do
		read -r lab n kind <<<"$entry"
		names=("$lab-host" $(seq -f "$lab-ns%g" 1 "$n"))
		# nstrace's labs through nstrace; then whatever of our names is left.
		if [ "$kind" = nst ]; then
			for ns in "${names[@]}"; do
				if [ -e "/run/netns/$ns" ]; then
					"$NSTRACE" down --lab "$lab" >/dev/null 2>&1
					break
				fi
			done
		fi
		for ns in "${names[@]}"; do
			[ -e "/run/netns/$ns" ] && ip netns del "$ns" >/dev/null 2>&1
		done
	done
	rm -rf "$TMP"
	return 0
}
trap cleanup EXIT
trap 'echo "lab_build: interrupted" >&2; exit 130' INT TERM HUP

# $REPLY = now in µs. EPOCHREALTIME's separator follows the locale.
stamp() {
	if [ -n "${EPOCHREALTIME:-}" ]; then
		REPLY=${EPOCHREALTIME//[.,]/}
	else
		REPLY=$(($(date +%s%N) / 1000))
	fi
}

# timed VAR CMD...: runs CMD (output in $LOG), its wall time in µs into VAR.
# A failure prints the command's output and ends the benchmark (exit 1).
timed() {
	local var=$1 t0 t1 rc
	shift
	stamp; t0=$REPLY
	"$@" >"$LOG" 2>&1
	rc=$?
	stamp; t1=$REPLY
	if [ $rc -ne 0 ]; then
		echo "lab_build: '$*' failed (exit $rc):" >&2
		sed 's/^/  | /' "$LOG" >&2
		exit 1
	fi
	printf -v "$var" '%d' $((t1 - t0))
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }
ms() { awk -v u="$1" 'BEGIN {printf "%.2f", u / 1000}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", (b > 0) ? a / b : 0}'; }

# The lab's namespaces, links (no MACs, ifindexes, mark prefix, nor carrier
# and operstate, which settle asynchronously), IPv4 addresses and routes:
# equal for both methods if they built the same thing.
lab_signature() {
	local lab=$1 ns
	for ns in host ns1 ns2; do
		echo "[$ns]"
		ip -n "$lab-$ns" -o link show | sed -E \
			-e 's/^[0-9]+: //; s/@if[0-9]+//; s#link/ether [0-9a-f:]+#link/ether MAC#' \
			-e 's/link-netns [a-z0-9-]+-(host|ns[0-9]+)/link-netns \1/' \
			-e 's/alias (nstrace|iplab):[a-z0-9-]+:/alias /' \
			-e 's/,LOWER_UP|,NO-CARRIER| state [A-Z]+//g'
		ip -n "$lab-$ns" -o -4 addr show | awk '{print $2, $3, $4, $5, $6}'
		ip -n "$lab-$ns" -4 route show table all
	done
}

# No namespace of lab $1 (N = $2) is left under /run/netns.
expect_gone() {
	local ns
	for ns in "$1-host" $(seq -f "$1-ns%g" 1 "$2"); do
		if [ -e "/run/netns/$ns" ]; then
			echo "lab_build: namespace $ns is left after teardown" >&2
			exit 1
		fi
	done
}

# One build + teardown of method $1 (nst|ip) in round $2; results in *_UP/*_DOWN arrays.
NST_UP=() NST_DOWN=() IP_UP=() IP_DOWN=()
SIG_NST="" SIG_IP=""
one() {
	local m=$1 r=$2 lab up down upcmd downcmd
	lab="$UNIQ-${m:0:1}$r"          # -n<r>: nstrace, -i<r>: ip
	if [ "$m" = nst ]; then
		upcmd=("$NSTRACE" up --isolated --lab "$lab") downcmd=("$NSTRACE" down --lab "$lab")
	else
		upcmd=(bash "$IPLAB" up "$lab") downcmd=(bash "$IPLAB" down "$lab")
	fi
	LABS+=("$lab 2 $m")
	timed up "${upcmd[@]}"
	if [ "$r" -eq 1 ]; then
		if [ "$m" = nst ]; then SIG_NST=$(lab_signature "$lab"); else SIG_IP=$(lab_signature "$lab"); fi
	fi
	timed down "${downcmd[@]}"
	expect_gone "$lab" 2
	if [ "$m" = nst ]; then NST_UP+=("$up") NST_DOWN+=("$down"); else IP_UP+=("$up") IP_DOWN+=("$down"); fi
	printf '  %-7s up %8s ms   down %8s ms\n' "$m" "$(ms "$up")" "$(ms "$down")"
	sleep "$SETTLE"
}

# nstrace down looks at every namespace under /run/netns: say how many others there are.
OTHER_NS=$(find /run/netns -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
echo "nstrace lab build benchmark  ($(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -r), $(nproc) CPUs, $OTHER_NS other namespaces in /run/netns)"
echo "tutorial topology --isolated: nstrace up/down vs bench/ip_lab.sh up/down, $ROUNDS rounds interleaved"
for ((r = 1; r <= ROUNDS; r++)); do
	echo " round $r"
	if ((r % 2)); then one nst "$r"; one ip "$r"; else one ip "$r"; one nst "$r"; fi
	if [ "$r" -eq 1 ] && [ "$SIG_NST" != "$SIG_IP" ]; then
		echo "lab_build: the ip script did not build what nstrace builds:" >&2
		diff <(echo "$SIG_NST") <(echo "$SIG_IP") | sed 's/^/  | /' >&2
		exit 1
	fi
done
EQUIV="both built the same namespaces, links, flags, masters, aliases, addresses, routes"

n_up=$(median "${NST_UP[@]}") n_down=$(median "${NST_DOWN[@]}")
i_up=$(median "${IP_UP[@]}") i_down=$(median "${IP_DOWN[@]}")
n_tot_all=() i_tot_all=()
for ((k = 0; k < ROUNDS; k++)); do
	n_tot_all+=($((NST_UP[k] + NST_DOWN[k])))
	i_tot_all+=($((IP_UP[k] + IP_DOWN[k])))
done
n_tot=$(median "${n_tot_all[@]}") i_tot=$(median "${i_tot_all[@]}")
r_up=$(ratio "$i_up" "$n_up") r_down=$(ratio "$i_down" "$n_down") r_tot=$(ratio "$i_tot" "$n_tot")

echo
echo "big lab: nstrace up --isolated --namespaces $BIG_N + down, $BIG_RUNS runs"
BIG_UP=() BIG_DOWN=()
for ((r = 1; r <= BIG_RUNS; r++)); do
	lab="$UNIQ-n$BIG_N-$r"
	LABS+=("$lab $BIG_N nst")
	timed up "$NSTRACE" up --isolated --namespaces "$BIG_N" --lab "$lab"
	made=0
	for ((k = 1; k <= BIG_N; k++)); do [ -e "/run/netns/$lab-ns$k" ] && made=$((made + 1)); done
	if [ "$made" -ne "$BIG_N" ] || [ ! -e "/run/netns/$lab-host" ]; then
		echo "lab_build: $lab has $made of $BIG_N namespaces after up" >&2
		exit 1
	fi
	timed down "$NSTRACE" down --lab "$lab"
	expect_gone "$lab" "$BIG_N"
	BIG_UP+=("$up") BIG_DOWN+=("$down")
	printf '  run %d  up %8s ms   down %8s ms\n' "$r" "$(ms "$up")" "$(ms "$down")"
	sleep "$SETTLE"
done
b_up=$(median "${BIG_UP[@]}") b_down=$(median "${BIG_DOWN[@]}")

verdict() { if [ "$1" -eq 1 ]; then echo "target met"; else echo "target missed"; fi; }
ratio_ok=$(awk -v a="$i_tot" -v b="$n_tot" -v t="$RATIO_TARGET" 'BEGIN {print (a >= t * b) ? 1 : 0}')
big_ok=$((b_up < BIG_TARGET_US ? 1 : 0))

echo
echo "==== summary (medians) ===="
echo "tutorial topology, $ROUNDS rounds interleaved ($EQUIV)"
printf '  %-22s %10s %10s %10s\n' "" "build ms" "down ms" "total ms"
printf '  %-22s %10s %10s %10s\n' "nstrace (netlink)" "$(ms "$n_up")" "$(ms "$n_down")" "$(ms "$n_tot")"
printf '  %-22s %10s %10s %10s\n' "ip script" "$(ms "$i_up")" "$(ms "$i_down")" "$(ms "$i_tot")"
printf '  %-22s %9sx %9sx %9sx\n' "ratio ip/nstrace" "$r_up" "$r_down" "$r_tot"
printf '  build+teardown >= %dx faster than ip: %sx  %s\n' "$RATIO_TARGET" "$r_tot" "$(verdict "$ratio_ok")"
printf '%d-namespace lab, %d runs: build %s ms, down %s ms\n' "$BIG_N" "$BIG_RUNS" "$(ms "$b_up")" "$(ms "$b_down")"
printf '  build < 1 s: %s ms  %s\n' "$(ms "$b_up")" "$(verdict "$big_ok")"
exit 0
