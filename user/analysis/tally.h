/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What passive mode keeps once a packet is printed and released: per echo
 * flow the requests and how many were answered, drops by reason, and the
 * last few packets between each pair of addresses as evidence for a verdict
 * at the end. Bounded: a day of traffic costs the same memory as a minute.
 * Pure.
 */
#ifndef NSTRACE_ANALYSIS_TALLY_H
#define NSTRACE_ANALYSIS_TALLY_H

#include "analysis/path.h"
#include "model/flow.h"
#include "model/names.h"

#define TALLY_MAX_FLOWS 4096	/* (source, destination, id); more are counted, not kept */
#define TALLY_MAX_PAIRS 1024	/* address pairs with evidence kept */
#define TALLY_PAIR_PACKETS 8	/* packets kept per pair */
#define TALLY_PACKET_EVENTS 32	/* events kept per packet */
#define TALLY_MAX_REASONS 64
#define TALLY_PENDING 64	/* echo requests per flow awaiting their reply */

struct tally_reason {
	uint32_t reason;
	int benign;
	long count;
};

struct tally {
	struct tally_flow *flows;
	int nflows;
	long untracked_requests;	/* from flows past TALLY_MAX_FLOWS */
	struct tally_pair **pairs;
	int npairs;
	struct tally_reason reasons[TALLY_MAX_REASONS];
	int nreasons;
	long packets, events;
	long in_flight;		/* requests too recent at the end to call unanswered */
};

void tally_init(struct tally *t);
void tally_free(struct tally *t);
/* Counts packet p (events ev[p->events[i]]) of topology topo. */
void tally_packet(struct tally *t, const struct topo *topo, const struct nstrace_event *ev,
		  const struct packet *p, const struct namer *nm);
/*
 * At the end of a watch: requests sent less than window_ns before end_ns and
 * still unanswered were in flight, not lost; they leave the counts (in_flight).
 */
void tally_settle(struct tally *t, uint64_t end_ns, uint64_t window_ns);
/* Flows seen, echo requests and how many were answered. */
void tally_totals(const struct tally *t, int *flows, long *requests, long *answered);
/* Flow i as a struct flow (sent = requests seen, received = answered); -1 past the end. */
int tally_flow(const struct tally *t, int i, struct flow *out);
/*
 * The events kept for flow i's address pair, by time, in a new array (free
 * it): the evidence its verdict is judged on. Returns the count or -errno.
 */
int tally_evidence(const struct tally *t, int i, struct nstrace_event **out);

#endif
