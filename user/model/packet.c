// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "model/packet.h"

struct pkt_key pkt_key_of(const struct nstrace_event *e)
{
	struct pkt_key k;

	memset(&k, 0, sizeof(k));
	k.proto = e->proto;
	k.saddr = e->saddr;
	k.daddr = e->daddr;
	if (e->proto == NSTRACE_PROTO_ARP) {
		k.type = (uint8_t)e->arp_op;
	} else {
		k.type = e->icmp_type;
		k.id = e->icmp_id;
		k.seq = e->icmp_seq;
	}
	return k;
}

int pkt_key_equal(const struct pkt_key *a, const struct pkt_key *b)
{
	return a->proto == b->proto && a->type == b->type && a->saddr == b->saddr &&
	       a->daddr == b->daddr && a->id == b->id && a->seq == b->seq;
}

const char *ip_str(uint32_t addr_be, char *buf, int size)
{
	struct in_addr a = { addr_be };

	if (!inet_ntop(AF_INET, &a, buf, size))
		snprintf(buf, size, "?");
	return buf;
}

const char *mac_str(const uint8_t m[6], char *buf, int size)
{
	snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

const char *pkt_describe(const struct nstrace_event *e, char *buf, int size)
{
	char s[16], d[16];

	ip_str(e->saddr, s, sizeof(s));
	ip_str(e->daddr, d, sizeof(d));
	if (e->proto == NSTRACE_PROTO_ARP) {
		if (e->arp_op == NSTRACE_ARP_REQUEST)
			snprintf(buf, size, "ARP request who-has %s tell %s", d, s);
		else if (e->arp_op == NSTRACE_ARP_REPLY)
			snprintf(buf, size, "ARP reply %s is-at (to %s)", s, d);
		else
			snprintf(buf, size, "ARP op %u %s > %s", e->arp_op, s, d);
	} else if (e->icmp_type == NSTRACE_ICMP_ECHO || e->icmp_type == NSTRACE_ICMP_ECHOREPLY) {
		snprintf(buf, size, "ICMP echo %s %s > %s id 0x%04x seq %u",
			 e->icmp_type == NSTRACE_ICMP_ECHO ? "request" : "reply", s, d,
			 ntohs(e->icmp_id), ntohs(e->icmp_seq));
	} else {
		snprintf(buf, size, "ICMP type %u code %u %s > %s", e->icmp_type, e->icmp_code, s, d);
	}
	return buf;
}

const char *nf_hook_name(int hook)
{
	static const char *const names[] = { "PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING" };

	return hook >= 0 && hook < 5 ? names[hook] : "?";
}

