#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Issue 12, names: a container's namespace is named by its container name,
# found read-only in the runtime's own files from the process's cgroup
# (Docker, Podman, containerd); any other namespace reached by a process by
# comm:PID of its oldest process, the same from one run to the next; --from
# takes those names. No container runtime runs here: the test makes real
# cgroups named the way the runtimes name theirs, puts its processes in
# them, and writes the runtimes' files in a temporary root that nstrace is
# pointed at with NSTRACE_RUNTIME_ROOT.
. "$(dirname "$0")/lib.sh"
T=$(mktemp -d)
on_exit rm -rf "$T"
H="$UNIQ-h"
CG=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -z "$CG" ]; then
	fail "no cgroup2 hierarchy mounted"
	exit 0
fi
base="$CG/$UNIQ"
mkdir "$base"
on_exit rmdir "$base"

ip netns add "$H"
on_exit ip netns del "$H"
ip netns exec "$H" ip link set lo up
ip netns exec "$H" ip link add br9 type bridge
ip netns exec "$H" ip addr add 172.19.0.1/24 dev br9
ip netns exec "$H" ip link set br9 up

# container NAME CGROUP-DIR ADDRESS: a process in a new namespace, in that cgroup, eth0 on br9.
container() {
	local name=$1 dir=$2 addr=$3 pid i=$((${3##*.}))
	mkdir "$base/$dir"
	on_exit rmdir "$base/$dir"
	unshare --net sleep 600 &
	pid=$!
	on_exit kill "$pid"
	echo "$pid" >"$base/$dir/cgroup.procs"
	sleep 0.2
	ip netns exec "$H" ip link add "v$i$$" type veth peer name eth0 netns "$pid"
	ip netns exec "$H" ip link set "v$i$$" master br9 up
	nsenter -t "$pid" -n ip addr add "$addr/24" dev eth0
	nsenter -t "$pid" -n ip link set eth0 up
	nsenter -t "$pid" -n ip link set lo up
	eval "pid_$name=$pid"
}
id1=$(printf '%064x' $((0xd0c1 + $$)))
id2=$(printf '%064x' $((0x90d1 + $$)))
id3=$(printf '%064x' $((0xc0d1 + $$)))
id4=$(printf '%064x' $((0xe0e1 + $$)))
id5=$(printf '%064x' $((0xf0f1 + $$)))
container web1 "docker-$id1.scope" 172.19.0.2
container db1 "libpod-$id2.scope" 172.19.0.3
container pod1 "cri-containerd-$id3.scope" 172.19.0.4
container plain "nstrace-test-$id4.scope" 172.19.0.5

mkdir -p "$T/var/lib/docker/containers/$id1" "$T/var/lib/containers/storage/overlay-containers" \
	"$T/run/containerd/io.containerd.runtime.v2.task/k8s.io/$id3"
# Docker keeps the name as "/web1"; RestartPolicy's "Name" is a trap for a careless reader.
printf '{"ID":"%s","HostConfig":{"RestartPolicy":{"Name":"no"}},"Name":"/web1","Config":{"Hostname":"x"}}\n' "$id1" \
	>"$T/var/lib/docker/containers/$id1/config.v2.json"
printf '[{"id":"%s","names":["other"]},{"id":"%s","names":["db1","db1-alias"],"image":"x"}]\n' "$id5" "$id2" \
	>"$T/var/lib/containers/storage/overlay-containers/containers.json"
printf '{"ociVersion":"1.0.2","annotations":{"io.kubernetes.cri.container-type":"sandbox","io.kubernetes.cri.sandbox-name":"pod1"}}\n' \
	>"$T/run/containerd/io.containerd.runtime.v2.task/k8s.io/$id3/config.json"
export NSTRACE_RUNTIME_ROOT="$T"

expect_exit 0 "trace --from a Docker container's name" trace --from web1 --to 172.19.0.3 --count 1
expect_out "both ends by container name (Docker, Podman)" "web1 (eth0) → v2$$ → br9* → v3$$ → eth0 (db1)"
expect_out "a containerd pod by its sandbox name" "pod1 "
expect_out "a process that is no container: comm:PID" "sleep:$pid_plain "
expect_no_out "no namespace named by a bare pid" "pid $pid_web1"

# The same names the next time, with a younger process in web1's namespace.
nsenter -t "$pid_web1" -n sleep 600 &
young=$!
on_exit kill "$young"
sleep 0.2
expect_exit 0 "trace --from a Podman container's name" trace --from db1 --to 172.19.0.2 --count 1
expect_out "the same names run after run" "db1 (eth0) → v3$$ → br9* → v2$$ → eth0 (web1)"
expect_exit 0 "trace --from comm:PID" trace --from "sleep:$pid_plain" --to 172.19.0.4 --count 1
expect_out "comm:PID to the pod" "sleep:$pid_plain (eth0) → v5$$ → br9* → v4$$ → eth0 (pod1)"
expect_exit 0 "trace --from PID of a container" trace --from "$pid_db1" --to 172.19.0.2 --count 1 --pcap "$T/c.pcapng"
expect_out "a container's PID still gives its name" "db1 (eth0) →"
if command -v tshark >/dev/null; then
	names=$(tshark -r "$T/c.pcapng" -T fields -e frame.interface_name 2>/dev/null | sort -u | tr '\n' ' ')
	case "$names" in *"db1/eth0"*"web1/eth0"*) pass "pcapng: every container's eth0 told apart as ns/eth0" ;;
	*) fail "pcapng: interfaces $names" ;; esac
fi
expect_exit 2 "trace --from a name nothing has" trace --from "nosuch-$UNIQ" --to 172.19.0.2
expect_out "says what --from takes" "a container's name"

# Without the runtime's files: the process names, never a guess.
unset NSTRACE_RUNTIME_ROOT
expect_exit 0 "trace without the runtime files" trace --from "$pid_web1" --to 172.19.0.3 --count 1
expect_out "then comm:PID" "sleep:$pid_web1 (eth0) →"
