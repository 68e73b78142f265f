// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>
#include "model/state.h"

int fw_chain_can_drop(const struct fw_chain *ch)
{
	return ch->policy == FW_DROP || ch->drop_rules > 0;
}

const char *fw_family_name(int family)
{
	switch (family) {
	case FW_INET: return "inet";
	case FW_IPV4: return "ip";
	case FW_ARP: return "arp";
	case FW_NETDEV: return "netdev";
	case FW_BRIDGE: return "bridge";
	case FW_IPV6: return "ip6";
	}
	return "?";
}

struct state *state_new(int nns, int nlinks)
{
	struct state *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	st->ns = calloc(nns > 0 ? nns : 1, sizeof(*st->ns));
	st->links = calloc(nlinks > 0 ? nlinks : 1, sizeof(*st->links));
	if (!st->ns || !st->links) {
		state_free(st);
		return NULL;
	}
	st->nns = nns;
	st->nlinks = nlinks;
	return st;
}

struct state *state_copy(const struct state *from)
{
	struct state *st;
	struct ns_state *ns;
	struct link_state *links;

	if (!from)
		return NULL;
	st = state_new(from->nns, from->nlinks);
	if (!st)
		return NULL;
	ns = st->ns;
	links = st->links;
	*st = *from;
	st->ns = ns;
	st->links = links;
	memcpy(st->ns, from->ns, from->nns * sizeof(*ns));
	memcpy(st->links, from->links, from->nlinks * sizeof(*links));
	return st;
}

void state_free(struct state *st)
{
	if (!st)
		return;
	free(st->ns);
	free(st->links);
	free(st);
}

#define TERMINATE(a) ((a)[sizeof(a) - 1] = '\0')

static int clamp(int n, int max)
{
	return n < 0 ? 0 : n > max ? max : n;
}

static void sanitize_blocks(struct state *st)
{
	int kept = 0;

	for (int i = 0; i < st->nblocks; i++) {
		struct block_fact *b = &st->blocks[i];

		b->dst_len = clamp(b->dst_len, 32);
		b->src_len = clamp(b->src_len, 32);
		/* Only what refuses: blackhole, unreachable, prohibit (RTN_* 6 to 8). */
		if (b->type >= 6 && b->type <= 8)
			st->blocks[kept++] = *b;
	}
	st->nblocks = kept;
}

void state_sanitize(struct state *st)
{
	st->nroutes = clamp(st->nroutes, STATE_MAX_ROUTES);
	st->nblocks = clamp(st->nblocks, STATE_MAX_BLOCKS);
	st->nneigh = clamp(st->nneigh, STATE_MAX_NEIGH);
	st->nfdb = clamp(st->nfdb, STATE_MAX_FDB);
	st->nchains = clamp(st->nchains, STATE_MAX_CHAINS);
	st->nrules = clamp(st->nrules, STATE_MAX_RULES);
	st->ntraces = clamp(st->ntraces, STATE_MAX_TRACES);
	for (int i = 0; i < st->nns; i++) {
		struct ns_state *ns = &st->ns[i];

		TERMINATE(ns->ref.label);
		TERMINATE(ns->ref.arg);
		if (ns->ref.via < NS_VIA_SELF || ns->ref.via > NS_VIA_PATH)
			ns->ref.via = NS_VIA_PATH;
		TERMINATE(ns->firewall_error);
		TERMINATE(ns->forward_policy);
	}
	for (int i = 0; i < st->nlinks; i++) {
		struct link_state *l = &st->links[i];

		l->naddrs = clamp(l->naddrs, STATE_MAX_ADDRS);
		TERMINATE(l->tc.root_qdisc);
		TERMINATE(l->tc.first_filter[0]);
		TERMINATE(l->tc.first_filter[1]);
	}
	for (int i = 0; i < st->nroutes; i++)
		st->routes[i].net_len = clamp(st->routes[i].net_len, 32);
	sanitize_blocks(st);
	for (int i = 0; i < st->nlinks; i++) {
		struct link_state *l = &st->links[i];

		for (int k = 0; k < STATE_MAX_ADDRS; k++)
			l->prefixlens[k] = clamp(l->prefixlens[k], 32);
	}
	for (int i = 0; i < st->nchains; i++) {
		struct fw_chain *c = &st->chains[i];

		TERMINATE(c->table);
		TERMINATE(c->name);
		TERMINATE(c->dev);
		TERMINATE(c->owner);
	}
	for (int i = 0; i < st->nrules; i++) {
		TERMINATE(st->rules[i].text);
		if (st->rules[i].chain < 0 || st->rules[i].chain >= st->nchains)
			st->rules[i].chain = 0;
	}
	/* A rule needs a chain to belong to. */
	if (!st->nchains)
		st->nrules = 0;
	for (int i = 0; i < st->ntraces; i++) {
		TERMINATE(st->traces[i].table);
		TERMINATE(st->traces[i].chain);
	}
}

uint32_t state_layout(void)
{
	const size_t sizes[] = {
		sizeof(struct ns_state), sizeof(struct link_state), sizeof(struct route_fact),
		sizeof(struct block_fact), sizeof(struct neigh_fact), sizeof(struct fdb_fact),
		sizeof(struct fw_chain), sizeof(struct fw_rule), sizeof(struct trace_fact),
	};
	uint32_t h = 2166136261u;	/* FNV-1a over the sizes */

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		h ^= (uint32_t)sizes[i];
		h *= 16777619u;
	}
	return h;
}
