/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --explain: what the events of a trace show, in words a learner can follow
 * (a veth pair is a cable, a broadcast is flooded, a bridge learns, a
 * neighbour entry resolves, br_netfilter diverts, a hook drops), each
 * sentence built from events and state facts, never from a script; then the
 * commands that build the same topology by hand. Pure.
 */
#ifndef NSTRACE_REPORT_EXPLAIN_H
#define NSTRACE_REPORT_EXPLAIN_H

#include "model/state.h"
#include "report/report.h"

/* The narration of a whole trace (probe mode); ns/links: the state read after it (may be NULL). */
void explain_narrate(struct textout *tx, const struct observed *o, const struct ns_state *ns, int nns,
		     const struct link_state *links);
/* One FDB or neighbour event as a sentence (passive mode prints them as they come); times from base. */
void explain_learn_line(struct textout *tx, const struct observed *o, const struct nstrace_event *e, uint64_t base);
/* "REACHABLE", "INCOMPLETE", "NONE": a neighbour state (NUD_*). */
const char *nud_name(int state);

#endif
