// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Rules for a packet the kernel dropped: the drop's reason and place map to
 * the layer that owns them (netfilter, a tc program, the MTU, a reverse-path
 * filter, a wrong MAC...), and the facts of that place name the cause.
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "analysis/drop_site.h"
#include "analysis/drops.h"
#include "analysis/fixes.h"
#include "analysis/plan.h"
#include "model/packet.h"

/* The packet's way through the namespace it died in: crossing its bridge, or to, from or through its stack. */
static int path_kind(const struct evidence *e, const struct packet *p, const struct drop_site *s)
{
	struct in_addr src = { p->key.saddr }, dst = { p->key.daddr };
	int sender = plan_owner(e, src), owner = plan_owner(e, dst);

	if (owner >= 0 && e->topo->ifs[owner].netns_ino == s->ino)
		return FW_PATH_IN;
	if (sender >= 0 && e->topo->ifs[sender].netns_ino == s->ino)
		return FW_PATH_OUT;
	if (s->bridge >= 0)
		return FW_PATH_BRIDGED;
	return FW_PATH_FORWARDED;
}

static void fill_fw_site(const struct evidence *e, const struct packet *p, struct drop_site *s)
{
	struct fw_site *f = &s->fw;

	f->ino = s->ino;
	f->proto = p->key.proto;
	f->path = path_kind(e, p, s);
	f->hook = s->hook ? s->hook->nf_hook : -1;
	for (int i = 0; i < p->nevents; i++) {
		const struct nstrace_event *ev = &e->ev[p->events[i]];

		f->saw_ipv4_hooks |= ev->source == NSTRACE_SRC_NF && ev->netns_ino == s->ino;
	}
	if (s->ns && s->bridge >= 0) {
		const struct link_state *br = plan_link(e, s->bridge);

		f->br_nf_ip = s->ns->bridge_nf_call_iptables == 1 || (br && br->br_nf_call_iptables == 1);
		f->br_nf_arp = s->ns->bridge_nf_call_arptables == 1 || (br && br->br_nf_call_arptables == 1);
	}
	f->lost = e->flow.sent - e->flow.received;
	f->icmp_id = p->key.proto == NSTRACE_PROTO_ICMP ? ntohs(p->key.id) : 0;
}

/* Fills site from the packet's events and says what they show; 0 if nothing killed it. */
static int find_drop_site(const struct evidence *e, const struct packet *p, const char *what,
			  struct verdict *v, struct drop_site *s)
{
	memset(s, 0, sizeof(*s));
	s->drop = first_drop(e, p);
	s->hook = nf_hook_died(e, p);
	s->bridge = s->dev = -1;
	if (!s->drop && !s->hook)
		return 0;
	s->hook_name = s->hook ? nf_hook_name(s->hook->nf_hook) : NULL;
	describe_last_hop(e, p, v, what);
	if (s->hook)
		add_line(v, "event: netfilter %s in %s: entered at the first priority, never reached the last",
			 s->hook_name, label_of(e, s->hook->netns_ino));
	if (s->drop) {
		s->dev = topo_find(e->topo, s->drop->netns_ino, s->drop->ifindex);
		drop_reason_str(e->nm, s->drop->drop_reason, s->reason, sizeof(s->reason));
		drop_location_func(e->nm, s->drop->location, s->func, sizeof(s->func));
		add_line(v, "event: kfree_skb %s%s at %s (dev %s, %s)",
			 strncmp(s->reason, "reason ", 7) ? "reason " : "", s->reason, s->func,
			 s->dev >= 0 ? e->topo->ifs[s->dev].name : "?", label_of(e, s->drop->netns_ino));
	} else {
		snprintf(s->reason, sizeof(s->reason), "NETFILTER_DROP");
	}
	s->ino = s->drop ? s->drop->netns_ino : s->hook->netns_ino;
	s->ns = ns_of(e, s->ino);
	s->ref = ref_of(e, s->ino);
	for (int i = 0; i < e->topo->n; i++)
		if (e->topo->ifs[i].role == TOPO_BRIDGE && e->topo->ifs[i].netns_ino == s->ino)
			s->bridge = i;
	fill_fw_site(e, p, s);
	return 1;
}

static int tc_drop(const struct evidence *e, const struct drop_site *s, const char *what, struct verdict *v)
{
	const char *dev = s->dev >= 0 ? e->topo->ifs[s->dev].name : "DEV";
	const char *dir = !strcmp(s->reason, "TC_INGRESS") ? "ingress" : "egress";
	const struct link_state *l = plan_link(e, s->dev);
	int d = dir[0] == 'e';
	char pref[16];

	set_cause(v, "tc-program-drop", 1, "a tc program (not nstrace's) on %s dropped the %s (%s)",
		  s->dev >= 0 ? dev : "a link", what, s->reason);
	if (l && l->tc.known && l->tc.filters[d] && l->tc.first_pref[d]) {
		add_line(v, "state: %s %s: tc filter %s (pref %d)%s", dev, dir, l->tc.first_filter[d], l->tc.first_pref[d],
			 l->tc.filters[d] > 1 ? ", and others" : "");
		snprintf(pref, sizeof(pref), "%d", l->tc.first_pref[d]);
		verdict_fix(v, s->ref, "removes that filter (its program's object is not nstrace's to put back)",
			    ARGV("tc", "filter", "del", "dev", dev, dir, "pref", pref));
	} else if (l && l->tc.known && l->tc.tcx_progs[d]) {
		add_line(v, "state: %s %s: %d program(s) attached with tcx", dev, dir, l->tc.tcx_progs[d]);
	}
	fix_step(v, verdict_inspect(v, s->ref, "lists the tc programs and filters on that link; remove the one that drops",
				    ARGV("tc", "filter", "show", "dev", dev, dir)),
		 s->ref, ARGV("bpftool", "net", "show"));
	return 1;
}

static int rpfilter_drop(const struct evidence *e, const struct drop_site *s, const char *what, struct verdict *v)
{
	const struct link_state *l = plan_link(e, s->dev);
	const char *dev = s->dev >= 0 ? e->topo->ifs[s->dev].name : "?";

	if (!s->ns || !l)
		return 0;
	add_line(v, "state: rp_filter in %s: all %d, %s %d", s->ns->ref.label, s->ns->all.rp_filter, dev, l->conf.rp_filter);
	set_cause(v, "rp-filter-drop", 1, "%s dropped the %s by reverse-path filtering on %s: its route back to the sender leaves by another interface",
		  s->ns->ref.label, what, dev);
	fix_rp_loose(v, s->ref, s->ns->all.rp_filter);
	return 1;
}

/* Where netfilter frees what a hook or table said to drop (and nothing else). */
static int netfilter_verdict_site(const char *func)
{
	static const char *const sites[] = { "nf_hook_slow", "nf_hook_slow_list", "nft_do_chain",
					     "ipt_do_table", "arpt_do_table", "ebt_do_table" };

	for (size_t i = 0; i < sizeof(sites) / sizeof(sites[0]); i++)
		if (!strcmp(func, sites[i]))
			return 1;
	return 0;
}

/*
 * Before 5.17 drops have no reason. Two things still make one netfilter's:
 * the packet entered a hook and never left it, in the namespace of the
 * drop; or the kernel freed it where netfilter acts on a DROP verdict.
 */
static int netfilter_without_reason(const struct drop_site *s, struct verdict *v)
{
	if (!s->drop || s->drop->drop_reason != NSTRACE_REASON_UNKNOWN)
		return 0;
	if (s->hook && s->drop->netns_ino == s->hook->netns_ino) {
		add_line(v, "event: no drop reason on this kernel; the drop came inside the %s hook it never left", s->hook_name);
		return 1;
	}
	if (netfilter_verdict_site(s->func)) {
		add_line(v, "event: no drop reason on this kernel; %s frees only what a netfilter verdict dropped", s->func);
		return 1;
	}
	return 0;
}

/*
 * 1: a drop or a hook verdict explains the packet's death (v filled);
 * 0: nothing killed it; -1: the kernel dropped it for a reason no rule
 * names (v says so, inconclusive: the caller may find the cause elsewhere).
 */
int rule_drop(const struct evidence *e, const struct packet *p, const char *what, struct verdict *v)
{
	struct drop_site s;
	int r;

	if (!find_drop_site(e, p, what, v, &s))
		return 0;
	if (!strcmp(s.reason, "TC_INGRESS") || !strcmp(s.reason, "TC_EGRESS"))
		return tc_drop(e, &s, what, v);
	if (netfilter_without_reason(&s, v))
		snprintf(s.reason, sizeof(s.reason), "NETFILTER_DROP");
	if (!strcmp(s.reason, "NETFILTER_DROP")) {
		r = netfilter_drop(e, p, &s, what, v);
		if (r)
			return r;
	}
	if (!strcmp(s.reason, "OTHERHOST") && e->plan && rule_neighbour(e, v))
		return 1;
	if (!strcmp(s.reason, "IP_RPFILTER") && rpfilter_drop(e, &s, what, v))
		return 1;
	/* A port that is not forwarding: the bridge being down disables every port. */
	if (!strcmp(s.reason, "BRIDGE_INGRESS_STP_STATE") && e->plan && rule_bridge_down(e, NULL, what, v))
		return 1;
	/* ip_error: the route lookup refused it (unreachable, no forwarding; a blackhole says NOT_SPECIFIED). */
	if ((!strcmp(s.reason, "IP_INADDRERRORS") || !strcmp(s.reason, "IP_INNOROUTES") || !strcmp(s.func, "ip_error")) &&
	    e->plan && rule_gateway(e, v))
		return 1;
	if (s.dev >= 0 && rule_port_locked(e, s.dev, v))
		return 1;
	/* Whatever the reason's name, the dropping device's own state may say why. */
	if (s.dev >= 0 && e->plan && rule_mtu(e, p, s.dev, v))
		return 1;
	if (e->plan && s.fw.path == FW_PATH_BRIDGED && rule_source_noarp(e, v))
		return 1;
	/* The link state may explain it (no carrier: QDISC_DROP); the caller decides. */
	set_cause(v, "kernel-drop", 0, "the kernel dropped the %s (%s) at %s; no rule here explains that reason",
		  what, s.reason, s.func);
	return -1;
}
