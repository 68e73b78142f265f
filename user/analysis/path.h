/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Path reconstruction (pure): group events into packets, then walk the
 * topology (veth peers, bridge ports) from the packet's origin, marking each
 * hop as observed by an event or inferred from netlink facts.
 */
#ifndef NSTRACE_ANALYSIS_PATH_H
#define NSTRACE_ANALYSIS_PATH_H

#include "model/packet.h"
#include "model/topo.h"

#define PATH_MAX_HOPS 32
/* Observations of one key further apart than this are separate packets (ARP retries). */
#define PATH_SPLIT_GAP_NS 400000000ull

enum hop_evidence {
	HOP_OBSERVED = 1,	/* a tc event on this interface, or at ingress of its veth peer (a cable) */
	HOP_INFERRED,		/* bridge hop from port membership, or a veth end between observed hops */
};

struct hop {
	int ifidx;		/* index into topo */
	int evidence;		/* enum hop_evidence */
	int ingress_seen, egress_seen;
	uint64_t ts_ns;		/* first observation, 0 if inferred */
};

struct packet {
	struct pkt_key key;
	int *events;		/* indices into the event array, by time */
	int nevents, cap;
	uint64_t first_ns, last_ns;
	struct hop hops[PATH_MAX_HOPS];
	int nhops;
	int delivered;		/* reached the interface that owns the destination address */
	int origin_known;	/* the walk started at the sender's own interface */
	int flooded;		/* other bridge ports also sent it out */
};

struct packet_list {
	struct packet *pkts;
	int n;
};

/* Groups events (any order) into packets ordered by first observation. */
int path_group(const struct nstrace_event *ev, int nev, struct packet_list *out);
/* Walks the topology for each packet, filling hops and delivered. */
void path_walk_all(const struct topo *t, const struct nstrace_event *ev, struct packet_list *pl);
void path_walk(const struct topo *t, const struct nstrace_event *ev, struct packet *p);
void packet_list_free(struct packet_list *pl);

/* "NS1 (veth-ns1) → veth-br1 → br0* → veth-br2 → veth-ns2 (NS2)"; * marks inferred hops. */
const char *path_str(const struct topo *t, const struct packet *p, char *buf, int size);
/* The last observed hop, -1 if none. */
int path_last_observed(const struct packet *p);

#endif
