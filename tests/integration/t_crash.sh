#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 11, item 8: SIGKILL at random points of 'up --namespaces 40' and of
# 'run', alternately in the root namespace and --isolated. Whatever a killed
# build left, status lists it and 'down --lab' removes all of it: no
# namespace, no /run/netns file, no link (marked, tagged or by name), no BPF
# program (a BPF link holds its program, so no link either). Then the same
# names build again. NSTRACE_CRASH_TRIALS sets the number of kills of each.
. "$(dirname "$0")/lib.sh"
TRIALS=${NSTRACE_CRASH_TRIALS:-30}

# What of lab $1 (bridge $2) exists now, one word per object.
remains() {
	local lab=$1 br=$2
	ls /run/netns 2>/dev/null | grep -E "^$lab-(host|ns[0-9]+)\$" || true
	ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' |
		grep -E "^($br|$lab-b[0-9]+)\$" || true
	ip -o -d link show 2>/dev/null | grep -F "nstrace:$lab:" | awk -F': ' '{print $2}' || true
}

ms_sleep() { sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"; }

# How long a whole command takes here, in ms (the range the kills are drawn from).
duration_ms() {
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}

# trial KIND I CMD...: start CMD, SIGKILL it after a random delay below $SPAN ms, then down --lab.
killed=0 listed=0 clean=0 remained=0 files=0
trial() {
	local lab=$1 br=$2 pid d left
	shift 2
	"$NSTRACE" "$@" >/dev/null 2>&1 &
	pid=$!
	d=$((RANDOM % SPAN))
	ms_sleep "$d"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ $? -eq 137 ] && killed=$((killed + 1))
	if [ -n "$(remains "$lab" "$br")" ]; then
		remained=$((remained + 1))
		"$NSTRACE" status >"$OUT" 2>&1
		grep -q "^lab $lab:" "$OUT" && listed=$((listed + 1)) ||
			fail "status lists what a kill after ${d} ms left of $lab: $(remains "$lab" "$br" | tr '\n' ' ')"
	fi
	"$NSTRACE" down --lab "$lab" >"$OUT" 2>&1
	grep -q "empty files $lab-" "$OUT" && files=$((files + 1))
	for _ in $(seq 1 20); do
		left="$(remains "$lab" "$br")$(nstrace_progs)"
		[ -z "$left" ] && break
		sleep 0.1
	done
	if [ -z "$left" ]; then
		clean=$((clean + 1))
	else
		fail "kill after ${d} ms of '$*', then down --lab: left $(echo $left)"
	fi
}

# up --namespaces 40.
on_exit "$NSTRACE" down --lab "$UNIQ-m"
SPAN=$(duration_ms "$NSTRACE" up --lab "$UNIQ-m" --namespaces 40 --bridge "${UNIQ}m" --subnet 10.241.0.0/24)
"$NSTRACE" down --lab "$UNIQ-m" >/dev/null 2>&1
SPAN=$((SPAN + SPAN / 4 + 1))
pass "up --namespaces 40 takes ${SPAN} ms here with margin: kills drawn from 0..${SPAN} ms"
killed=0 listed=0 clean=0 remained=0 files=0
for i in $(seq 1 "$TRIALS"); do
	lab="$UNIQ-k$i" br="${UNIQ}k$i"
	on_exit "$NSTRACE" down --lab "$lab"
	if [ $((i % 2)) -eq 0 ]; then
		trial "$lab" "$br" up --lab "$lab" --namespaces 40 --isolated
	else
		trial "$lab" "$br" up --lab "$lab" --namespaces 40 --bridge "$br" --subnet "10.242.$i.0/24"
	fi
done
[ $clean -eq "$TRIALS" ] && pass "up: $TRIALS kills ($killed mid-build, $remained left something, $files an empty namespace file, status listed $listed): down --lab left nothing each time" ||
	fail "up: only $clean of $TRIALS kills cleaned up by down --lab"
[ $listed -eq $remained ] && pass "up: status listed every lab a kill left something of" || fail "up: status listed $listed of $remained"
[ $killed -gt 0 ] && pass "up: $killed kills landed mid-build" || fail "up: no kill landed mid-build"

# run: build, observers, probes.
SPAN=$(duration_ms "$NSTRACE" run --new --lab "$UNIQ-m" --isolated --count 3 --interval 50)
SPAN=$((SPAN + SPAN / 4 + 1))
pass "run takes ${SPAN} ms here with margin: kills drawn from 0..${SPAN} ms"
killed=0 listed=0 clean=0 remained=0 files=0
for i in $(seq 1 "$TRIALS"); do
	lab="$UNIQ-r$i" br="${UNIQ}r$i"
	on_exit "$NSTRACE" down --lab "$lab"
	if [ $((i % 2)) -eq 0 ]; then
		trial "$lab" "$br" run --new --lab "$lab" --isolated --count 3 --interval 50
	else
		trial "$lab" "$br" run --new --lab "$lab" --bridge "$br" --subnet "10.243.$i.0/24" --count 3 --interval 50
	fi
done
[ $clean -eq "$TRIALS" ] && pass "run: $TRIALS kills ($killed before it ended, $remained left something, $files an empty namespace file, status listed $listed): down --lab left nothing each time" ||
	fail "run: only $clean of $TRIALS kills cleaned up by down --lab"
[ $listed -eq $remained ] && pass "run: status listed every lab a kill left something of" || fail "run: status listed $listed of $remained"
[ $killed -gt 0 ] && pass "run: $killed kills landed before it ended" || fail "run: no kill landed before the end"

# The two remains a kill can leave, made by hand so each is tested every time:
# an empty file under a namespace name (killed between creating the file and
# mounting the namespace on it) and a bridge that still carries the lab's
# build tag (killed between creating it and marking it; IFLA_GROUP is kept at
# creation, the alias is not).
build_group() { # the IFLA_GROUP mark_build_group() gives lab $1: 0x6e000000 | FNV-1a 24 bits
	local h=2166136261 c i s=$1
	for ((i = 0; i < ${#s}; i++)); do
		printf -v c '%d' "'${s:i:1}"
		h=$((((h ^ c) * 16777619) & 0xffffffff))
	done
	echo $((0x6e000000 | (h & 0xffffff)))
}
lab="$UNIQ-h" br="${UNIQ}h"
on_exit rm -f "/run/netns/$lab-ns1"
on_exit ip link del "$br"
touch "/run/netns/$lab-ns1"
ip link add name "$br" group "$(build_group "$lab")" type bridge
expect_exit 3 "up refuses a name with remains, and says so" up --lab "$lab" --bridge "$br" --subnet 10.244.0.0/24
expect_out "names the empty file" "lab '$lab' has remains of a killed build (/run/netns/$lab-ns1 is an empty file, no namespace)"
run_nst status
expect_out "status lists the remains" "lab $lab: remains only"
rm -f "/run/netns/$lab-ns1.x"
mv "/run/netns/$lab-ns1" "/run/netns/$lab-ns1.x"
expect_exit 3 "with only the tagged bridge left, up names it" up --lab "$lab" --bridge "${br}x" --subnet 10.244.0.0/24
expect_out "names the bridge" "has remains of a killed build (link $br, never marked)"
mv "/run/netns/$lab-ns1.x" "/run/netns/$lab-ns1"
expect_exit 0 "down --lab removes both" down --lab "$lab"
expect_out "lists the tagged bridge and the empty file" "removed lab $lab: links $br; empty files $lab-ns1"
[ ! -e "/run/netns/$lab-ns1" ] && ! ip link show "$br" >/dev/null 2>&1 && pass "nothing of the remains is left" ||
	fail "remains left: $(ls /run/netns | grep "$lab") $(ip -br link show "$br" 2>/dev/null)"
ip link add name "$br" group "$(build_group "$UNIQ-other")" type bridge
expect_exit 2 "another lab's tag is not this lab's" down --lab "$lab"
ip link show "$br" >/dev/null 2>&1 && pass "a bridge with another lab's tag stays" || fail "a bridge with another lab's tag was removed"
ip link del "$br"

# The names are free again: up builds where killed builds were.
expect_exit 0 "up on a name a killed build had" up --lab "$UNIQ-k1" --namespaces 40 --bridge "${UNIQ}k1" --subnet 10.242.1.0/24
expect_exit 0 "down it" down --lab "$UNIQ-k1"
