/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A trace session: observers on a set of links, the drop tracer, the ring
 * buffer drained while probes run, and the kernel's names for what it saw.
 */
#ifndef NSTRACE_SESSION_H
#define NSTRACE_SESSION_H

#include "cidr.h"
#include "collect.h"
#include "decode.h"
#include "ksyms.h"
#include "probes.h"
#include "traffic.h"
#include "output.h"

struct session_link {
	int netns_fd;
	uint32_t netns_ino;
	int ifindex;
};

/* Netfilter hooks to observe in one namespace: bit n = NF_INET hook n. */
struct session_nf {
	int netns_fd;
	unsigned int hooks;
};
#define SESSION_NF_BRIDGE_HOOKS ((1u << 0) | (1u << 2) | (1u << 4))	/* PRE, FORWARD, POST */
#define SESSION_NF_ENDPOINT_HOOKS ((1u << 1) | (1u << 3))		/* INPUT, OUTPUT */

struct session {
	struct probes probes;
	struct collector col;
	struct kernel_names names;
	struct namer namer;
	int ntc_links;
	int nf_hooks;	/* namespaces with netfilter observers */
};

/*
 * Loads names and programs, watches the namespaces, attaches to every link
 * and to the netfilter hooks asked for. On links that are not ours, a clsact
 * fallback never removes a qdisc (someone may have added filters to it).
 */
int session_start(struct session *s, const struct session_link *links, int nlinks,
		  const struct session_nf *nf, int nnf, int links_are_ours, char *msg, int msglen);
/*
 * Sends count probes from src_netns_fd to dst every interval_ms, draining
 * events meanwhile, then waits for late replies. Stops early on a signal.
 */
int session_probe(struct session *s, int src_netns_fd, int src_ifindex, struct in_addr dst,
		  int count, int interval_ms, struct probe_summary *sum);
/* Detaches observers (events already read stay in s->col). */
void session_stop(struct session *s);
void session_free(struct session *s);
/* Keeps this id's ICMP, and ARP about subnet (any ARP if subnet is NULL). */
void session_filter_icmp_id(struct session *s, uint16_t id, const struct cidr *subnet);

#endif
