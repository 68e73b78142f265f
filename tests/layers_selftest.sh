#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# tests/layers.sh must catch what it claims to: each case plants one
# violation in a copy of user/ and expects a failure naming it. Prints
# "ok"/"FAIL" lines and "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

fresh() {
	rm -rf "$tmp/user"
	cp -r "$here/../user" "$tmp/user"
}

# expect DESC WANT-EXIT FRAGMENT: run the check on the copy.
expect() {
	local desc=$1 want=$2 fragment=$3 out rc
	out=$("$here/layers.sh" "$tmp" 2>&1)
	rc=$?
	if { [ "$want" -eq 0 ] && [ $rc -eq 0 ]; } || { [ "$want" -ne 0 ] && [ $rc -ne 0 ] && grep -qF -- "$fragment" <<<"$out"; }; then
		echo "ok   $desc"
		passed=$((passed + 1))
	else
		echo "FAIL $desc (exit $rc, wanted $want and '$fragment')"
		sed 's/^/     | /' <<<"$out" | grep -v '^     | ok'
		failed=$((failed + 1))
	fi
}

# plant FILE LINE: insert LINE after the file's first #include.
plant() {
	awk -v add="$2" '{ print } !done && /^#include/ { print add; done = 1 }' "$tmp/$1" >"$tmp/x" && mv "$tmp/x" "$tmp/$1"
}

fresh
expect "the tree as committed passes" 0 ""

fresh
plant user/model/topo.c '#include "kernel/netns.h"'
expect "model including kernel is caught, naming file and include" 1 'user/model/topo.c includes "kernel/netns.h"'

fresh
plant user/analysis/path.c '#include "observe/observers.h"'
expect "analysis including observe is caught" 1 'user/analysis/path.c includes "observe/observers.h"'

fresh
plant user/kernel/netns.c '#include "lab/lab.h"'
expect "kernel including an upper layer is caught" 1 'user/kernel/netns.c includes "lab/lab.h"'

fresh
plant user/report/output.c '#include <unistd.h>'
expect "a pure layer including an I/O header is caught" 1 'user/report/output.c'

fresh
printf '\nint planted_io(int fd)\n{\n\treturn setns(fd, 0);\n}\n' >>"$tmp/user/analysis/path.c"
expect "a pure layer calling setns is caught" 1 'user/analysis/path.c'

fresh
printf '\nvoid planted_print(void)\n{\n\t/* popen( in a comment */\n\tputs("popen(");\n}\n' >>"$tmp/user/model/packet.c"
expect "prose and strings naming I/O calls are not calls" 0 ""

fresh
plant user/lab/core.c '#include "netlink.h"'
expect "an include without its folder is caught" 1 'includes "netlink.h": name its folder'

fresh
plant user/cli/main.c '#include "nstrace.skel.h"'
expect "a BPF skeleton outside observe/ is caught" 1 'user/cli/main.c includes "nstrace.skel.h"'

fresh
{ printf '\nvoid planted_long(void)\n{\n'; for i in $(seq 1 85); do printf '\t(void)%d;\n' "$i"; done; printf '}\n'; } >>"$tmp/user/model/cidr.c"
expect "a function over 80 lines is caught, by name" 1 'planted_long is'

fresh
for i in $(seq 1 620); do echo "/* $i */"; done >>"$tmp/user/model/flow.h"
expect "a file over 600 lines is caught" 1 'user/model/flow.h'

fresh
mkdir "$tmp/user/misc" && echo 'int x;' >"$tmp/user/misc/x.c"
expect "a folder that is not a layer is caught" 1 "folder 'misc' is not a layer"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
