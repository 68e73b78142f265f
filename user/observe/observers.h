/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Observers on a set of links, the drop tracer, the netfilter hook edges, the
 * ring buffer drained while probes run, and the kernel's names for what they
 * saw. Each feature degrades on its own where the kernel lacks it (or a user
 * forces the older path, see observe/features.h), and says what is missing.
 */
#ifndef NSTRACE_OBSERVE_OBSERVERS_H
#define NSTRACE_OBSERVE_OBSERVERS_H

#include <signal.h>
#include "kernel/ksyms.h"
#include "model/cidr.h"
#include "model/flow.h"
#include "model/names.h"
#include "observe/collect.h"
#include "observe/features.h"
#include "observe/filter.h"
#include "observe/learn.h"
#include "observe/probes.h"
#include "observe/stats.h"
#include "observe/tcobs.h"
#include "observe/traffic.h"

/* Netfilter hooks to observe in one namespace: bit n = NF_INET hook n. */
struct observe_nf {
	int netns_fd;
	unsigned int hooks;
};
#define OBSERVE_NF_BRIDGE_HOOKS ((1u << 0) | (1u << 2) | (1u << 4))	/* PRE, FORWARD, POST */
#define OBSERVE_NF_ENDPOINT_HOOKS ((1u << 1) | (1u << 3))		/* INPUT, OUTPUT */

enum observe_attach {
	OBSERVE_ATTACH_TCX = 0,		/* tcx links, clsact where the kernel has none (< 6.6) */
	OBSERVE_ATTACH_CLSACT,		/* clsact filters */
};

/* How to observe: run and trace set these from their options. */
struct observe_opts {
	unsigned int tc_dirs;		/* TC_INGRESS | TC_EGRESS (0: both) */
	int nf_on_demand;		/* netfilter observers only while ICMP is seen (passive) */
	int links_are_ours;		/* else clsact never removes a qdisc */
	int attach;			/* enum observe_attach */
	int stats;			/* --stats: BPF_ENABLE_STATS while observing */
	unsigned int buffer_kb;		/* ring buffer size (0: OBSERVE_BUFFER_KB) */
	struct observe_filter filter;
};
#define OBSERVE_BUFFER_KB 4096
#define OBSERVE_MAX_NOTES 4
#define OBSERVE_NOTE_MAX 240
#define OBSERVE_MAX_STATS 8

struct observers {
	struct probes probes;
	struct tc_observers tc;
	struct learn learn;	/* FDB and neighbour observers, sharing the ring buffer */
	struct collector col;
	struct kernel_names names;
	struct namer namer;
	struct observe_features feat;
	struct observe_opts opts;
	const struct observe_nf *nf;	/* the caller's, kept for on-demand arming */
	int nnf;
	int ntc_links;
	/*
	 * What evidence this trace has, for the diagnosis: have_nf, netfilter
	 * hook edges in at least one namespace (nf_on_demand: from the first
	 * ICMP packet on); nf_skipped, hooks asked for that could not be
	 * observed; have_reasons, drops carry the kernel's reason.
	 */
	int have_nf, nf_skipped, have_reasons;
	int nf_hooks;			/* namespaces with every netfilter observer asked for */
	int nf_armed, nf_wanted;	/* on demand: attached now / ICMP seen since */
	int nf_warned;			/* skipped hooks are said once, not at every arming */
	uint64_t nf_last_icmp_ns;
	uint64_t ready_ns;		/* every hook attached: events from before are partial */
	int stats_on, stats_fd;		/* --stats: counting (fd -1 if the kernel refused) */
	struct prog_stat stats[OBSERVE_MAX_STATS];
	int nstats;
	uint64_t lost;			/* ring buffer full, read before the programs go */
	char notes[OBSERVE_MAX_NOTES][OBSERVE_NOTE_MAX];	/* "missing X: you lose Y" */
	int nnotes;
	const volatile sig_atomic_t *stop;	/* set by a signal: cut waits short */
};

/*
 * Loads the programs, watches the namespaces of the links, attaches to every
 * link and to the netfilter hooks asked for (or arms those on demand).
 * Features the kernel lacks are skipped, with a note; the call fails only
 * when nothing can be traced.
 */
int observers_start(struct observers *o, const struct observe_link *links, int nlinks,
		    const struct observe_nf *nf, int nnf, const struct observe_opts *opts,
		    const volatile sig_atomic_t *stop, char *msg, int msglen);
/* "tcx ingress+egress on 5 links, tp_btf/kfree_skb, netfilter hooks in 3 namespaces" */
const char *observers_describe(const struct observers *o, char *buf, int size);
/* "tcx" or "clsact": how the tc observers were attached. */
const char *observers_tc_mode(const struct observers *o);
/*
 * Sends count probes with this id from src_netns_fd to dst every interval_ms,
 * draining events meanwhile, then waits for late replies as long as the
 * measured round trips justify. Stops early on a signal.
 */
int observers_probe(struct observers *o, int src_netns_fd, int src_ifindex, struct in_addr dst,
		    uint16_t id, const struct probe_params *pp, struct probe_summary *sum);
/* An id for our probes, to tell them from anyone else's pings (and to filter on). */
uint16_t observers_probe_id(void);
/* On demand: arms the netfilter observers once ICMP is seen, disarms them after a quiet while. */
void observers_nf_tick(struct observers *o);
/* Detaches observers (events, lost count and --stats figures stay). */
void observers_stop(struct observers *o);
void observers_free(struct observers *o);
/* Keeps this id's ICMP, and ARP about subnet (any ARP if subnet is NULL). */
void observers_filter_icmp_id(struct observers *o, uint16_t id, const struct cidr *subnet);

#endif
