// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What the kernel learns while packets cross a lab: a bridge's forwarding
 * database taking a MAC on a port (tp_btf/br_fdb_update, which fires when an
 * entry is created or moves, not on every frame), and an IPv4 neighbour
 * entry changing state (tp_btf/neigh_update: INCOMPLETE -> REACHABLE when the
 * ARP reply comes). A separate object from the packet observers: it shares
 * their ring buffer, namespace filter and lost counter (user space hands it
 * their fds with bpf_map__reuse_fd), so its events arrive in the same stream.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "nstrace/event.h"

#define AF_INET_ 2

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* The same three maps as bpf/nstrace.bpf.c: replaced by its fds before load. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} watched_netns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost_events SEC(".maps");

static __always_inline int watched(__u32 ino)
{
	return bpf_map_lookup_elem(&watched_netns, &ino) != NULL;
}

static __always_inline void submit(const struct nstrace_event *e)
{
	__u32 zero = 0;
	__u64 *lost;

	/* No wakeup: the reader polls on a timer, as for the packet observers. */
	if (!bpf_ringbuf_output(&events, (void *)e, sizeof(*e), BPF_RB_NO_WAKEUP))
		return;
	lost = bpf_map_lookup_elem(&lost_events, &zero);
	if (lost)
		__sync_fetch_and_add(lost, 1);
}

SEC("tp_btf/br_fdb_update")
int BPF_PROG(fdb_update, struct net_bridge *br, struct net_bridge_port *source, const unsigned char *addr,
	     u16 vid, unsigned long flags)
{
	struct net_device *brdev = BPF_CORE_READ(br, dev);
	__u32 ino = BPF_CORE_READ(brdev, nd_net.net, ns.inum);
	struct nstrace_event e = {};

	if (!watched(ino))
		return 0;
	e.ts_ns = bpf_ktime_get_ns();
	e.source = NSTRACE_SRC_FDB;
	e.netns_ino = ino;
	e.aux = BPF_CORE_READ(brdev, ifindex);
	e.ifindex = source ? BPF_CORE_READ(source, dev, ifindex) : 0;
	e.vlan = vid;
	bpf_probe_read_kernel(e.smac, 6, addr);
	submit(&e);
	return 0;
}

SEC("tp_btf/neigh_update")
int BPF_PROG(neigh_update, struct neighbour *n, const u8 *lladdr, u8 new_state, u32 flags, u32 nlmsg_pid)
{
	struct net_device *dev = BPF_CORE_READ(n, dev);
	__u32 ino = BPF_CORE_READ(dev, nd_net.net, ns.inum);
	__u8 old_state = BPF_CORE_READ(n, nud_state);
	struct nstrace_event e = {};

	/* IPv4 (ARP) entries only; a confirmation that changes no state is not news. */
	if (old_state == new_state || BPF_CORE_READ(n, tbl, family) != AF_INET_ || !watched(ino))
		return 0;
	e.ts_ns = bpf_ktime_get_ns();
	e.source = NSTRACE_SRC_NEIGH;
	e.netns_ino = ino;
	e.ifindex = BPF_CORE_READ(dev, ifindex);
	e.state_old = old_state;
	e.state_new = new_state;
	/* primary_key is a flexible array at the end of struct neighbour: its offset, relocated. */
	bpf_probe_read_kernel(&e.saddr, 4, (void *)n + bpf_core_field_offset(struct neighbour, primary_key));
	bpf_probe_read_kernel(e.smac, 6, lladdr ? (const void *)lladdr : (const void *)n->ha);
	submit(&e);
	return 0;
}
