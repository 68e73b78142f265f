// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include "analysis/drops.h"

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
	/* Every raw ICMP socket gets a copy; each ping's filter keeps only its own id's replies. */
	if (e->proto == NSTRACE_PROTO_ICMP && e->icmp_type == NSTRACE_ICMP_ECHOREPLY &&
	    !strcmp(reason, "SOCKET_FILTER") && !strcmp(func, "raw_rcv"))
		return "another raw socket's filter refused its copy (each ping keeps only the replies with its own id)";
	return NULL;
}
