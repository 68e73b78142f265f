/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Observers on a set of links, the drop tracer, the ring buffer drained
 * while probes run, and the kernel's names for what they saw.
 */
#ifndef NSTRACE_OBSERVE_OBSERVERS_H
#define NSTRACE_OBSERVE_OBSERVERS_H

#include <signal.h>
#include "kernel/ksyms.h"
#include "model/cidr.h"
#include "model/flow.h"
#include "model/names.h"
#include "observe/collect.h"
#include "observe/learn.h"
#include "observe/probes.h"
#include "observe/traffic.h"

struct observe_link {
	int netns_fd;
	uint32_t netns_ino;
	int ifindex;
};

/* Netfilter hooks to observe in one namespace: bit n = NF_INET hook n. */
struct observe_nf {
	int netns_fd;
	unsigned int hooks;
};
#define OBSERVE_NF_BRIDGE_HOOKS ((1u << 0) | (1u << 2) | (1u << 4))	/* PRE, FORWARD, POST */
#define OBSERVE_NF_ENDPOINT_HOOKS ((1u << 1) | (1u << 3))		/* INPUT, OUTPUT */

struct observers {
	struct probes probes;
	struct learn learn;	/* FDB and neighbour observers, sharing the ring buffer */
	struct collector col;
	struct kernel_names names;
	struct namer namer;
	int ntc_links;
	int nf_hooks;		/* namespaces with netfilter observers */
	uint64_t lost;		/* ring buffer full, read before the programs go */
	const volatile sig_atomic_t *stop;	/* set by a signal: cut waits short */
};

/*
 * Loads names and programs, watches the namespaces, attaches to every link
 * and to the netfilter hooks asked for. On links that are not ours, a clsact
 * fallback never removes a qdisc (someone may have added filters to it).
 */
int observers_start(struct observers *o, const struct observe_link *links, int nlinks,
		    const struct observe_nf *nf, int nnf, int links_are_ours,
		    const volatile sig_atomic_t *stop, char *msg, int msglen);
/* "tcx" or "clsact": how the tc observers were attached. */
const char *observers_tc_mode(const struct observers *o);
/*
 * Sends count probes from src_netns_fd to dst every interval_ms, draining
 * events meanwhile, then waits for late replies. Stops early on a signal.
 */
int observers_probe(struct observers *o, int src_netns_fd, int src_ifindex, struct in_addr dst,
		    int count, int interval_ms, struct probe_summary *sum);
/* Watches for duration_ms (0: until stopped), draining events. */
void observers_watch(struct observers *o, int duration_ms);
/* Detaches observers (events already read stay in o->col). */
void observers_stop(struct observers *o);
void observers_free(struct observers *o);
/* Keeps this id's ICMP, and ARP about subnet (any ARP if subnet is NULL). */
void observers_filter_icmp_id(struct observers *o, uint16_t id, const struct cidr *subnet);

#endif
