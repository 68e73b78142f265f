/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Canned inputs shared by the unit tests: the lab topology (the shape
 * lab_topology() builds) and packets as the probes would report them.
 * Header-only: every .c file in tests/unit is a test binary of its own.
 */
#ifndef NSTRACE_TEST_CANNED_H
#define NSTRACE_TEST_CANNED_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "model/packet.h"
#include "model/topo.h"
#include "model/verdict.h"
#include "report/verdict.h"

/* Topology indices: br0, then per namespace K its port veth-brK and endpoint veth-nsK. */
#define HOST_INO 100
#define BR 0
#define BR_IFINDEX 3
#define PORT(k) (2 * (k) - 1)
#define END(k) (2 * (k))

#define ICMP_ID 0x1234

#define MS 1000000ull
#define IN NSTRACE_DIR_INGRESS
#define EG NSTRACE_DIR_EGRESS

/*
 * Like lab_topology(): fill ifs[0 .. 2 * nns] with br0 (ifindex br_ifindex),
 * then per namespace K its port veth-brK and endpoint veth-nsK. Only those
 * entries are written, so a caller may keep a guard entry around the array.
 */
static inline struct topo canned_lab(struct topo_if *ifs, int nns, int br_ifindex)
{
	struct topo t = { ifs, 1 + 2 * nns };
	struct topo_if *br = &ifs[BR];

	memset(ifs, 0, sizeof(*ifs) * t.n);
	br->netns_ino = HOST_INO;
	br->ifindex = br_ifindex;
	snprintf(br->name, sizeof(br->name), "br0");
	snprintf(br->ns_label, sizeof(br->ns_label), "host");
	br->role = TOPO_BRIDGE;
	br->peer = br->master = -1;
	br->addr.s_addr = inet_addr("10.200.0.254");
	br->prefixlen = 24;
	for (int k = 1; k <= nns; k++) {
		struct topo_if *port = &ifs[PORT(k)], *end = &ifs[END(k)];
		char addr[16];

		port->netns_ino = HOST_INO;
		port->ifindex = 10 + k;
		snprintf(port->name, sizeof(port->name), "veth-br%d", k);
		snprintf(port->ns_label, sizeof(port->ns_label), "host");
		port->role = TOPO_PORT;
		port->peer = END(k);
		port->master = BR;
		end->netns_ino = HOST_INO + k;
		end->ifindex = 2;
		snprintf(end->name, sizeof(end->name), "veth-ns%d", k);
		snprintf(end->ns_label, sizeof(end->ns_label), "ns%d", k);
		end->role = TOPO_ENDPOINT;
		end->peer = PORT(k);
		end->master = -1;
		snprintf(addr, sizeof(addr), "10.200.0.%d", k);
		end->addr.s_addr = inet_addr(addr);
		end->prefixlen = 24;
		end->mac[0] = 0x02;
		end->mac[5] = k;
	}
	return t;
}

/* An ICMP echo (request or reply) of id ICMP_ID. */
static inline struct nstrace_event echo(uint8_t type, const char *src, const char *dst,
					uint16_t seq)
{
	struct nstrace_event e;

	memset(&e, 0, sizeof(e));
	e.proto = NSTRACE_PROTO_ICMP;
	e.icmp_type = type;
	e.saddr = inet_addr(src);
	e.daddr = inet_addr(dst);
	e.icmp_id = htons(ICMP_ID);
	e.icmp_seq = htons(seq);
	e.len = 84;
	return e;
}

/* An ARP packet of operation op. */
static inline struct nstrace_event arp(uint16_t op, const char *sender, const char *target)
{
	struct nstrace_event e;

	memset(&e, 0, sizeof(e));
	e.proto = NSTRACE_PROTO_ARP;
	e.arp_op = op;
	e.saddr = inet_addr(sender);
	e.daddr = inet_addr(target);
	e.len = 28;
	return e;
}

/* The packet pkt seen by tc on topology interface idx. */
static inline struct nstrace_event tc(const struct topo *t, struct nstrace_event pkt, int idx,
				      int dir, uint64_t ts)
{
	pkt.source = NSTRACE_SRC_TC;
	pkt.dir = dir;
	pkt.ts_ns = ts;
	pkt.netns_ino = t->ifs[idx].netns_ino;
	pkt.ifindex = t->ifs[idx].ifindex;
	pkt.skb = 0xffff888000000000ull + (uint64_t)pkt.netns_ino * 0x100;
	return pkt;
}

/*
 * Fix i of v as one line, its steps joined by "; " as a user would paste
 * them; rotating buffers, so two may be compared in one expression.
 */
static inline const char *fix_text(const struct verdict *v, int i)
{
	static char bufs[4][4096];
	static int next;
	char *buf = bufs[next++ % 4], step[2048];
	int off = 0;

	buf[0] = '\0';
	if (i < 0 || i >= v->nfix)
		return NULL;
	for (int s = 0; s < v->fix[i].nsteps; s++)
		off += snprintf(buf + off, sizeof(bufs[0]) - off, "%s%s", s ? "; " : "",
				command_str(&v->fix[i].step[s], step, sizeof(step)) ? step : "(too long)");
	return buf;
}

#endif
