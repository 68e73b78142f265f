// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The floor for bench/cost.sh: the cheapest useful tc program, reading the
 * ethertype and returning. What nstrace's observers cost above it is what
 * their own logic costs; the rest is the price of the hook itself.
 */
#define BPF_NO_PRESERVE_ACCESS_INDEX
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Written so the compiler cannot drop the read. */
volatile __u32 seen_arp;

SEC("tc")
int floor_tc(struct __sk_buff *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__be16 *proto = data + 12;

	if ((void *)(proto + 1) <= data_end && *proto == __builtin_bswap16(0x0806))
		seen_arp = 1;
	return -1;	/* TC_ACT_UNSPEC / TCX_NEXT */
}
