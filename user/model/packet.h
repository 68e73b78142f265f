/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What an event says about its packet: identity across hops, and the words
 * for it. Pure, unit-tested on recorded events.
 */
#ifndef NSTRACE_MODEL_PACKET_H
#define NSTRACE_MODEL_PACKET_H

#include <stdint.h>
#include "nstrace/event.h"

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
/* "destination unreachable (host unreachable)": the RFC's words for an ICMP type and code. */
const char *icmp_name(int type, int code, char *buf, int size);
/* The ARP sender's hardware address as the frame carries it. */
const uint8_t *arp_sender_mac(const struct nstrace_event *e);
const char *mac_str(const uint8_t mac[6], char *buf, int size);
const char *ip_str(uint32_t addr_be, char *buf, int size);
const char *nf_hook_name(int hook);

#endif
