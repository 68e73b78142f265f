/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by the files of the feed (report/feed*.c); not for other users. */
#ifndef NSTRACE_REPORT_FEED_INTERNAL_H
#define NSTRACE_REPORT_FEED_INTERNAL_H

#include "analysis/diagnose.h"
#include "report/report.h"
#include "report/feed.h"

void feed_observed(const struct feed *f, struct observed *o, const struct packet_list *pl);
int feed_verdicts(struct feed *f, const struct observed *o, const struct flow *flows, int nflows,
		  struct verdict *first);
void feed_notes(struct feed *f, const struct evidence *e);
void feed_evidence(const struct feed *f, const struct observed *o, const struct flow *fl, struct evidence *e);
void feed_explain_audit(struct feed *f, const struct observed *o, const struct flow *flows, int nflows);

/* JSON, pcapng and the diagram of a whole trace (probe mode). */
void feed_json_trace(struct feed *f, const struct observed *o);
void feed_pcap_trace(struct feed *f, const struct observed *o);
void feed_dot_trace(struct feed *f, const struct observed *o, const struct flow *flows, int nflows);
void feed_json_summary(struct feed *f, const struct observed *o, int verdicts, int exit_code);

/* Passive mode: packets as they finish, learning events as they come, the summary at the end. */
void feed_emit_packet(void *ctx, const struct nstrace_event *ev, const struct packet *p);
void feed_learn_live(struct feed *f, const struct nstrace_event *e);
int feed_passive_end(struct feed *f, uint64_t lost, int exit_code, struct verdict *first);

#endif
