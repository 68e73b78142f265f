#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Benchmark: what nstrace's observers cost the traffic they watch (issue 10).
#
# Bridged 64-byte UDP with no ARP or ICMP in it: iperf3 from ns1 to ns2 of an
# isolated lab (nstrace up --isolated), $SECS s a run, as fast as it goes.
# Configurations, side by side in one session:
#   floor-in     a trivial tc program (bench/floor.bpf.c: read the ethertype,
#                return) as tcx links on ingress of the lab's 5 links
#   floor-inout  the same on ingress and egress
#   passive      nstrace trace --passive --lab   (tc ingress, netfilter on demand)
#   full         nstrace trace --passive --full --lab   (ingress+egress, netfilter all along)
#   *-clsact     the same as clsact filters, where CLSACT=1 (is the other hook cheaper?)
# Every traced run is bracketed by untraced runs (U T U T U ...); a run's
# ratio is its rate over the mean of the two untraced runs around it. Printed:
# the median ratio per configuration over $ROUNDS rounds (the order of the
# configurations rotates each round), against the targets: passive >= 0.90,
# full >= 0.85, nstrace <= 2 points below the floor on the same hooks; and the
# kernel's own figures per program (BPF_ENABLE_STATS: ns per run, runs and ns
# per packet sent), from one more run of each configuration with the
# accounting on: it is off in the rounds, as it is when nstrace runs without
# --stats, because it costs every run two clock reads.
# Then ICMP echo requests at $FLOOD_PPS a second through the lab under passive
# and full (bench/icmp_flood.py: ping cannot hold a rate): events lost (target:
# none).
#
# The rate is the sender's: with -b 0 one CPU sends and forwards each packet
# through all four hooks (veth egress, port ingress, port egress, veth
# ingress) in softirq, so it is what the hooks cost; the receiver's rate is
# printed too (it is bounded by its socket buffer, and flatters everything).
#
# Exits 0 once measured (target met or missed); 1 if a run failed; 2 if it
# cannot run here. Everything it made is removed in an EXIT trap.
# Environment: ROUNDS (5), SECS (3), CLSACT (0), FLOOD_PPS (10000),
# NSTRACE (build/nstrace), FLOOR (build/bench/floor).
set -u

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NSTRACE=${NSTRACE:-$ROOT/build/nstrace}
FLOOR=${FLOOR:-$ROOT/build/bench/floor}
FLOOR_OBJ=${FLOOR_OBJ:-$ROOT/build/bench/floor.bpf.o}
ROUNDS=${ROUNDS:-5}
SECS=${SECS:-3}
CLSACT=${CLSACT:-0}
FLOOD_PPS=${FLOOD_PPS:-10000}
PORT=5201

die() { echo "cost: $*" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || die "needs root: sudo make bench-cost"
[ -x "$NSTRACE" ] && [ -x "$FLOOR" ] && [ -f "$FLOOR_OBJ" ] || die "build first: make all bench-bins"
if ! command -v iperf3 >/dev/null; then
	echo "cost: installing iperf3 (apt)" >&2
	apt-get install -y -qq iperf3 >/dev/null 2>&1 || die "iperf3 not found and could not be installed"
fi

LAB="bc$(printf '%x' $$)$(printf '%02x' $((RANDOM % 256)))"
TMP=$(mktemp -d)
TRACER=""
cleanup() {
	[ -n "$TRACER" ] && kill "$TRACER" 2>/dev/null && wait "$TRACER" 2>/dev/null
	[ -f "$TMP/iperf.pid" ] && kill "$(cat "$TMP/iperf.pid")" 2>/dev/null
	"$NSTRACE" down --lab "$LAB" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'echo "cost: interrupted" >&2; exit 130' INT TERM HUP

"$NSTRACE" up --isolated --lab "$LAB" >"$TMP/up.log" 2>&1 || { cat "$TMP/up.log" >&2; exit 1; }
HOST="$LAB-host" NS1="$LAB-ns1" NS2="$LAB-ns2"
LINKS=("$HOST:br0" "$HOST:veth-br1" "$HOST:veth-br2" "$NS1:veth-ns1" "$NS2:veth-ns2")
ip netns exec "$NS2" iperf3 -s -p $PORT -D --pidfile "$TMP/iperf.pid" >/dev/null 2>&1 || { echo "cost: iperf3 -s failed" >&2; exit 1; }
sleep 0.3
# Warm up: ARP resolved, caches hot.
ip netns exec "$NS1" ping -c 2 -i 0.2 -q 10.200.0.2 >/dev/null

# udp: one iperf3 run; "SENT_PPS RECV_PPS" into $REPLY.
udp() {
	local j="$TMP/iperf.json"
	ip netns exec "$NS1" iperf3 -c 10.200.0.2 -p $PORT -u -b 0 -l 64 -t "$SECS" -J >"$j" 2>&1 ||
		{ echo "cost: iperf3 failed:" >&2; tail -5 "$j" >&2; exit 1; }
	REPLY=$(python3 -c '
import json, sys
e = json.load(open(sys.argv[1]))["end"]
s, r = e["sum_sent"], e["sum_received"]
print("%.0f %.0f" % (s["packets"] / s["seconds"], r["bytes"] / 64 / r["seconds"]))' "$j")
}

# start CONFIG [stats]: the tracer of CONFIG in the background, ready when
# this returns; with "stats", the kernel's accounting (BPF_ENABLE_STATS) on.
start() {
	local cfg=$1 stats=${2:-} mode=tcx dirs=in log="$TMP/tracer.log"
	case "$cfg" in *-clsact) mode=clsact ;; esac
	: >"$log"
	case "$cfg" in
	floor-in*|floor-inout*)
		case "$cfg" in floor-inout*) dirs=inout ;; esac
		if [ -n "$stats" ]; then
			"$FLOOR" "$FLOOR_OBJ" "$mode" "$dirs" "${LINKS[@]}" >"$log" 2>&1 &
		else
			FLOOR_NO_STATS=1 "$FLOOR" "$FLOOR_OBJ" "$mode" "$dirs" "${LINKS[@]}" >"$log" 2>&1 &
		fi
		TRACER=$!
		READY='^attached' ;;
	passive*|full*)
		local args=(trace --passive --lab "$LAB" --attach "$mode")
		[ -n "$stats" ] && args+=(--stats)
		case "$cfg" in full*) args+=(--full) ;; esac
		"$NSTRACE" "${args[@]}" >"$log" 2>&1 &
		TRACER=$!
		READY='^watching' ;;
	esac
	for _ in $(seq 1 200); do grep -q "$READY" "$log" && return 0; kill -0 "$TRACER" 2>/dev/null || break; sleep 0.05; done
	echo "cost: $cfg did not start:" >&2
	cat "$log" >&2
	exit 1
}

# stop: ends the tracer; its per-program lines ("NAME RUNS NS_PER_RUN") into $TMP/progs.
stop() {
	kill -INT "$TRACER" 2>/dev/null
	wait "$TRACER" 2>/dev/null
	TRACER=""
	sed -nE 's/^floor_tc ([0-9]+) runs ([0-9.]+) ns\/run/floor_tc \1 \2/p;
		s/^  ([a-z_]+) +[0-9]+ cop(y|ies) +([0-9]+) runs +([0-9.]+) ns\/run/\1 \3 \4/p' "$TMP/tracer.log" >"$TMP/progs"
}

CONFIGS=(floor-in floor-inout passive full)
[ "$CLSACT" = 1 ] && CONFIGS+=(floor-in-clsact floor-inout-clsact passive-clsact full-clsact)
declare -A RATIOS RRATIOS
echo "nstrace observer cost ($(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -r), $(nproc) CPUs)"
echo "bridged 64-byte UDP, iperf3 $NS1 -> $NS2, ${SECS} s a run, $ROUNDS rounds, traced runs bracketed by untraced ones"
udp
prev_s=${REPLY% *} prev_r=${REPLY#* }
printf '  %-20s %9s sent pps %9s received pps\n' untraced "$prev_s" "$prev_r"
for ((r = 0; r < ROUNDS; r++)); do
	echo " round $((r + 1))"
	for ((k = 0; k < ${#CONFIGS[@]}; k++)); do
		cfg=${CONFIGS[$(((k + r) % ${#CONFIGS[@]}))]}
		start "$cfg"
		udp
		t_s=${REPLY% *} t_r=${REPLY#* }
		stop
		udp
		u_s=${REPLY% *} u_r=${REPLY#* }
		ratio=$(awk -v t="$t_s" -v a="$prev_s" -v b="$u_s" 'BEGIN {printf "%.3f", 2 * t / (a + b)}')
		rratio=$(awk -v t="$t_r" -v a="$prev_r" -v b="$u_r" 'BEGIN {printf "%.3f", 2 * t / (a + b)}')
		RATIOS[$cfg]+="$ratio "
		RRATIOS[$cfg]+="$rratio "
		printf '  %-20s %9s sent pps %9s received pps   ratio %s (received %s)\n' "$cfg" "$t_s" "$t_r" "$ratio" "$rratio"
		printf '  %-20s %9s sent pps %9s received pps\n' untraced "$u_s" "$u_r"
		prev_s=$u_s prev_r=$u_r
	done
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
verdict() { awk -v x="$1" -v t="$2" 'BEGIN {print (x >= t) ? "target met" : "target missed"}'; }
declare -A MED
echo
echo "==== summary (medians of $ROUNDS ratios) ===="
printf '  %-20s %8s %10s\n' "" "sent" "received"
for cfg in "${CONFIGS[@]}"; do
	# shellcheck disable=SC2086
	MED[$cfg]=$(median ${RATIOS[$cfg]})
	# shellcheck disable=SC2086
	printf '  %-20s %8.3f %10.3f   (all: %s)\n' "$cfg" "${MED[$cfg]}" "$(median ${RRATIOS[$cfg]})" "${RATIOS[$cfg]% }"
done
for sfx in "" "-clsact"; do
	[ -n "${MED[passive$sfx]:-}" ] || continue
	printf '  passive%s >= 0.90: %s  %s\n' "$sfx" "${MED[passive$sfx]}" "$(verdict "${MED[passive$sfx]}" 0.90)"
	printf '  full%s >= 0.85: %s  %s\n' "$sfx" "${MED[full$sfx]}" "$(verdict "${MED[full$sfx]}" 0.85)"
	printf '  passive%s within 2 points of floor-in%s: %s vs %s  %s\n' "$sfx" "$sfx" "${MED[passive$sfx]}" \
		"${MED[floor-in$sfx]}" "$(verdict "$(awk -v a="${MED[passive$sfx]}" -v b="${MED[floor-in$sfx]}" 'BEGIN {print a - b + 0.02}')" 0)"
	printf '  full%s within 2 points of floor-inout%s: %s vs %s  %s\n' "$sfx" "$sfx" "${MED[full$sfx]}" \
		"${MED[floor-inout$sfx]}" "$(verdict "$(awk -v a="${MED[full$sfx]}" -v b="${MED[floor-inout$sfx]}" 'BEGIN {print a - b + 0.02}')" 0)"
done
echo
echo "per program (BPF_ENABLE_STATS on, one more run of each configuration): ns per run, runs per packet sent, ns per packet sent"
for cfg in "${CONFIGS[@]}"; do
	start "$cfg" stats
	udp
	t_s=${REPLY% *}
	stop
	while read -r name runs nsrun; do
		awk -v k="$cfg/$name" -v n="$runs" -v x="$nsrun" -v p="$t_s" -v s="$SECS" \
			'BEGIN {printf "  %-32s %7.1f ns/run %6.2f runs/pkt %7.1f ns/pkt\n", k, x, n / (p * s), n * x / (p * s)}'
	done <"$TMP/progs"
done

# An ICMP echo flood through the lab at FLOOD_PPS (bench/icmp_flood.py holds the rate): does the ring buffer keep up?
echo
echo "ICMP echo requests at $FLOOD_PPS/s for ${SECS} s, $NS1 -> $NS2 (bench/icmp_flood.py):"
for cfg in passive full; do
	start "$cfg"
	read -r sent secs got < <(ip netns exec "$NS1" python3 "$ROOT/bench/icmp_flood.py" 10.200.0.2 "$FLOOD_PPS" "$SECS")
	stop
	rate=$(awk -v s="$sent" -v t="$secs" 'BEGIN {printf "%.0f", (t > 0) ? s / t : 0}')
	# The summary line (it may be wrapped): "summary: ..., N events, M lost".
	read -r events lost < <(tr '\n' ' ' <"$TMP/tracer.log" | sed -nE 's/.*summary: .* ([0-9]+) +events, +([0-9]+) +lost.*/\1 \2/p')
	printf '  %-8s %6s requests/s (%s of %s answered): %8s events, %s lost  %s\n' "$cfg" "$rate" "$got" "$sent" \
		"${events:-?}" "${lost:-?}" "$([ "${lost:-x}" = 0 ] && echo "target met" || echo "target missed")"
done
exit 0
