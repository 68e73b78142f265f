// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "audit/internal.h"
#include "kernel/netns.h"

#define NUD_PERMANENT_ 0x80
#define NTF_SELF_ 0x02
#define NTF_STICKY_ 0x40

int audit_fail(const char *what)
{
	const char *list = getenv("NSTRACE_TEST_FAIL_READ");
	size_t n = strlen(what);

	for (const char *p = list; p && *p; p += strcspn(p, ","), p += *p == ',')
		if (!strncmp(p, what, n) && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

static void unknown_conf(struct ipv4_conf *c)
{
	memset(c, 0xff, sizeof(*c));	/* every field -1 */
}

static void init_links(struct state *st, int n)
{
	for (int i = 0; i < n; i++) {
		struct link_state *l = &st->links[i];

		memset(l, 0, sizeof(*l));
		memset(&l->port, 0xff, sizeof(l->port));
		memset(&l->br, 0xff, sizeof(l->br));
		l->port_state = l->port_isolated = -1;
		l->br_nf_call_iptables = l->br_nf_call_arptables = -1;
		unknown_conf(&l->conf);
	}
}

static int topo_has(const struct topo *t, uint32_t ino, int ifindex)
{
	return topo_find(t, ino, ifindex) >= 0;
}

static int topo_has_mac(const struct topo *t, const uint8_t mac[6])
{
	for (int i = 0; i < t->n; i++)
		if (!memcmp(t->ifs[i].mac, mac, 6))
			return 1;
	return 0;
}

/* Neighbour entries on the trace's interfaces; FDB entries of its bridges for its MACs. */
static void neigh_read(struct audit_ctx *c)
{
	const struct topo *t = c->rq->topo;
	struct state *st = c->st;
	uint32_t ino = st->ns[c->ns].ref.ino;
	struct nl_neigh *n = NULL, *f = NULL;
	int nn = audit_fail("neigh") ? -EIO : nl_neigh_dump(&c->nl, AF_INET, &n), nf = 0;

	for (int i = 0; i < t->n; i++)
		if (t->ifs[i].role == TOPO_BRIDGE && t->ifs[i].netns_ino == ino)
			nf = nl_neigh_dump(&c->nl, AF_BRIDGE, &f);
	st->ns[c->ns].neigh_known = nn >= 0 && nf >= 0;
	for (int i = 0; i < nn && st->nneigh < STATE_MAX_NEIGH; i++) {
		struct neigh_fact *x;

		if (!topo_has(t, ino, n[i].ifindex))
			continue;
		x = &st->neigh[st->nneigh++];
		*x = (struct neigh_fact){ .ns_ino = ino, .ifindex = n[i].ifindex, .addr = n[i].addr,
					  .has_lladdr = n[i].has_lladdr, .state = n[i].state };
		memcpy(x->lladdr, n[i].lladdr, 6);
	}
	for (int i = 0; i < nf && st->nfdb < STATE_MAX_FDB; i++) {
		struct fdb_fact *x;

		/* The bridge's own database, about the trace's MACs (a busy bridge holds thousands). */
		if (!f[i].master || (f[i].flags & NTF_SELF_) || !f[i].has_lladdr || !topo_has_mac(t, f[i].lladdr))
			continue;
		x = &st->fdb[st->nfdb++];
		*x = (struct fdb_fact){ .ns_ino = ino, .port_ifindex = f[i].ifindex, .bridge_ifindex = f[i].master,
					.state = f[i].state, .is_local = f[i].state == NUD_PERMANENT_,
					.sticky = !!(f[i].flags & NTF_STICKY_) };
		memcpy(x->mac, f[i].lladdr, 6);
	}
	if (nn > 0)
		free(n);
	if (nf > 0)
		free(f);
}

/* One route lookup, run inside its namespace. */
static int lookup_here(void *arg)
{
	struct route_fact *x = arg;
	struct nl_route_query q = { .src = x->src, .dst = x->dst, .iif = x->iif };
	struct nl_route_result r;
	struct nl nl;

	if (nl_open(&nl))
		return 0;
	if (!nl_route_lookup(&nl, &q, &r)) {
		x->answered = 1;
		x->err = r.err;
		x->type = r.type;
		x->oif = r.oif;
		/* Named here, inside its namespace: a device outside the topology (lo, a dummy) has no other name. */
		if (r.oif <= 0 || !if_indextoname((unsigned int)r.oif, x->oif_name))
			x->oif_name[0] = '\0';
		x->gateway = r.gateway;
		x->prefsrc = r.prefsrc;
		x->table = r.table;
		x->net = r.net;
		x->net_len = r.net_len;
	}
	nl_close(&nl);
	return 0;
}

/* The lookup as a fact of st; answered stays 0 when it could not be made (unknown, not refused). */
static const struct route_fact *lookup(struct audit_request *rq, struct state *st, uint32_t ino,
				       struct in_addr src, struct in_addr dst, int iif)
{
	struct route_fact *x;

	for (int i = 0; i < st->nroutes; i++)
		if (st->routes[i].ns_ino == ino && st->routes[i].src.s_addr == src.s_addr &&
		    st->routes[i].dst.s_addr == dst.s_addr && st->routes[i].iif == iif)
			return &st->routes[i];
	if (st->nroutes == STATE_MAX_ROUTES)
		return NULL;
	x = &st->routes[st->nroutes++];
	*x = (struct route_fact){ .ns_ino = ino, .src = src, .dst = dst, .iif = iif };
	for (int i = 0; i < rq->nns; i++)
		if (rq->ns[i].ref.ino == ino && rq->ns[i].fd >= 0)
			netns_call(rq->ns[i].fd, lookup_here, x);
	if ((size_t)rq->nlookups < sizeof(rq->lookups) / sizeof(rq->lookups[0]))
		rq->lookups[rq->nlookups++] = (struct audit_lookup){ ino, src, dst, iif };
	return x;
}

/* The interface that has addr now (the audit's addresses, not the topology's intent), -1 if none. */
static int owner_of(const struct topo *t, const struct state *st, struct in_addr addr)
{
	for (int i = 0; i < t->n; i++)
		for (int a = 0; a < st->links[i].naddrs; a++)
			if (st->links[i].addrs[a].s_addr == addr.s_addr)
				return i;
	return -1;
}

/*
 * The lookups a probe's packets make, hop by hop: the source's route, the
 * gateway's forwarding and route back when there is one, the target's input
 * (rp_filter, martians) and its route back, the source's input for the reply.
 */
static void flow_lookups(struct audit_request *rq, struct state *st, const struct audit_flow *f)
{
	const struct topo *t = rq->topo;
	const struct topo_if *s = &t->ifs[f->src];
	struct in_addr src = st->links[f->src].naddrs ? st->links[f->src].addrs[0] : s->addr;
	const struct route_fact *out = lookup(rq, st, s->netns_ino, src, f->dst, 0);
	int target = owner_of(t, st, f->dst);

	if (out && out->answered && !out->err && out->gateway.s_addr && out->gateway.s_addr != f->dst.s_addr) {
		int gw = owner_of(t, st, out->gateway);

		if (gw >= 0) {
			const struct route_fact *fwd = lookup(rq, st, t->ifs[gw].netns_ino, src, f->dst, t->ifs[gw].ifindex);

			/*
			 * The way back through the gateway: the reply arrives on the interface it
			 * forwarded by and is routed like any forwarded packet (an output lookup from
			 * the target's address, which the gateway does not have, is refused).
			 */
			if (fwd && fwd->answered && !fwd->err && fwd->oif > 0)
				lookup(rq, st, t->ifs[gw].netns_ino, f->dst, src, fwd->oif);
			else
				lookup(rq, st, t->ifs[gw].netns_ino, (struct in_addr){ 0 }, src, 0);
		}
		/* Who else on the bridge could forward there: a better gateway, if the one named is wrong. */
		for (int i = 0; i < t->n; i++)
			if (t->ifs[i].role == TOPO_ENDPOINT && t->ifs[i].netns_ino != s->netns_ino && i != gw)
				lookup(rq, st, t->ifs[i].netns_ino, (struct in_addr){ 0 }, f->dst, 0);
	}
	if (target >= 0) {
		lookup(rq, st, t->ifs[target].netns_ino, src, f->dst, t->ifs[target].ifindex);
		lookup(rq, st, t->ifs[target].netns_ino, f->dst, src, 0);
	}
	if (s->ifindex > 0)
		lookup(rq, st, s->netns_ino, f->dst, src, s->ifindex);
}

/* The FORWARD chain of iptables as the older rules and notes read it. */
static void forward_summary(struct state *st, struct ns_state *ns)
{
	ns->forward_drop_rules = ns->firewall_known ? 0 : -1;
	snprintf(ns->forward_policy, sizeof(ns->forward_policy), "%s", ns->firewall_known ? "ACCEPT" : "");
	for (int i = 0; i < st->nchains; i++) {
		const struct fw_chain *ch = &st->chains[i];

		if (ch->ns_ino != ns->ref.ino || ch->hook != 2 || (ch->family != FW_IPV4 && ch->family != FW_INET))
			continue;
		if (ch->policy == FW_DROP)
			snprintf(ns->forward_policy, sizeof(ns->forward_policy), "DROP");
		ns->forward_drop_rules += ch->drop_rules;
	}
}

/* Routes and rules that refuse packets: a refused lookup is explained by one of them. */
static void blocks_read(struct audit_ctx *c)
{
	struct state *st = c->st;
	struct nl_block *b = NULL;
	int n = nl_block_dump(&c->nl, &b);

	for (int i = 0; i < n && st->nblocks < STATE_MAX_BLOCKS; i++) {
		struct block_fact *x = &st->blocks[st->nblocks++];

		*x = (struct block_fact){ .ns_ino = st->ns[c->ns].ref.ino, .is_rule = b[i].is_rule, .type = b[i].type,
					  .dst = b[i].dst, .src = b[i].src, .dst_len = b[i].dst_len,
					  .src_len = b[i].src_len, .table = b[i].table, .priority = b[i].priority };
	}
	if (n > 0)
		free(b);
}

static int read_ns(void *arg)
{
	struct audit_ctx *c = arg;
	struct ns_state *ns = &c->st->ns[c->ns];

	if (!c->counters_only) {
		sysctl_read_ns(ns);
		if (!nl_open(&c->nl)) {
			links_read(c);
			neigh_read(c);
			blocks_read(c);
			nl_close(&c->nl);
		}
	}
	firewall_read(c);
	forward_summary(c->st, ns);
	return 0;
}

static struct state *new_state(const struct audit_request *rq)
{
	struct state *st = state_new(rq->nns, rq->topo->n);

	if (!st)
		return NULL;
	init_links(st, rq->topo->n);
	for (int i = 0; i < rq->nns; i++) {
		struct ns_state *ns = &st->ns[i];

		ns->ref = rq->ns[i].ref;
		ns->bridge_nf_call_iptables = ns->bridge_nf_call_arptables = ns->bridge_nf_call_ip6tables = -1;
		ns->icmp_echo_ignore_all = ns->icmp_echo_ignore_broadcasts = ns->ip_forward = -1;
		ns->forward_drop_rules = -1;
		unknown_conf(&ns->all);
	}
	return st;
}

static struct state *audit_run(const struct audit_request *rq, int counters_only)
{
	struct state *st = new_state(rq);

	for (int i = 0; st && i < rq->nns; i++) {
		struct audit_ctx c = { .rq = rq, .st = st, .ns = i, .counters_only = counters_only };

		/* A namespace that cannot be entered stays all unknown: never a confident verdict from it. */
		if (rq->ns[i].fd < 0 || netns_call(rq->ns[i].fd, read_ns, &c) < 0)
			snprintf(st->ns[i].firewall_error, sizeof(st->ns[i].firewall_error), "namespace not entered");
	}
	return st;
}

struct state *audit_read(struct audit_request *rq)
{
	struct state *st = audit_run(rq, 0);

	rq->nlookups = 0;
	for (int i = 0; st && i < rq->nflows; i++)
		if (rq->flows[i].src >= 0 && rq->flows[i].src < rq->topo->n)
			flow_lookups(rq, st, &rq->flows[i]);
	return st;
}

struct state *audit_firewall(const struct audit_request *rq)
{
	return audit_run(rq, 1);
}

static const struct fw_chain *same_chain(const struct state *st, const struct fw_chain *ch)
{
	for (int i = 0; i < st->nchains; i++) {
		const struct fw_chain *x = &st->chains[i];

		if (x->ns_ino == ch->ns_ino && x->backend == ch->backend && x->family == ch->family &&
		    !strcmp(x->table, ch->table) && !strcmp(x->name, ch->name))
			return x;
	}
	return NULL;
}

void audit_merge_counters(const struct state *before, struct state *after)
{
	for (int i = 0; before && i < after->nchains; i++) {
		const struct fw_chain *b = same_chain(before, &after->chains[i]);

		/* A chain that appeared meanwhile: its counters all count this trace's packets. */
		after->chains[i].policy_packets_before = b ? b->policy_packets_after :
					after->chains[i].policy_packets_after >= 0 ? 0 : -1;
	}
	for (int i = 0; before && i < after->nrules; i++) {
		struct fw_rule *r = &after->rules[i];
		const struct fw_chain *bc = same_chain(before, &after->chains[r->chain]);

		r->packets_before = r->packets_after >= 0 ? 0 : -1;
		for (int j = 0; bc && j < before->nrules; j++)
			if (&before->chains[before->rules[j].chain] == bc && before->rules[j].handle == r->handle)
				r->packets_before = before->rules[j].packets_after;
	}
}

void audit_free(struct state *st)
{
	state_free(st);
}
