// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "analysis/diagnose.h"
#include "analysis/rules.h"
#include "model/packet.h"

/* A packet that died: a drop or hook verdict explains it, else the links on its way. */
static int examine(const struct evidence *e, const struct packet *p, const char *what, int from, int to,
		   struct verdict *v)
{
	struct verdict generic;
	int r = rule_drop(e, p, what, v);

	if (r > 0)
		return 1;
	if (r < 0 && p->nhops == 0) {
		/* Dropped before any link (e.g. NEIGH_FAILED): the ARP exchange tells why. */
		memset(v->id, 0, sizeof(v->id));
		v->nevidence = 1;
		return 0;
	}
	if (r < 0) {
		/* A drop no rule names: a broken link on the way is the cause, the drop its symptom. */
		generic = *v;
		v->id[0] = '\0';
		if (rule_links(e, NULL, what, from, to, v))
			return 1;
		*v = generic;
		return 1;
	}
	/* Never on a link (e.g. waiting for ARP): the links say nothing about it. */
	return p->nhops > 0 && rule_links(e, p, what, from, to, v);
}

int diagnose(const struct evidence *e, struct verdict *v)
{
	const struct topo *t = e->topo;
	uint32_t src = t->ifs[e->flow.src].addr.s_addr, dst = e->flow.dst.s_addr;
	int target = intended_target(e);
	const struct packet *p, *req, *rep;
	char a[16];

	memset(v, 0, sizeof(*v));
	/* Nothing sent (interrupted before the first probe): nothing to judge. */
	if (e->flow.sent == 0 || e->flow.received == e->flow.sent)
		return 0;
	add_line(v, "probe: %d of %d echo requests answered", e->flow.received, e->flow.sent);

	if (rule_source(e, v))
		return 1;
	/* The echo request, then its reply: the first that went missing decides. */
	if ((p = find_packet(e, NSTRACE_PROTO_ICMP, NSTRACE_ICMP_ECHO, src, dst, 1)) &&
	    examine(e, p, "echo request", e->flow.src, target, v))
		return 1;
	if ((p = find_packet(e, NSTRACE_PROTO_ICMP, NSTRACE_ICMP_ECHOREPLY, dst, src, 1)) &&
	    examine(e, p, "echo reply", target, e->flow.src, v))
		return 1;
	if ((p = find_packet(e, NSTRACE_PROTO_ICMP, NSTRACE_ICMP_ECHO, src, dst, 0)) &&
	    !find_packet(e, NSTRACE_PROTO_ICMP, NSTRACE_ICMP_ECHOREPLY, dst, src, -1) &&
	    (rule_drop(e, p, "echo request", v) != 0 || rule_no_reply(e, p, v)))
		return 1;

	/* No echo request reached a link: the source never resolved the target's MAC. */
	if (!on_wire(e, NSTRACE_PROTO_ICMP, NSTRACE_ICMP_ECHO, src, dst)) {
		req = on_wire(e, NSTRACE_PROTO_ARP, NSTRACE_ARP_REQUEST, src, dst);
		rep = on_wire(e, NSTRACE_PROTO_ARP, NSTRACE_ARP_REPLY, dst, src);
		if (rep && !rep->delivered && examine(e, rep, "ARP reply", target, e->flow.src, v))
			return 1;
		if (req && !rep && (examine(e, req, "ARP request", e->flow.src, target, v) ||
				    rule_target_address(e, req, v)))
			return 1;
		if (!req) {
			/* Dropped before it reached a link: the source's own ARP firewall, say. */
			const struct packet *any = find_packet(e, NSTRACE_PROTO_ARP, NSTRACE_ARP_REQUEST, src, dst, -1);

			if (any && rule_drop(e, any, "ARP request", v) > 0)
				return 1;
		}
		if (!req && rule_links(e, NULL, "ARP request", e->flow.src, target, v))
			return 1;
		if (!req)
			add_line(v, "event: no ARP request or echo request was seen on any observed link");
	}
	set_cause(v, "inconclusive", 0,
		  "%d of %d probes to %s went unanswered, but no drop, firewall verdict or link state read here explains where",
		  e->flow.sent - e->flow.received, e->flow.sent, ip_str(dst, a, sizeof(a)));
	return 1;
}

int diagnose_notes(const struct evidence *e, char lines[][NOTE_MAX], int max)
{
	int n = 0;

	for (int i = 0; i < e->nns && n < max; i++) {
		const struct ns_state *ns = &e->ns[i];
		int blocks = !strcmp(ns->forward_policy, "DROP") || ns->forward_drop_rules > 0;

		if (!blocks || ns->bridge_nf_call_iptables != 0)
			continue;
		for (int b = 0; b < e->topo->n && n < max; b++) {
			const struct topo_if *x = &e->topo->ifs[b];

			if (x->role != TOPO_BRIDGE || x->netns_ino != ns->ref.ino || e->links[b].br_nf_call_iptables == 1)
				continue;
			snprintf(lines[n++], NOTE_MAX,
				 "note: iptables FORWARD in %s %s, harmless now (net.bridge.bridge-nf-call-iptables=0); it would drop IPv4 bridged by %s if br_netfilter were turned on",
				 ns->ref.label, !strcmp(ns->forward_policy, "DROP") ? "has policy DROP" : "has DROP/REJECT rules", x->name);
		}
	}
	return n;
}
