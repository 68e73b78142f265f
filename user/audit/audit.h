/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Reads, in every namespace of a trace, the state that decides whether ARP
 * and ICMP cross it, into model facts (model/state.h): links and their
 * bridge-port and bridge options, addresses, neighbours, FDB entries, the
 * route lookups the probes' packets make, the sysctls, tc programs, and
 * the firewalls of every family and backend. Read-only: it never creates a
 * table and never makes the kernel load a module.
 */
#ifndef NSTRACE_AUDIT_AUDIT_H
#define NSTRACE_AUDIT_AUDIT_H

#include "model/state.h"
#include "model/topo.h"

#define AUDIT_MAX_LOOKUPS 8
#define AUDIT_MAX_FLOWS 8

/* A route lookup to make: in namespace ns_ino, as a packet src -> dst arriving on iif (0: sent). */
struct audit_lookup {
	uint32_t ns_ino;
	struct in_addr src, dst;
	int iif;
};

/* A probe flow whose packets' route lookups the audit makes, hop by hop. */
struct audit_flow {
	int src;		/* topo index of the sending interface */
	struct in_addr dst;
};

struct audit_request {
	const struct ns_handle *ns;
	int nns;
	const struct topo *topo;
	struct audit_flow flows[AUDIT_MAX_FLOWS];
	int nflows;
	/* Filled by the audit from the flows: the lookups it made. */
	struct audit_lookup lookups[AUDIT_MAX_LOOKUPS * AUDIT_MAX_FLOWS];
	int nlookups;
};

/*
 * A new state for the request's namespaces and topology, every fact read;
 * reads that fail are recorded (the *_known facts), not returned. NULL only
 * when memory runs out. Free with audit_free.
 */
struct state *audit_read(struct audit_request *rq);
void audit_free(struct state *st);
/* Only the firewall facts, with their counters now: a snapshot to take before the probes. */
struct state *audit_firewall(const struct audit_request *rq);
/* Each rule's and policy's counter in before becomes after's *_before (matched by chain and handle). */
void audit_merge_counters(const struct state *before, struct state *after);

/*
 * nftables' own trace, in every namespace whose nft chains (in before) can
 * drop: owner tables that vanish with nstrace. NULL if there is nothing to
 * trace; *tables says how many were added, for the user to be told.
 */
struct audit_nftrace *audit_nftrace_start(const struct audit_request *rq, const struct state *before, int *tables);
/* The drops it reported so far, as facts of st. */
void audit_nftrace_collect(struct audit_nftrace *a, struct state *st);
void audit_nftrace_stop(struct audit_nftrace *a);

#endif
