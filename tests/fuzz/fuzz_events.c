// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Events as the ring buffer might deliver them, or not, through everything
 * that reads them: packet decoding, path grouping and walking, the report,
 * flows from packets (passive mode) and the diagnosis, on the canned
 * three-namespace lab. Input: STATE_BYTES of state facts, then events; an
 * event's ifindex picks a topology interface when it is small, so most
 * events land on the lab as real ones would.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/diagnose.h"
#include "analysis/flows.h"
#include "analysis/path.h"
#include "report/report.h"
#include "report/verdict.h"
#include "canned.h"

#define NNS 3
#define STATE_BYTES 16

static const char *fake_reason(const void *ctx, uint32_t reason)
{
	(void)ctx;
	return reason == 2 ? "NOT_SPECIFIED" : reason == 12 ? "NETFILTER_DROP" : NULL;
}

static const char *fake_symbol(const void *ctx, uint64_t addr, char *buf, int size)
{
	(void)ctx;
	snprintf(buf, size, "sym+0x%llx", (unsigned long long)(addr & 0xfff));
	return buf;
}

static void fill_state(const uint8_t *s, const struct topo *t, struct ns_state *ns, struct link_state *links)
{
	for (int i = 0; i <= NNS; i++) {
		memset(&ns[i], 0, sizeof(ns[i]));
		ns[i].ref.ino = HOST_INO + i;
		snprintf(ns[i].ref.label, sizeof(ns[i].ref.label), i ? "ns%d" : "host", i);
		ns[i].ref.via = NS_VIA_NAME;
		snprintf(ns[i].ref.arg, sizeof(ns[i].ref.arg), "lab-%s", ns[i].ref.label);
		ns[i].links_known = s[i] & 1;
		ns[i].addrs_known = (s[i] >> 1) & 1;
		ns[i].bridge_nf_call_iptables = ((s[i] >> 2) & 3) - 1;
		ns[i].bridge_nf_call_arptables = ((s[i] >> 4) & 3) - 1;
		ns[i].icmp_echo_ignore_all = (s[i] >> 6) & 1;
		ns[i].forward_drop_rules = (s[4] & (1 << i)) ? -1 : s[5] & 3;
		snprintf(ns[i].forward_policy, sizeof(ns[i].forward_policy), "%s", (s[6] >> i) & 1 ? "DROP" : "ACCEPT");
	}
	for (int i = 0; i < t->n; i++) {
		uint8_t b = s[7 + i % 9] ^ (uint8_t)(i * 37);

		memset(&links[i], 0, sizeof(links[i]));
		links[i].known = b & 1;
		links[i].exists = (b >> 1) & 1;
		links[i].flags = ((b >> 2) & 1) | (((b >> 3) & 1) << 16);
		links[i].master_ifindex = (b >> 4) & 1 ? t->ifs[0].ifindex : 0;
		links[i].port_state = ((b >> 5) & 7) - 1;
		links[i].port_isolated = -1;
		links[i].br_nf_call_iptables = links[i].br_nf_call_arptables = -1;
		if (t->ifs[i].addr.s_addr && (b & 0x80)) {
			links[i].addrs[0] = t->ifs[i].addr;
			links[i].prefixlens[0] = t->ifs[i].prefixlen;
			links[i].naddrs = 1;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct topo_if ifs[1 + 2 * NNS];
	const struct namer nm = { fake_reason, fake_symbol, NULL };
	struct topo t = canned_lab(ifs, NNS, BR_IFINDEX);
	struct ns_state ns[NNS + 1];
	struct link_state links[1 + 2 * NNS];
	struct packet_list pl = {};
	struct flow flows[8];
	struct verdict v;
	struct textout tx = {};
	struct nstrace_event *ev;
	int nev, nflows;
	FILE *out;

	if (size < STATE_BYTES)
		return 0;
	fill_state(data, &t, ns, links);
	nev = (int)((size - STATE_BYTES) / sizeof(*ev));
	ev = malloc((nev ? nev : 1) * sizeof(*ev));
	if (!ev)
		return 0;
	memcpy(ev, data + STATE_BYTES, nev * sizeof(*ev));
	for (int i = 0; i < nev; i++) {
		if (ev[i].ifindex < (uint32_t)t.n) {
			ev[i].netns_ino = t.ifs[ev[i].ifindex].netns_ino;
			ev[i].ifindex = t.ifs[ev[i].ifindex].ifindex;
		}
	}
	out = fopen("/dev/null", "w");
	if (!out || path_group(ev, nev, &pl))
		goto done;
	path_walk_all(&t, ev, &pl);
	tx.f = out;
	report_observed(&tx, &(struct observed){ .topo = &t, .ev = ev, .nev = nev, .pl = &pl, .nm = &nm, .lost = data[0] });
	nflows = flows_from_packets(&t, &pl, flows, 8);
	if (nflows < 0 || nflows > 8)
		abort();
	for (int i = 0; i < nflows; i++) {
		struct evidence e = { .topo = &t, .links = links, .ns = ns, .nns = NNS + 1, .ev = ev, .nev = nev,
				      .pl = &pl, .nm = &nm, .flow = flows[i], .gaps = { .lost = data[0] } };
		char notes[4][NOTE_MAX];

		if (diagnose(&e, &v))
			print_verdict(out, &v);
		diagnose_notes(&e, notes, 4);
	}
done:
	packet_list_free(&pl);
	if (out)
		fclose(out);
	free(ev);
	return 0;
}
