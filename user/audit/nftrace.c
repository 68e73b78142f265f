// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * nftables' own trace, where nft chains can drop: the mark is set once,
 * early on the packet's way in that namespace (the bridge's prerouting, or
 * an endpoint's prerouting, input and output for IPv4 and ARP, and ingress
 * on its devices when a netdev chain is there), and nf_trace stays with the
 * packet through every later chain, of any family.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/audit.h"
#include "kernel/nftrace.h"

enum { PROTO_ARP = 3, PROTO_IPV4 = 2, PROTO_NETDEV = 5, PROTO_BRIDGE = 7 };
enum { HOOK_PRE = 0, HOOK_IN = 1, HOOK_OUT = 3, ARP_IN = 0, ARP_OUT = 1, NETDEV_INGRESS = 0 };

struct audit_nftrace {
	struct nftrace *t;
	uint32_t *ino;
	int n;
};

static int has_nft_chains(const struct state *before, uint32_t ino, int family)
{
	for (int i = 0; i < before->nchains; i++)
		if (before->chains[i].ns_ino == ino && before->chains[i].backend == FW_NFT &&
		    (family < 0 || before->chains[i].family == family))
			return 1;
	return 0;
}

static void add_hook(struct nftrace_hook *h, int *n, int family, int hook, const char *dev)
{
	if (*n == NFTRACE_MAX_HOOKS)
		return;
	h[*n] = (struct nftrace_hook){ .family = family, .hook = hook };
	if (dev)
		snprintf(h[*n].dev, sizeof(h[*n].dev), "%s", dev);
	(*n)++;
}

/* Where to set the mark in namespace ino: as early as each of its packets' ways allows. */
static int hooks_for(const struct audit_request *rq, const struct state *before, uint32_t ino, struct nftrace_hook *h)
{
	int n = 0, bridge = 0;

	for (int i = 0; i < rq->topo->n; i++)
		bridge |= rq->topo->ifs[i].netns_ino == ino && rq->topo->ifs[i].role == TOPO_BRIDGE;
	if (bridge)
		add_hook(h, &n, PROTO_BRIDGE, HOOK_PRE, NULL);
	else {
		add_hook(h, &n, PROTO_IPV4, HOOK_PRE, NULL);
		add_hook(h, &n, PROTO_ARP, ARP_IN, NULL);
	}
	add_hook(h, &n, PROTO_IPV4, HOOK_OUT, NULL);
	add_hook(h, &n, PROTO_ARP, ARP_OUT, NULL);
	/* A netdev chain runs before all of these: mark on each device's ingress first. */
	for (int i = 0; has_nft_chains(before, ino, PROTO_NETDEV) && i < rq->topo->n; i++)
		if (rq->topo->ifs[i].netns_ino == ino && rq->topo->ifs[i].role != TOPO_BRIDGE)
			add_hook(h, &n, PROTO_NETDEV, NETDEV_INGRESS, rq->topo->ifs[i].name);
	return n;
}

struct audit_nftrace *audit_nftrace_start(const struct audit_request *rq, const struct state *before, int *tables)
{
	struct audit_nftrace *a = calloc(1, sizeof(*a));

	*tables = 0;
	if (!a || !before)
		goto none;
	a->t = calloc(rq->nns ? rq->nns : 1, sizeof(*a->t));
	a->ino = calloc(rq->nns ? rq->nns : 1, sizeof(*a->ino));
	if (!a->t || !a->ino)
		goto none;
	for (int i = 0; i < rq->nns; i++) {
		struct nftrace_hook h[NFTRACE_MAX_HOOKS];
		int nh;

		if (rq->ns[i].fd < 0 || !has_nft_chains(before, rq->ns[i].ref.ino, -1))
			continue;
		nh = hooks_for(rq, before, rq->ns[i].ref.ino, h);
		/* A family the kernel lacks fails the batch: that namespace goes untraced, nothing is left. */
		if (nftrace_start(&a->t[a->n], rq->ns[i].fd, h, nh))
			continue;
		a->ino[a->n++] = rq->ns[i].ref.ino;
		*tables += 1;
	}
	if (a->n)
		return a;
none:
	audit_nftrace_stop(a);
	return NULL;
}

void audit_nftrace_collect(struct audit_nftrace *a, struct state *st)
{
	struct nftrace_drop d[64];

	if (!a)
		return;
	st->traced = 1;
	for (int i = 0; i < a->n; i++) {
		int n = nftrace_read(&a->t[i], d, 64);

		for (int k = 0; k < n; k++) {
			struct trace_fact *f = NULL;

			if (!d[k].proto)
				continue;
			for (int j = 0; j < st->ntraces && !f; j++)
				if (st->traces[j].ns_ino == a->ino[i] && st->traces[j].family == d[k].family &&
				    st->traces[j].handle == d[k].handle && !strcmp(st->traces[j].chain, d[k].chain) &&
				    !strcmp(st->traces[j].table, d[k].table) && st->traces[j].proto == d[k].proto)
					f = &st->traces[j];
			if (!f && st->ntraces < STATE_MAX_TRACES) {
				f = &st->traces[st->ntraces++];
				*f = (struct trace_fact){ .ns_ino = a->ino[i], .family = d[k].family, .handle = d[k].handle,
							  .is_policy = d[k].is_policy, .proto = d[k].proto,
							  .icmp_id = d[k].icmp_id };
				snprintf(f->table, sizeof(f->table), "%s", d[k].table);
				snprintf(f->chain, sizeof(f->chain), "%s", d[k].chain);
			}
			if (f)
				f->count++;
		}
	}
}

void audit_nftrace_stop(struct audit_nftrace *a)
{
	if (!a)
		return;
	for (int i = 0; a->t && i < a->n; i++)
		nftrace_stop(&a->t[i]);
	free(a->t);
	free(a->ino);
	free(a);
}
