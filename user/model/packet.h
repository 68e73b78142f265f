/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Pure decoding: what an event says, which packet it belongs to, and the
 * topology facts (from netlink) that give interfaces their names. No kernel
 * I/O here, so it is unit-tested on recorded events.
 */
#ifndef NSTRACE_DECODE_H
#define NSTRACE_DECODE_H

#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>
#include "nstrace/event.h"

enum topo_role {
	TOPO_OTHER = 0,
	TOPO_ENDPOINT,	/* the interface of an endpoint namespace ("container") */
	TOPO_PORT,	/* a bridge port */
	TOPO_BRIDGE,
};

struct topo_if {
	uint32_t netns_ino;
	int ifindex;
	char name[IFNAMSIZ];
	char ns_label[48];	/* "ns1", "host", a namespace name or "pid 1234" */
	int role;		/* enum topo_role */
	int peer;		/* index of the veth peer, -1 */
	int master;		/* index of the bridge, -1 */
	struct in_addr addr;	/* first IPv4 address, 0 if none */
	int prefixlen;
	uint8_t mac[6];
};

struct topo {
	struct topo_if *ifs;
	int n;
};

int topo_find(const struct topo *t, uint32_t netns_ino, int ifindex);
/* The endpoint or bridge interface that owns addr, -1 if none. */
int topo_find_addr(const struct topo *t, struct in_addr addr);

/* Kernel names, resolved by the caller (ksyms) or canned in tests. */
struct namer {
	const char *(*reason)(const void *ctx, uint32_t reason);
	const char *(*symbol)(const void *ctx, uint64_t addr, char *buf, int size);
	const void *ctx;
};

/* Identity of a packet as it crosses hops: what it says, not which skb carries it. */
struct pkt_key {
	uint8_t proto;
	uint8_t type;		/* ICMP type, or ARP op */
	uint32_t saddr, daddr;	/* network order */
	uint16_t id, seq;	/* ICMP echo, network order; 0 for ARP */
};

struct pkt_key pkt_key_of(const struct nstrace_event *e);
int pkt_key_equal(const struct pkt_key *a, const struct pkt_key *b);

/* "ARP request who-has 10.200.0.2 tell 10.200.0.1" and the like. */
const char *pkt_describe(const struct nstrace_event *e, char *buf, int size);
const char *mac_str(const uint8_t mac[6], char *buf, int size);
const char *ip_str(uint32_t addr_be, char *buf, int size);
const char *nf_hook_name(int hook);
/* Short name of the drop reason, "reason 77" if the namer does not know it. */
const char *drop_reason_str(const struct namer *nm, uint32_t reason, char *buf, int size);
/* The function that freed the skb, without the +offset. */
const char *drop_location_func(const struct namer *nm, uint64_t addr, char *buf, int size);


/*
 * Why a drop is not the packet's fate (e.g. an echo reply freed by ping_rcv
 * with NO_SOCKET after a raw socket took its copy), or NULL if it matters.
 */
const char *drop_benign_why(const struct nstrace_event *e, const struct namer *nm);

#endif
