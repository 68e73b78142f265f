// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The links of one namespace as facts: state, bridge port and bridge options, addresses, sysctls, tc. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/internal.h"
#include "kernel/tc.h"

static void port_facts(const struct nl_brport *p, struct port_facts *f)
{
	f->state = p->state;
	f->learning = p->learning;
	f->unicast_flood = p->unicast_flood;
	f->mcast_flood = p->mcast_flood;
	f->bcast_flood = p->bcast_flood;
	f->isolated = p->isolated;
	f->proxyarp = p->proxyarp;
	f->neigh_suppress = p->neigh_suppress;
	f->hairpin = p->hairpin;
	f->locked = p->locked;
	f->mab = p->mab;
}

static void bridge_facts(const struct nl_bridge *b, struct bridge_facts *f)
{
	f->stp_state = b->stp_state;
	f->vlan_filtering = b->vlan_filtering;
	f->forward_delay = b->forward_delay;
	f->ageing_time = b->ageing_time;
	f->nf_call_iptables = b->nf_call_iptables;
	f->nf_call_ip6tables = b->nf_call_ip6tables;
	f->nf_call_arptables = b->nf_call_arptables;
}

static void link_facts(const struct nl_link *l, struct link_state *s)
{
	s->exists = 1;
	s->flags = l->flags;
	s->operstate = l->operstate;
	s->mtu = l->mtu;
	s->master_ifindex = l->master;
	s->is_port = l->is_port;
	port_facts(&l->port, &s->port);
	bridge_facts(&l->br, &s->br);
	s->port_state = l->is_port ? l->port.state : -1;
	s->port_isolated = l->port.isolated;
	s->br_nf_call_iptables = l->br.nf_call_iptables;
	s->br_nf_call_arptables = l->br.nf_call_arptables;
	snprintf(s->tc.root_qdisc, sizeof(s->tc.root_qdisc), "%s", l->qdisc);
}

static void tc_facts(struct nl *nl, int ifindex, struct tc_facts *f)
{
	struct tc_link_info info;

	if (tc_link_read(nl, ifindex, &info))
		return;
	f->known = 1;
	for (int d = 0; d < 2; d++) {
		f->filters[d] = info.filters[d];
		f->tcx_progs[d] = info.tcx_progs[d];
		f->first_pref[d] = info.first_pref[d];
		snprintf(f->first_filter[d], sizeof(f->first_filter[d]), "%.*s", (int)sizeof(f->first_filter[d]) - 1, info.first[d]);
	}
	f->clsact = info.filters[0] + info.filters[1] > 0;
}

void links_read(struct audit_ctx *c)
{
	const struct topo *t = c->rq->topo;
	struct ns_state *ns = &c->st->ns[c->ns];
	struct nl_link *l = NULL;
	struct nl_addr *a = NULL;
	int nl_count = audit_fail("links") ? -EIO : nl_link_dump_ports(&c->nl, &l);
	int na = audit_fail("addrs") ? -EIO : nl_addr_dump(&c->nl, &a);

	ns->links_known = nl_count >= 0;
	ns->addrs_known = na >= 0;
	for (int i = 0; i < t->n; i++) {
		struct link_state *s = &c->st->links[i];

		if (t->ifs[i].netns_ino != ns->ref.ino)
			continue;
		s->known = ns->links_known;
		for (int j = 0; j < nl_count; j++) {
			if (l[j].ifindex != t->ifs[i].ifindex)
				continue;
			link_facts(&l[j], s);
			sysctl_read_conf(l[j].name, &s->conf);
			tc_facts(&c->nl, l[j].ifindex, &s->tc);
		}
		for (int j = 0; j < na && s->naddrs < STATE_MAX_ADDRS; j++) {
			if (a[j].ifindex != t->ifs[i].ifindex)
				continue;
			s->addrs[s->naddrs] = a[j].addr;
			s->prefixlens[s->naddrs++] = a[j].prefixlen;
		}
	}
	if (nl_count > 0)
		free(l);
	if (na > 0)
		free(a);
}
