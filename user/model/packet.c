// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "decode.h"

int topo_find(const struct topo *t, uint32_t netns_ino, int ifindex)
{
	for (int i = 0; i < t->n; i++)
		if (t->ifs[i].netns_ino == netns_ino && t->ifs[i].ifindex == ifindex)
			return i;
	return -1;
}

int topo_find_addr(const struct topo *t, struct in_addr addr)
{
	for (int i = 0; i < t->n; i++)
		if (t->ifs[i].addr.s_addr && t->ifs[i].addr.s_addr == addr.s_addr &&
		    (t->ifs[i].role == TOPO_ENDPOINT || t->ifs[i].role == TOPO_BRIDGE))
			return i;
	return -1;
}

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

const char *drop_reason_str(const struct namer *nm, uint32_t reason, char *buf, int size)
{
	const char *name = nm && nm->reason ? nm->reason(nm->ctx, reason) : NULL;

	if (name)
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "reason %u", reason);
	return buf;
}

const char *drop_location_func(const struct namer *nm, uint64_t addr, char *buf, int size)
{
	char *plus;

	if (!nm || !nm->symbol) {
		snprintf(buf, size, "0x%llx", (unsigned long long)addr);
		return buf;
	}
	nm->symbol(nm->ctx, addr, buf, size);
	plus = strchr(buf, '+');
	if (plus)
		*plus = '\0';
	return buf;
}

const char *drop_benign_why(const struct nstrace_event *e, const struct namer *nm)
{
	char reason[64], func[96];

	if (e->source != NSTRACE_SRC_DROP)
		return NULL;
	drop_reason_str(nm, e->drop_reason, reason, sizeof(reason));
	drop_location_func(nm, e->location, func, sizeof(func));
	if (e->proto == NSTRACE_PROTO_ICMP && e->icmp_type == NSTRACE_ICMP_ECHOREPLY &&
	    !strcmp(reason, "NO_SOCKET") && !strcmp(func, "ping_rcv"))
		return "no ping socket wanted the reply; raw sockets (ping, nstrace) received their copies before";
	return NULL;
}
