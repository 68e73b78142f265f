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

/* The ARP sender's hardware address: from the captured frame, else the Ethernet source. */
const uint8_t *arp_sender_mac(const struct nstrace_event *e)
{
	int off = e->frame_kind == NSTRACE_FRAME_ETH ? 14 : e->frame_kind == NSTRACE_FRAME_L3 ? 0 : -1;

	if (off >= 0 && e->caplen <= NSTRACE_FRAME_MAX && e->caplen >= off + 14)
		return &e->frame[off + 8];
	return e->smac;
}

/* RFC 792 and 1812 names; NULL for a code without one. */
static const char *unreach_code(int code)
{
	static const char *const names[] = {
		"net unreachable", "host unreachable", "protocol unreachable", "port unreachable",
		"fragmentation needed", "source route failed", "net unknown", "host unknown",
		"source host isolated", "net prohibited", "host prohibited", "net unreachable for TOS",
		"host unreachable for TOS", "communication administratively prohibited",
		"host precedence violation", "precedence cutoff",
	};

	return code >= 0 && code < (int)(sizeof(names) / sizeof(names[0])) ? names[code] : NULL;
}

const char *icmp_name(int type, int code, char *buf, int size)
{
	static const char *const redirect[] = { "for the net", "for the host", "for TOS and net", "for TOS and host" };
	static const char *const exceeded[] = { "TTL exceeded in transit", "fragment reassembly time exceeded" };
	const char *what = NULL, *detail = NULL;

	switch (type) {
	case 0: what = "echo reply"; break;
	case 3: what = "destination unreachable"; detail = unreach_code(code); break;
	case 4: what = "source quench"; break;
	case 5: what = "redirect"; detail = code >= 0 && code < 4 ? redirect[code] : NULL; break;
	case 8: what = "echo request"; break;
	case 9: what = "router advertisement"; break;
	case 10: what = "router solicitation"; break;
	case 11: what = "time exceeded"; detail = code >= 0 && code < 2 ? exceeded[code] : NULL; break;
	case 12: what = "parameter problem"; break;
	case 13: what = "timestamp"; break;
	case 14: what = "timestamp reply"; break;
	}
	if (!what)
		snprintf(buf, size, "type %d code %d", type, code);
	else if (detail)
		snprintf(buf, size, "%s (%s)", what, detail);
	else if (code && type != 0 && type != 8)
		snprintf(buf, size, "%s (code %d)", what, code);
	else
		snprintf(buf, size, "%s", what);
	return buf;
}

const char *pkt_describe(const struct nstrace_event *e, char *buf, int size)
{
	char s[16], d[16], m[18], name[96];

	ip_str(e->saddr, s, sizeof(s));
	ip_str(e->daddr, d, sizeof(d));
	if (e->proto == NSTRACE_PROTO_ARP) {
		if (e->arp_op == NSTRACE_ARP_REQUEST)
			snprintf(buf, size, "ARP request who-has %s tell %s", d, s);
		else if (e->arp_op == NSTRACE_ARP_REPLY)
			snprintf(buf, size, "ARP reply %s is-at %s (to %s)", s,
				 mac_str(arp_sender_mac(e), m, sizeof(m)), d);
		else
			snprintf(buf, size, "ARP op %u %s > %s", e->arp_op, s, d);
	} else if (e->icmp_type == NSTRACE_ICMP_ECHO || e->icmp_type == NSTRACE_ICMP_ECHOREPLY) {
		snprintf(buf, size, "ICMP echo %s %s > %s id 0x%04x seq %u",
			 e->icmp_type == NSTRACE_ICMP_ECHO ? "request" : "reply", s, d,
			 ntohs(e->icmp_id), ntohs(e->icmp_seq));
	} else {
		snprintf(buf, size, "ICMP %s %s > %s", icmp_name(e->icmp_type, e->icmp_code, name, sizeof(name)), s, d);
	}
	return buf;
}

const char *nf_hook_name(int hook)
{
	static const char *const names[] = { "PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING" };

	return hook >= 0 && hook < 5 ? names[hook] : "?";
}

