// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "report.h"

#define MAX_PASSIVE_FLOWS 64

/* Echo flows seen without our probes: one per (source, destination, id). */
static int passive_flows(const struct topo *t, const struct packet_list *pl, struct flow *out, int max)
{
	int n = 0;

	for (int i = 0; i < pl->n; i++) {
		const struct packet *p = &pl->pkts[i];
		struct in_addr src = { p->key.saddr };
		int f, s = topo_find_addr(t, src);

		if (p->key.proto != NSTRACE_PROTO_ICMP || p->key.type != NSTRACE_ICMP_ECHO || s < 0)
			continue;
		for (f = 0; f < n; f++)
			if (out[f].src == s && out[f].dst.s_addr == p->key.daddr && out[f].icmp_id == ntohs(p->key.id))
				break;
		if (f == n) {
			if (n == max)
				continue;
			memset(&out[n], 0, sizeof(out[n]));
			out[n].src = s;
			out[n].dst.s_addr = p->key.daddr;
			out[n].icmp_id = ntohs(p->key.id);
			n++;
		}
		out[f].sent++;
		/* Answered when a reply to this seq reached the sender. */
		for (int j = 0; j < pl->n; j++) {
			const struct packet *r = &pl->pkts[j];

			if (r->key.proto == NSTRACE_PROTO_ICMP && r->key.type == NSTRACE_ICMP_ECHOREPLY &&
			    r->key.saddr == p->key.daddr && r->key.daddr == p->key.saddr &&
			    r->key.id == p->key.id && r->key.seq == p->key.seq && r->delivered) {
				out[f].received++;
				break;
			}
		}
	}
	return n;
}

int report_trace(struct session *s, const struct topo *t, const struct state_ns *nss, int nns,
		 const struct flow *flows, int nflows, const struct probe_summary *sum,
		 struct verdict *first)
{
	struct ns_state *ns = calloc(nns ? nns : 1, sizeof(*ns));
	struct link_state *links = calloc(t->n ? t->n : 1, sizeof(*links));
	struct flow derived[MAX_PASSIVE_FLOWS];
	struct packet_list pl = {};
	struct verdict v;
	uint64_t lost = probes_lost(&s->probes);
	int verdicts = 0, err = 0;

	if (!ns || !links || path_group(s->col.events, s->col.count, &pl)) {
		err = -ENOMEM;
		goto out;
	}
	path_walk_all(t, s->col.events, &pl);
	print_packets(stdout, t, s->col.events, &pl, &s->namer);
	printf("\n");
	if (sum)
		print_probe_summary(stdout, sum);
	print_drops(stdout, t, s->col.events, s->col.count, &s->namer);
	printf("events: %d observed", s->col.count);
	if (lost || s->col.oom)
		printf(", %llu LOST (ring buffer full): the paths above may miss hops",
		       (unsigned long long)(lost + s->col.oom));
	printf("\n");

	err = state_read(nss, nns, t, ns, links);
	if (err)
		goto out;
	if (!flows) {
		nflows = passive_flows(t, &pl, derived, MAX_PASSIVE_FLOWS);
		flows = derived;
	}
	for (int i = 0; i < nflows; i++) {
		struct evidence e = {
			.topo = t, .links = links, .ns = ns, .nns = nns,
			.ev = s->col.events, .nev = s->col.count, .pl = &pl, .nm = &s->namer,
			.flow = flows[i],
		};

		if (!diagnose(&e, &v)) {
			char notes[4][240];
			int nn = i == 0 ? diagnose_notes(&e, notes, 4) : 0;

			for (int k = 0; k < nn; k++)
				printf("%s\n", notes[k]);
			continue;
		}
		if (!verdicts && first)
			*first = v;
		verdicts++;
		print_verdict(stdout, &v);
	}
out:
	packet_list_free(&pl);
	free(ns);
	free(links);
	return err ? err : verdicts;
}
