/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One trace, end to end, into the feed (report/feed.h) that makes every
 * output: the events the observers collected, the probe results, the state
 * audited after. run and trace share it.
 */
#ifndef NSTRACE_SESSION_TRACE_H
#define NSTRACE_SESSION_TRACE_H

#include "model/cidr.h"
#include "model/flow.h"
#include "model/netview.h"
#include "model/state.h"
#include "model/topo.h"
#include "model/verdict.h"
#include "observe/observers.h"
#include "report/feed.h"

/* What was traced: the topology and the namespaces that hold it. */
struct trace_target {
	const struct topo *topo;
	const struct ns_handle *ns;
	int nns;
	int nftrace;		/* let nftables' own trace name the rule (nstrace's labs; --nftrace elsewhere) */
	int partial;		/* only some of the topology's links observed (--interface, --namespace) */
};

/* What the session read before the probes: the firewalls' counters, and nftables' trace if asked. */
struct trace_before;

/*
 * The firewalls' counters now, before the probes: with the counters after,
 * the report can name the rule that dropped them. With tg->nftrace, starts
 * nftables' own trace too (said on fd). NULL if nothing can be read.
 */
struct trace_before *session_before(struct feed *fd, const struct trace_target *tg);
void session_before_free(struct trace_before *before);

/*
 * Reads the links of every namespace of tg: names for any ifindex an event
 * may carry (lo, a link outside the topology), and what is there now for
 * each topology interface. 0 or -ENOMEM; a namespace that cannot be read
 * leaves its links unknown.
 */
int session_read_links(const struct trace_target *tg, struct netview *v);
void session_netview_free(struct netview *v);
/* The namespaces of tg as plain references (labels, how to enter), for the feed. */
struct ns_ref *session_refs(const struct trace_target *tg);

/*
 * After probes: keeps the events about the topology (o's collector is
 * filtered in place), feeds them, the probe result, and the state
 * audited now, then ends the trace (report, verdicts). flows NULL: derived
 * from the echo requests seen. exit_code: the command's, or -1 to let the
 * verdicts decide. Returns the number of verdicts, or -errno.
 */
int session_report(struct feed *fd, struct observers *o, const struct trace_target *tg,
		   const struct flow *flows, int nflows, const struct probe_summary *sum,
		   struct trace_before *before, int exit_code, struct verdict *first);
/*
 * Passive mode: watches for duration_ms (0: until stopped), printing packets
 * as they finish, then the summary and verdicts. Returns the exit code.
 */
int session_passive(struct feed *fd, struct observers *o, const struct trace_target *tg,
		    struct trace_before *before, int duration_ms);
/* Keeps FDB and neighbour events about the topology (its bridge's ports, addresses in its subnets). */
int session_learn_relevant(const struct topo *t, const struct nstrace_event *e);

#endif
