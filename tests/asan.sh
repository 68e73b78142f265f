#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The unit tests and a few real commands of a build made with
# -fsanitize=address,undefined ('make check-asan'): each must exit as
# expected and no sanitizer may report anything (leaks included).
#   tests/asan.sh BUILD-DIR
set -u
cd "$(dirname "$0")/.."
b=$1
N=$b/nstrace
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:exitcode=86:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=86
log=$(mktemp)
trap 'rm -f "$log"' EXIT
passed=0 failed=0
LAB="asan$(printf '%04x' $$)"

# check DESC WANT-EXIT CMD...
check() {
	local desc=$1 want=$2 rc
	shift 2
	"$@" >"$log" 2>&1
	rc=$?
	if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: UndefinedBehavior' "$log"; then
		echo "FAIL $desc: sanitizer report"
		grep -m8 -E 'ERROR|runtime error|#[0-9] ' "$log" | sed 's/^/     /'
		failed=$((failed + 1))
	elif [ "$rc" -ne "$want" ]; then
		echo "FAIL $desc: exit $rc, expected $want"
		tail -n5 "$log" | sed 's/^/     /'
		failed=$((failed + 1))
	else
		echo "ok   $desc"
		passed=$((passed + 1))
	fi
}

for t in "$b"/tests/*; do
	case "$t" in *.d) continue ;; esac
	[ -x "$t" ] && check "unit $(basename "$t")" 0 "$t"
done
check "--help" 0 "$N" --help
check "faults" 0 "$N" faults
check "bad --count" 2 "$N" run --count +5
check "bad --subnet" 2 "$N" up --subnet 127.0.0.0/24
if [ "$(id -u)" -eq 0 ]; then
	trap '"$N" down --lab "$LAB" >/dev/null 2>&1; rm -f "$log"' EXIT
	check "up --isolated" 0 "$N" up --isolated --lab "$LAB" --namespaces 3
	check "status --lab" 0 "$N" status --lab "$LAB"
	check "exec" 0 "$N" exec --lab "$LAB" ns1 -- true
	check "run --lab (BPF observers, probes, report)" 0 "$N" run --lab "$LAB" --count 2 --from 1 --to 3
	check "trace --lab (discovery)" 0 "$N" trace --lab "$LAB" --from ns2 --to 10.200.0.1 --count 2
	check "trace --from a file that is no namespace" 2 "$N" trace --from /etc/passwd --to 10.1.2.3
	check "down --dry-run" 0 "$N" down --lab "$LAB" --dry-run
	check "down" 0 "$N" down --lab "$LAB"
	check "run --new --break --fix (verdict, fix, second trace)" 0 "$N" run --new --lab "$LAB" --break port-down --fix --count 2
else
	echo "SKIP real commands: not root"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
