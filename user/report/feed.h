/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one way every output is made. A session (live) or a record (replayed
 * by 'nstrace report') feeds what happened, in order: text it printed, the
 * topology, then per trace its events, probe results and the state read.
 * The feed records it (--record), and renders the text, JSON Lines, pcapng
 * and the diagram. It lives in report/, a pure layer (tests/layers.sh): it
 * never touches the kernel or opens a file, so a replay needs neither root
 * nor a kernel and prints exactly what the session did.
 */
#ifndef NSTRACE_REPORT_FEED_H
#define NSTRACE_REPORT_FEED_H

#include <stdio.h>
#include "analysis/diagnose.h"
#include "analysis/stream.h"
#include "analysis/tally.h"
#include "model/state.h"
#include "model/verdict.h"
#include "report/pcapng.h"
#include "report/record.h"
#include "report/text.h"

/* Events of one trace, kept until it ends (probe mode). */
struct evbuf {
	struct nstrace_event *ev;
	int n, cap;
};

/* A packet kept for the diagram in passive mode, where packets are released once printed. */
struct kept_path {
	struct nstrace_event ev[STREAM_MAX_EVENTS];
	int idx[STREAM_MAX_EVENTS];
	struct packet p;
	int n, used;
};

struct feed {
	/* Sinks: set by the caller, NULL when off. */
	struct textout tx;
	FILE *json;
	struct pcapng *pcap;
	FILE *dot;			/* the first trace's diagram */
	struct recorder *rec;
	const char *command;		/* "run", "trace", for titles */
	int64_t clock_offset_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC of the traced machine */

	/* What is traced: the last feed_topology(); the caller keeps it alive. */
	const struct topo *topo;
	const struct ns_ref *nss;
	int nns;
	const struct netview *net;

	/* The trace in progress. */
	int in_trace, passive;
	const struct namer *nm;
	struct evbuf ev, learn;
	struct probe_summary sum;
	int has_sum;
	struct flow *flows;
	int nflows;
	struct state *st;		/* the state read after the trace (a copy the feed owns) */
	struct evidence_gaps gaps;	/* what the observers could not see (lost: at the end) */
	struct stream *stream;		/* passive mode */
	struct tally tally;
	struct kept_path *kept;		/* passive mode: two packets for the diagram */
	int npackets;
	long event_ids;
	uint64_t base_ns;		/* the trace's first event: passive times are said from it */
	uint64_t last_ns;		/* its latest event: where a passive watch ended */
	int dot_done, traces;
	int exit_code;
};

/*
 * Text lines: FEED_HEADER ones are left out by --quiet, FEED_ALWAYS ones
 * never. FEED_VERBATIM (or'd in): never wrapped, for commands to be pasted.
 */
enum { FEED_HEADER = 0, FEED_ALWAYS = 1, FEED_VERBATIM = 2 };

void feed_init(struct feed *f);
/* The session starts: JSON's first line (the record has it in its META). */
void feed_start(struct feed *f, const char *command, const char *version, const char *kernel);
/* Text the session prints between traces (one or more whole lines). */
void feed_say(struct feed *f, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void feed_topology(struct feed *f, const struct topo *t, const struct ns_ref *nss, int nns,
		   const struct netview *net);
/*
 * A trace starts: nm names its drops (the kernel's names live, the file's
 * replayed); gaps (NULL: none) say what its observers cannot see.
 */
int feed_trace_begin(struct feed *f, int passive, const struct namer *nm, const struct evidence_gaps *gaps);
/* Events as the ring buffer gave them (passive mode prints packets as they finish, at ticks). */
int feed_events(struct feed *f, const struct nstrace_event *ev, int n);
/* Passive mode's clock: prints the packets finished by now_ns. */
void feed_tick(struct feed *f, uint64_t now_ns);
/* The probes' result (NULL in passive mode) and the flows to judge (NULL: derived from the events). */
void feed_summary(struct feed *f, const struct probe_summary *sum, const struct flow *flows, int nflows);
/*
 * The flows the trace's end will judge, for the audit to look up their
 * routes: the probes' flows, or in passive mode every flow seen (what is
 * still waiting in the stream is printed first). Returns how many, <= max.
 */
int feed_flows(struct feed *f, struct flow *out, int max);
/* The state read after the trace, the facts the verdicts are judged on (copied). */
int feed_state(struct feed *f, const struct state *st);
/*
 * The trace ends: the report, notes and verdicts. exit_code < 0: the feed
 * decides (passive: 1 when a verdict was given). Returns the number of
 * verdicts (the first in *first when given), or -errno.
 */
int feed_trace_end(struct feed *f, uint64_t lost, int exit_code, struct verdict *first);
void feed_exit(struct feed *f, int exit_code);
void feed_free(struct feed *f);

#endif
