#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The architecture, checked: every file under user/LAYER/ includes only its
# own layer and the layers below it, pure layers neither include I/O headers
# nor call I/O functions, no file exceeds 600 lines and no function 80.
#   tests/layers.sh [ROOT]   check ROOT/user (default: this checkout)
# Prints "ok"/"FAIL" lines naming the file and the include or function, then
# "N passed, N failed"; exits 1 on any failure.
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2

# Which layers each layer may include (besides itself). Top to bottom.
declare -A may=(
	[cli]="session report audit analysis observe lab discover model kernel"
	[session]="report audit analysis observe model kernel"
	[report]="analysis model"
	[audit]="model kernel"
	[analysis]="model"
	[observe]="model kernel"
	[lab]="model kernel"
	[discover]="model kernel"
	[model]=""
	[kernel]=""
)
# Pure layers: formatting and reasoning on data, no kernel, files or processes.
pure="model analysis report"
io_headers='sys/socket\.h|sys/mount\.h|sys/stat\.h|sys/wait\.h|sys/file\.h|sys/syscall\.h|sys/ioctl\.h|sched\.h|fcntl\.h|unistd\.h|dirent\.h|poll\.h|libmnl/|bpf/|linux/rtnetlink\.h|linux/netlink\.h|.*\.skel\.h'
io_calls='setns|unshare|socket|popen|pclose|system|fork|vfork|execv|execvp|execve|execl|execlp|open|openat|fopen|opendir|mount|umount2|ioctl|sendto|sendmsg|recv|recvfrom|recvmsg|bind|connect|read|write|unlink|bpf|syscall|kill|waitpid'

# Exceptions to the size rules: "file:function reason" (keep this list short).
size_exceptions=(
)

passed=0
failed=0
check() { # DESC PROBLEMS...
	local desc=$1
	shift
	if [ $# -eq 0 ] || [ -z "$*" ]; then
		echo "ok   $desc"
		passed=$((passed + 1))
	else
		echo "FAIL $desc"
		printf '     %s\n' "$@"
		failed=$((failed + 1))
	fi
}

mapfile -t files < <(find user -mindepth 2 -maxdepth 2 -name '*.[ch]' | sort)
if [ ${#files[@]} -eq 0 ]; then
	check "user/ has layered sources" "no files under $root/user/*/"
	echo "$passed passed, $failed failed"
	exit 1
fi

unknown=() upward=() unnamed=() pure_hdr=() pure_call=()
for f in "${files[@]}"; do
	layer=${f#user/}
	layer=${layer%%/*}
	if [ -z "${may[$layer]+x}" ]; then
		unknown+=("$f: folder '$layer' is not a layer (add it to tests/layers.sh and the README)")
		continue
	fi
	while IFS= read -r inc; do
		case "$inc" in
		nstrace/*) continue ;;				# the BPF ABI: everyone's
		*.skel.h) [ "$layer" = observe ] && continue	# BPF skeletons: observe/ only
			upward+=("$f includes \"$inc\": only observe/ loads BPF objects"); continue ;;
		*/*) ;;
		*) unnamed+=("$f includes \"$inc\": name its folder (\"layer/file.h\")"); continue ;;
		esac
		to=${inc%%/*}
		[ "$to" = "$layer" ] && continue
		case " ${may[$layer]} " in
		*" $to "*) ;;
		*) upward+=("$f includes \"$inc\": $layer/ may include only ${may[$layer]:-nothing but itself}") ;;
		esac
	done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
	case " $pure " in *" $layer "*) ;; *) continue ;; esac
	while IFS= read -r hit; do
		pure_hdr+=("$f:$hit: $layer/ is pure: no I/O header")
	done < <(grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*<($io_headers)" "$f" | cut -d: -f1-2)
	# Calls, with comments and strings blanked so prose cannot trip it.
	while IFS= read -r hit; do
		pure_call+=("$f:$hit: $layer/ is pure: no I/O call")
	done < <(sed -e 's://.*$::' -e 's:"\([^"\\]\|\\.\)*":"":g' "$f" |
		awk '{ gsub(/\/\*[^*]*\*\//, "") } /\/\*/ { c = 1 } !c { print NR": "$0; next } /\*\// { c = 0 } { print NR": " }' |
		grep -E "(^|[^A-Za-z0-9_.>])($io_calls)[[:space:]]*\(" | cut -c1-100)
done
check "every folder under user/ is a known layer" "${unknown[@]}"
check "every project include names its layer folder" "${unnamed[@]}"
check "layers include only the layers below them" "${upward[@]}"
check "pure layers ($pure) include no I/O header" "${pure_hdr[@]}"
check "pure layers ($pure) call no I/O function" "${pure_call[@]}"

excepted() { # FILE FUNC
	local e
	for e in "${size_exceptions[@]}"; do
		[ "${e%% *}" = "$1:$2" ] && return 0
	done
	return 1
}

long_files=() long_funcs=()
for f in "${files[@]}"; do
	n=$(wc -l <"$f")
	[ "$n" -gt 600 ] && ! excepted "$f" "" && long_files+=("$f: $n lines (at most 600)")
	[[ "$f" == *.c ]] || continue
	while IFS=' ' read -r line len name; do
		excepted "$f" "$name" || long_funcs+=("$f:$line: $name is $len lines (at most 80)")
	done < <(awk '
		/^[A-Za-z_].*\(/ && !/;[[:space:]]*$/ { sig = $0; sigline = NR }
		/^\{/ { start = NR; name = sig; line = sigline }
		/^\}/ && start {
			len = NR - start + 1
			if (len > 80) {
				sub(/\(.*/, "", name); n = split(name, w, /[ *]+/)
				print line, len, w[n]
			}
			start = 0
		}' "$f")
done
check "no source file over 600 lines" "${long_files[@]}"
check "no function over 80 lines" "${long_funcs[@]}"

stale=()
for e in "${size_exceptions[@]}"; do
	file=${e%%:*}
	[ -f "$file" ] || stale+=("$e: no such file")
done
check "every size exception names a file that exists" "${stale[@]}"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
