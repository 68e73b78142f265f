// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Someone else's tc program for the trace tests: drops IPv4 ICMP to one
 * address and counts what it dropped.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#ifndef DROP_DADDR
#define DROP_DADDR 0xac120004	/* 172.18.0.4 */
#endif

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} foreign_drops SEC(".maps");

SEC("tc")
int foreign_drop(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	__u32 zero = 0;
	__u64 *n;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->protocol != IPPROTO_ICMP || ip->daddr != bpf_htonl(DROP_DADDR))
		return TC_ACT_OK;
	n = bpf_map_lookup_elem(&foreign_drops, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
