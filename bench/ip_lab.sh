#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The tutorial's topology built with one `ip` command per step: the same work
# as `nstrace up --isolated --lab NAME` (and `nstrace down --lab NAME`), so
# bench/lab_build.sh can time both side by side.
#
#   bench/ip_lab.sh up NAME      NAME-host (br0 10.200.0.254/24), NAME-ns1, NAME-ns2
#   bench/ip_lab.sh down NAME    ip netns del of those three namespaces
#
# Every link gets an alias, as nstrace marks its links (lo stands for the
# namespace). The aliases say "iplab:" rather than "nstrace:" so that nstrace's
# own `down --all` and `status` never mistake this lab for one of theirs.
# Stops at the first failing command (exit 1).
set -eu

usage() { echo "usage: $0 up|down NAME   (NAME: a-z, 0-9, '-')" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1 lab=$2
[[ $lab =~ ^[a-z0-9-]+$ ]] || usage

host=$lab-host
mark="iplab:$lab"

case $cmd in
up)
	ip netns add "$host"
	ip netns add "$lab-ns1"
	ip netns add "$lab-ns2"

	ip -n "$host" link set dev lo alias "$mark:host"
	ip -n "$host" link set dev lo up
	ip -n "$host" link add br0 type bridge
	ip -n "$host" link set dev br0 alias "$mark:bridge n=2 subnet=10.200.0.0/24"
	ip -n "$host" addr add 10.200.0.254/24 dev br0
	ip -n "$host" link set dev br0 up

	for k in 1 2; do
		ns=$lab-ns$k
		ip -n "$ns" link set dev lo alias "$mark:ns $k"
		ip -n "$ns" link set dev lo up
		ip -n "$host" link add veth-br$k type veth peer name veth-ns$k netns "$ns"
		ip -n "$host" link set dev veth-br$k alias "$mark:port $k"
		ip -n "$host" link set dev veth-br$k master br0
		ip -n "$host" link set dev veth-br$k up
		ip -n "$ns" link set dev veth-ns$k alias "$mark:end $k"
		ip -n "$ns" addr add 10.200.0.$k/24 dev veth-ns$k
		ip -n "$ns" link set dev veth-ns$k up
	done
	;;
down)
	ip netns del "$lab-ns1"
	ip netns del "$lab-ns2"
	ip netns del "$host"
	;;
*)
	usage
	;;
esac
