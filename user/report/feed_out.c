// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The feed's JSON, pcapng and diagram of a whole trace, and its notes. */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "analysis/drops.h"
#include "model/packet.h"
#include "report/dot.h"
#include "report/json.h"
#include "report/pcapng.h"
#include "report/feed_internal.h"

#define MAX_REASONS 32

void feed_notes(struct feed *f, const struct evidence *e)
{
	char notes[4][NOTE_MAX];
	int n = diagnose_notes(e, notes, 4);

	for (int k = 0; k < n; k++) {
		if (f->tx.f)
			tx_wrap(&f->tx, "", "  ", notes[k]);
		if (f->json)
			json_note(f->json, notes[k]);
	}
}

void feed_json_trace(struct feed *f, const struct observed *o)
{
	if (!f->json)
		return;
	for (int i = 0; i < o->nlearn; i++)
		json_event(f->json, o, &o->learn[i], 0, f->event_ids++);
	for (int i = 0; i < o->pl->n; i++) {
		const struct packet *p = &o->pl->pkts[i];
		long first = f->event_ids;

		for (int j = 0; j < p->nevents; j++)
			json_event(f->json, o, &o->ev[p->events[j]], i + 1, f->event_ids++);
		json_packet(f->json, o, p, i + 1, first);
	}
}

void feed_pcap_trace(struct feed *f, const struct observed *o)
{
	int *packet_of;

	if (!f->pcap)
		return;
	packet_of = calloc(o->nev ? o->nev : 1, sizeof(int));
	if (!packet_of)
		return;
	for (int i = 0; i < o->pl->n; i++)
		for (int j = 0; j < o->pl->pkts[i].nevents; j++)
			packet_of[o->pl->pkts[i].events[j]] = i + 1;
	/* o->ev is in time order: so is the capture. */
	for (int i = 0; i < o->nev; i++)
		pcapng_event(f->pcap, o, &o->ev[i], packet_of[i]);
	free(packet_of);
}

/* The packet of flow fl to draw: the first request that died, else the first request. */
static int pick(const struct observed *o, const struct flow *fl, int type, int reply)
{
	uint32_t src = o->topo->ifs[fl->src].addr.s_addr, dst = fl->dst.s_addr;
	int found = -1;

	for (int i = 0; i < o->pl->n; i++) {
		const struct pkt_key *k = &o->pl->pkts[i].key;

		if (k->proto != NSTRACE_PROTO_ICMP || k->type != type || ntohs(k->id) != fl->icmp_id ||
		    k->saddr != (reply ? dst : src) || k->daddr != (reply ? src : dst))
			continue;
		if (!o->pl->pkts[i].delivered)
			return i;
		if (found < 0)
			found = i;
	}
	return found;
}

void feed_dot_trace(struct feed *f, const struct observed *o, const struct flow *flows, int nflows)
{
	struct dot_path paths[2];
	char title[256], a[16];
	int n = 0, req = -1, rep = -1;

	if (!f->dot || f->dot_done)
		return;
	f->dot_done = 1;
	if (nflows > 0 && flows[0].src >= 0 && flows[0].src < o->topo->n) {
		req = pick(o, &flows[0], NSTRACE_ICMP_ECHO, 0);
		rep = pick(o, &flows[0], NSTRACE_ICMP_ECHOREPLY, 1);
		snprintf(title, sizeof(title), "nstrace %s: %s \u2192 %s, echo id 0x%04x, %d of %d answered",
			 f->command ? f->command : "", o->topo->ifs[flows[0].src].ns_label,
			 ip_str(flows[0].dst.s_addr, a, sizeof(a)), flows[0].icmp_id, flows[0].received, flows[0].sent);
	} else {
		snprintf(title, sizeof(title), "nstrace %s: no echo flow seen", f->command ? f->command : "");
	}
	if (req >= 0)
		paths[n++] = (struct dot_path){ o->ev, &o->pl->pkts[req], req + 1, "blue" };
	if (rep >= 0)
		paths[n++] = (struct dot_path){ o->ev, &o->pl->pkts[rep], rep + 1, "darkgreen" };
	dot_write(f->dot, o, title, paths, n);
}

void feed_json_summary(struct feed *f, const struct observed *o, int verdicts, int exit_code)
{
	struct drop_tally drops[MAX_REASONS];
	char names[MAX_REASONS][64];
	int nd = 0;

	if (!f->json)
		return;
	for (int i = 0; i < o->nev; i++) {
		const struct nstrace_event *e = &o->ev[i];
		int benign, k;

		if (e->source != NSTRACE_SRC_DROP)
			continue;
		benign = drop_benign_why(e, o->nm) != NULL;
		drop_reason_str(o->nm, e->drop_reason, names[nd < MAX_REASONS ? nd : 0], sizeof(names[0]));
		for (k = 0; k < nd; k++)
			if (drops[k].benign == benign && !strcmp(drops[k].reason, names[nd < MAX_REASONS ? nd : 0]))
				break;
		if (k < nd)
			drops[k].count++;
		else if (nd < MAX_REASONS)
			drops[nd] = (struct drop_tally){ names[nd], 1, benign }, nd++;
	}
	json_summary(f->json, &(struct json_summary){
		.mode = "probe", .sum = o->sum, .drops = drops, .ndrops = nd, .events = o->nev + o->nlearn,
		.packets = o->pl->n, .lost = o->lost, .verdicts = verdicts < 0 ? 0 : verdicts, .exit_code = exit_code });
}
