// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * After the verdict: every other problem the state shows on the probe's way,
 * listed as "also wrong" (fixing the proven cause alone may not be enough),
 * and for an inconclusive verdict, what was checked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/plan.h"
#include "analysis/rules.h"
#include "model/packet.h"

#define ALSO_MAX 4

/* A packet that never was on a link: lets the packet-shaped rules judge the state alone. */
static struct packet phantom(int proto, int type)
{
	struct packet p;

	memset(&p, 0, sizeof(p));
	p.key.proto = (uint8_t)proto;
	p.key.type = (uint8_t)type;
	return p;
}

static int echo_ignored(const struct evidence *e, struct verdict *v)
{
	const struct plan *pl = e->plan;
	const struct ns_state *ns = pl->target >= 0 ? ns_of(e, e->topo->ifs[pl->target].netns_ino) : NULL;

	if (!ns || ns->icmp_echo_ignore_all != 1)
		return 0;
	set_cause(v, "target-ignores-echo", 1, "namespace %s ignores echo requests (net.ipv4.icmp_echo_ignore_all=1)",
		  ns->ref.label);
	return 1;
}

static int nobody_has(const struct evidence *e, struct verdict *v)
{
	const struct plan *pl = e->plan;
	char a[16];

	if (pl->target >= 0 || pl->via_gateway || !e->st)
		return 0;
	set_cause(v, "target-address-missing", 1, "no interface nstrace can see has %s", ip_str(pl->dst.s_addr, a, sizeof(a)));
	return 1;
}

static int one_check(const struct evidence *e, int i, struct verdict *s)
{
	const struct plan *pl = e->plan;
	struct packet arp = phantom(NSTRACE_PROTO_ARP, NSTRACE_ARP_REQUEST);
	struct packet echo = phantom(NSTRACE_PROTO_ICMP, NSTRACE_ICMP_ECHO);

	echo.key.id = htons(e->flow.icmp_id);
	switch (i) {
	case 0: return rule_bridge_down(e, NULL, "echo request", s);
	case 1: return rule_links(e, NULL, "echo request", pl->src, pl->hop, s);
	case 2: return rule_port_delivery(e, &arp, "ARP request", s);
	case 3: return rule_port_delivery(e, &echo, "echo request", s);
	case 4: return rule_mtu(e, &echo, -1, s);
	case 5: return rule_source_noarp(e, s);
	case 6: return rule_neighbour(e, s);
	case 7: return rule_arp_unanswered(e, s);
	case 8: return pl->via_gateway ? rule_gateway(e, s) : rule_echo_unanswered(e, s);
	case 9: return echo_ignored(e, s);
	case 10: return nobody_has(e, s);
	case 11: return rule_duplicate_mac(e, NULL, NULL, s);
	}
	return -1;
}

void also_wrong(const struct evidence *e, struct verdict *v)
{
	struct verdict *s = malloc(sizeof(*s));
	char ids[ALSO_MAX][40];
	int listed = 0;

	if (!s || !e->plan || !e->st)
		goto out;
	for (int i = 0; listed < ALSO_MAX; i++) {
		int r;

		memset(s, 0, sizeof(*s));
		r = one_check(e, i, s);
		if (r < 0)
			break;
		/* The same kind of problem as the verdict's, or one already listed, is said once. */
		if (!r || !s->id[0] || !s->conclusive || !strcmp(s->id, v->id))
			continue;
		for (int k = 0; k < listed && r; k++)
			r = strcmp(ids[k], s->id) != 0;
		if (!r)
			continue;
		snprintf(ids[listed++], sizeof(ids[0]), "%s", s->id);
		add_line(v, "also wrong: %s", s->cause);
	}
out:
	free(s);
}

/* The ARP request reached the next hop and no reply left, with nothing read that explains it. */
int rule_no_arp_reply(const struct evidence *e, struct verdict *v)
{
	const struct topo_if *h = &e->topo->ifs[e->plan->hop];

	add_line(v, "checked: %s: ARP on, arp_ignore and arp_filter allow a reply, no ARP firewall drop seen", h->name);
	set_cause(v, "target-no-arp-reply", 0, "the ARP request reached %s, which sent no reply; nothing read there explains why",
		  h->ns_label);
	return 1;
}

void checked_lines(const struct evidence *e, struct verdict *v)
{
	const struct plan *pl = e->plan;
	char a[16], b[16];
	int unknown = 0, chains = 0;

	if (!e->st) {
		add_line(v, "checked: no state was read (events only)");
		return;
	}
	for (int i = 0; i < pl->nl2; i++)
		unknown += !e->links[pl->l2[i]].known;
	add_line(v, "checked: %d link(s) on the way: state, carrier, master, port flags, MTU%s", pl->nl2,
		 unknown ? " (some could not be read)" : ": none stops a frame");
	if (pl->out && pl->out->answered)
		add_line(v, "checked: %s routes %s %s%s%s", e->topo->ifs[pl->src].ns_label, ip_str(pl->dst.s_addr, a, sizeof(a)),
			 pl->out->err ? strerror(pl->out->err) : "out", pl->via_gateway ? " via " : "",
			 pl->via_gateway ? ip_str(pl->nexthop.s_addr, b, sizeof(b)) : "");
	for (int i = 0; i < e->st->nchains; i++)
		chains += fw_chain_can_drop(&e->st->chains[i]);
	add_line(v, "checked: firewalls: %d chain(s) that can drop, none proven to have dropped a probe", chains);
	for (int i = 0; i < e->nns; i++)
		if (!e->ns[i].firewall_known && e->ns[i].firewall_error[0])
			add_line(v, "checked: could not read the firewalls of %s: %s", e->ns[i].ref.label, e->ns[i].firewall_error);
}
