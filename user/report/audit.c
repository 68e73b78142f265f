// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The audit, shown: per namespace and per object on the probe's way, what
 * was read and whether it lets the probe through, so a user can see why
 * nstrace believes what it believes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "analysis/plan.h"
#include "model/packet.h"
#include "report/audit.h"

#define F_UP 0x1
#define F_NOARP 0x80
#define F_LOWER_UP 0x10000

static const char *const port_state_names[] = { "disabled", "listening", "learning", "forwarding", "blocking" };

/* "ok", "WRONG" or "unknown", in a column of its own. */
static void row(FILE *f, const char *status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void row(FILE *f, const char *status, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fprintf(f, "    %-78s %s\n", text, status);
}

static int on_way(const struct plan *pl, int idx)
{
	for (int i = 0; i < pl->nl2; i++)
		if (pl->l2[i] == idx)
			return 1;
	return idx == pl->target;
}

static void link_row(FILE *f, const struct evidence *e, int idx)
{
	const struct topo_if *x = &e->topo->ifs[idx];
	const struct link_state *l = &e->links[idx];
	char master[32] = "";
	int bad;

	if (!l->known) {
		row(f, "unknown", "%s: could not be read", x->name);
		return;
	}
	if (!l->exists) {
		row(f, "WRONG", "%s: does not exist", x->name);
		return;
	}
	if (x->master >= 0)
		snprintf(master, sizeof(master), ", %s %s", l->master_ifindex == e->topo->ifs[x->master].ifindex ?
			 "port of" : "NOT a port of", e->topo->ifs[x->master].name);
	bad = !(l->flags & F_UP) || (x->role != TOPO_BRIDGE && !(l->flags & F_LOWER_UP)) ||
	      (x->master >= 0 && l->master_ifindex != e->topo->ifs[x->master].ifindex) || (l->flags & F_NOARP);
	row(f, bad ? "WRONG" : "ok", "%s: %s, %s, mtu %d%s%s", x->name, l->flags & F_UP ? "up" : "DOWN",
	    l->flags & F_LOWER_UP ? "carrier" : "NO CARRIER", l->mtu, l->flags & F_NOARP ? ", NOARP" : "", master);
	if (l->is_port) {
		const struct port_facts *p = &l->port;
		int pbad = (p->state >= 0 && p->state != 3) || p->bcast_flood == 0 || p->unicast_flood == 0 ||
			   p->isolated == 1 || p->locked == 1;

		row(f, pbad ? "check" : "ok", "  port: %s, learning %s, flood %s, bcast_flood %s%s%s", p->state >= 0 && p->state < 5 ?
		    port_state_names[p->state] : "?", p->learning ? "on" : "off", p->unicast_flood ? "on" : "off",
		    p->bcast_flood ? "on" : "off", p->isolated == 1 ? ", isolated" : "", p->locked == 1 ? ", locked" : "");
	}
	if (x->role == TOPO_BRIDGE) {
		const struct ns_state *ns = NULL;

		for (int n = 0; n < e->nns; n++)
			if (e->ns[n].ref.ino == x->netns_ino)
				ns = &e->ns[n];
		/* Either the namespace's sysctl or the bridge's own option hands bridged frames to iptables/arptables. */
		row(f, "ok", "  bridge: stp %s; to iptables: sysctl %d, option %d; to arptables: sysctl %d, option %d",
		    l->br.stp_state > 0 ? "on" : "off", ns ? ns->bridge_nf_call_iptables : -1, l->br.nf_call_iptables,
		    ns ? ns->bridge_nf_call_arptables : -1, l->br.nf_call_arptables);
	}
	if (l->tc.known && (l->tc.filters[0] || l->tc.filters[1] || l->tc.tcx_progs[0] || l->tc.tcx_progs[1]))
		row(f, "check", "  tc: ingress %d filter(s) %d tcx, egress %d filter(s) %d tcx%s%s", l->tc.filters[0],
		    l->tc.tcx_progs[0], l->tc.filters[1], l->tc.tcx_progs[1], l->tc.first_filter[0][0] ? ": " : "",
		    l->tc.first_filter[0][0] ? l->tc.first_filter[0] : l->tc.first_filter[1]);
	for (int a = 0; a < l->naddrs; a++) {
		char ip[16];

		row(f, "ok", "  address %s/%d", ip_str(l->addrs[a].s_addr, ip, sizeof(ip)), l->prefixlens[a]);
	}
}

static void route_rows(FILE *f, const struct evidence *e, uint32_t ino)
{
	for (int i = 0; i < e->st->nroutes; i++) {
		const struct route_fact *r = &e->st->routes[i];
		char s[16], d[16], g[16];

		if (r->ns_ino != ino)
			continue;
		ip_str(r->src.s_addr, s, sizeof(s));
		ip_str(r->dst.s_addr, d, sizeof(d));
		if (!r->answered)
			row(f, "unknown", "route %s -> %s: could not be asked", s, d);
		else if (r->err)
			row(f, "REFUSED", "route %s -> %s%s: %s", r->src.s_addr ? s : "*", d, r->iif ? " (arriving)" : "",
			    strerror(r->err));
		else
			row(f, "ok", "route %s -> %s%s: %s%s", r->src.s_addr ? s : "*", d, r->iif ? " (arriving)" : "",
			    r->gateway.s_addr ? "via " : "on-link", r->gateway.s_addr ? ip_str(r->gateway.s_addr, g, sizeof(g)) : "");
	}
}

static void firewall_rows(FILE *f, const struct evidence *e, const struct ns_state *ns)
{
	int n = 0;

	if (!ns->firewall_known) {
		row(f, "unknown", "firewalls: %s", ns->firewall_error[0] ? ns->firewall_error : "not read");
		return;
	}
	for (int i = 0; i < e->st->nchains; i++) {
		const struct fw_chain *c = &e->st->chains[i];

		if (c->ns_ino != ns->ref.ino)
			continue;
		if (!fw_chain_can_drop(c))
			continue;	/* kept only as the way into a chain that drops */
		n++;
		row(f, "can drop", "firewall: %s %s %s (hook %d): policy %s, %d drop rule(s)%s%s",
		    c->backend == FW_NFT ? "nft" : c->backend == FW_IPT_LEGACY ? "iptables-legacy" : "arptables-legacy",
		    c->table, c->name, c->hook, c->policy == FW_DROP ? "drop" : "accept", c->drop_rules,
		    c->owner[0] ? ", owner " : "", c->owner);
	}
	if (!n)
		row(f, "ok", "firewalls: no chain that can drop");
}

void report_audit(FILE *f, const struct evidence *e)
{
	const struct plan *pl = e->plan;

	if (!e->st || !pl)
		return;
	fprintf(f, "\naudit (what was read on the way, and whether it lets the probe through):\n");
	for (int n = 0; n < e->nns; n++) {
		const struct ns_state *ns = &e->ns[n];
		int shown = 0;

		for (int i = 0; i < e->topo->n; i++)
			shown |= e->topo->ifs[i].netns_ino == ns->ref.ino && on_way(pl, i);
		if (!shown)
			continue;
		fprintf(f, "  %s\n", ns->ref.label);
		if (ns->sysctl_known)
			row(f, ns->icmp_echo_ignore_all == 1 || ns->all.arp_ignore >= 8 ? "check" : "ok",
			    "sysctl: ip_forward %d, icmp_echo_ignore_all %d, rp_filter %d, arp_ignore %d",
			    ns->ip_forward, ns->icmp_echo_ignore_all, ns->all.rp_filter, ns->all.arp_ignore);
		else
			row(f, "unknown", "sysctl: /proc/sys/net could not be read");
		for (int i = 0; i < e->topo->n; i++)
			if (e->topo->ifs[i].netns_ino == ns->ref.ino && on_way(pl, i))
				link_row(f, e, i);
		route_rows(f, e, ns->ref.ino);
		firewall_rows(f, e, ns);
	}
}
