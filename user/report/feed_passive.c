// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Passive mode in the feed: each packet is printed (and written to JSON and
 * pcapng) when the stream hands it out, counted in the tally, then released;
 * at the end, one summary line and the verdicts judged on the evidence kept.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/drops.h"
#include "model/packet.h"
#include "report/dot.h"
#include "report/explain.h"
#include "report/json.h"
#include "report/output.h"
#include "report/pcapng.h"
#include "report/feed_internal.h"

/* Replies take far less than this on a bridge; a request younger than it at the end is in flight. */
#define PASSIVE_IN_FLIGHT_NS 1000000000ull

/* Keeps copies of two packets for the diagram: the first echo request (one that died, if any) and reply. */
static void keep_for_dot(struct feed *f, const struct nstrace_event *ev, const struct packet *p, int n)
{
	struct kept_path *k;
	int slot;

	if (!f->dot || !f->kept || p->key.proto != NSTRACE_PROTO_ICMP)
		return;
	if (p->key.type == NSTRACE_ICMP_ECHO)
		slot = 0;
	else if (p->key.type == NSTRACE_ICMP_ECHOREPLY)
		slot = 1;
	else
		return;
	k = &f->kept[slot];
	if (k->used && (slot == 1 || !k->p.delivered || p->delivered))
		return;
	k->used = 1;
	k->n = n;
	k->p = *p;
	k->p.nevents = p->nevents < STREAM_MAX_EVENTS ? p->nevents : STREAM_MAX_EVENTS;
	for (int i = 0; i < k->p.nevents; i++) {
		k->ev[i] = ev[p->events[i]];
		k->idx[i] = i;
	}
	k->p.events = k->idx;
}

void feed_emit_packet(void *ctx, const struct nstrace_event *ev, const struct packet *p)
{
	struct feed *f = ctx;
	struct observed o;
	int n = ++f->npackets;
	long first = f->event_ids;

	feed_observed(f, &o, NULL);
	o.ev = ev;
	o.nev = p->nevents;
	if (f->tx.f && !f->tx.quiet)
		print_packet(&f->tx, &o, p, n);
	for (int j = 0; j < p->nevents; j++) {
		if (f->json)
			json_event(f->json, &o, &ev[p->events[j]], n, f->event_ids++);
		if (f->pcap)
			pcapng_event(f->pcap, &o, &ev[p->events[j]], n);
	}
	if (f->json)
		json_packet(f->json, &o, p, n, first);
	tally_packet(&f->tally, f->topo, ev, p, f->nm);
	keep_for_dot(f, ev, p, n);
}

void feed_learn_live(struct feed *f, const struct nstrace_event *e)
{
	struct observed o;

	feed_observed(f, &o, NULL);
	if (f->json)
		json_event(f->json, &o, e, 0, f->event_ids++);
	if (f->tx.f && f->tx.explain && !f->tx.quiet)
		explain_learn_line(&f->tx, &o, e, f->base_ns);
	f->tally.events++;
}

static void summary_line(struct feed *f, uint64_t lost)
{
	char line[1024], reason[64];
	int flows, off;
	long requests, answered;

	tally_totals(&f->tally, &flows, &requests, &answered);
	off = snprintf(line, sizeof(line), "%d flow%s, %ld echo request%s (%ld answered, %ld unanswered", flows,
		       flows == 1 ? "" : "s", requests, requests == 1 ? "" : "s", answered, requests - answered);
	if (f->tally.in_flight)
		off += snprintf(line + off, sizeof(line) - off, ", %ld in flight at the end", f->tally.in_flight);
	off += snprintf(line + off, sizeof(line) - off, "), drops:");
	for (int i = 0; i < f->tally.nreasons && off < (int)sizeof(line); i++)
		off += snprintf(line + off, sizeof(line) - off, "%s %s \u00d7%ld%s", i ? "," : "",
				drop_reason_str(f->nm, f->tally.reasons[i].reason, reason, sizeof(reason)),
				f->tally.reasons[i].count, f->tally.reasons[i].benign ? " (benign)" : "");
	if (!f->tally.nreasons && off < (int)sizeof(line))
		off += snprintf(line + off, sizeof(line) - off, " none");
	if (off < (int)sizeof(line))
		off += snprintf(line + off, sizeof(line) - off, ", %ld events, %llu lost", f->tally.events,
				(unsigned long long)lost);
	if (lost && off < (int)sizeof(line))
		snprintf(line + off, sizeof(line) - off,
			 " (ring buffer full: packets may miss hops; watch one bridge or namespace with --bridge/--netns)");
	tx_wrap(&f->tx, "summary: ", "  ", line);
}

/* Each flow that lost requests, judged on the packets kept for its pair of addresses. */
static int passive_verdicts(struct feed *f, struct verdict *first)
{
	int verdicts = 0;

	for (int i = 0; i < f->tally.nflows; i++) {
		struct nstrace_event *ev = NULL;
		struct packet_list pl = {};
		struct observed o;
		struct flow fl;
		int n, v;

		if (tally_flow(&f->tally, i, &fl) || fl.received >= fl.sent)
			continue;
		n = tally_evidence(&f->tally, i, &ev);
		if (n < 0 || path_group(ev, n < 0 ? 0 : n, &pl)) {
			free(ev);
			return -ENOMEM;
		}
		path_walk_all(f->topo, ev, &pl);
		feed_observed(f, &o, &pl);
		o.ev = ev;
		o.nev = n;
		v = feed_verdicts(f, &o, &fl, 1, verdicts ? NULL : first);
		feed_explain_audit(f, &o, &fl, 1);
		packet_list_free(&pl);
		free(ev);
		if (v < 0)
			return v;
		verdicts += v;
	}
	return verdicts;
}

static void passive_dot(struct feed *f)
{
	struct dot_path paths[2];
	struct observed o;
	char title[128];
	int n = 0;

	if (!f->dot || f->dot_done || !f->kept)
		return;
	f->dot_done = 1;
	feed_observed(f, &o, NULL);
	for (int i = 0; i < 2; i++)
		if (f->kept[i].used)
			paths[n++] = (struct dot_path){ f->kept[i].ev, &f->kept[i].p, f->kept[i].n, i ? "darkgreen" : "blue" };
	snprintf(title, sizeof(title), "nstrace %s --passive: %d packets seen", f->command ? f->command : "",
		 f->npackets);
	dot_write(f->dot, &o, title, paths, n);
}

static void passive_json_summary(struct feed *f, uint64_t lost, int verdicts, int exit_code)
{
	struct drop_tally drops[TALLY_MAX_REASONS];
	char names[TALLY_MAX_REASONS][64];
	struct flow_tally ft;

	if (!f->json)
		return;
	tally_totals(&f->tally, &ft.flows, &ft.requests, &ft.answered);
	ft.in_flight = f->tally.in_flight;
	for (int i = 0; i < f->tally.nreasons; i++)
		drops[i] = (struct drop_tally){
			drop_reason_str(f->nm, f->tally.reasons[i].reason, names[i], sizeof(names[i])),
			f->tally.reasons[i].count, f->tally.reasons[i].benign };
	json_summary(f->json, &(struct json_summary){
		.mode = "passive", .flows = &ft, .drops = drops, .ndrops = f->tally.nreasons, .events = f->tally.events,
		.packets = f->tally.packets, .lost = lost, .verdicts = verdicts, .exit_code = exit_code });
}

int feed_passive_end(struct feed *f, uint64_t lost, int exit_code, struct verdict *first)
{
	int verdicts;

	if (f->stream) {
		stream_flush(f->stream, 0, 1, feed_emit_packet, f);
		/* Events a packet had no room for are lost to the verdicts as surely as the ring's. */
		lost += (uint64_t)stream_dropped_events(f->stream);
		f->gaps.lost = lost;
	}
	/* A request sent just before the end may have its reply on the way: not unanswered. */
	tally_settle(&f->tally, f->last_ns, PASSIVE_IN_FLIGHT_NS);
	if (f->tx.f) {
		if (!f->tx.quiet)
			fprintf(f->tx.f, "\n");
		summary_line(f, lost);
	}
	verdicts = passive_verdicts(f, first);
	if (verdicts >= 0 && exit_code < 0)
		exit_code = verdicts ? 1 : 0;
	passive_dot(f);
	passive_json_summary(f, lost, verdicts < 0 ? 0 : verdicts, exit_code);
	f->exit_code = exit_code;
	return verdicts;
}
