// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include <arpa/inet.h>
#include "analysis/flows.h"

int flows_from_packets(const struct topo *t, const struct packet_list *pl, struct flow *out, int max)
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
