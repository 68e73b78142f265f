// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Fixes as commands, each with the command that undoes it. */
#include <stdio.h>
#include "analysis/fixes.h"
#include "model/packet.h"

/* "ip link set dev X up" (or down) in ns, undone by its opposite. */
void fix_link_up(struct verdict *v, const struct ns_ref *ns, const char *note, const char *dev)
{
	struct fix *f = verdict_fix(v, ns, note, ARGV("ip", "link", "set", "dev", dev, "up"));

	fix_revert(v, f, ns, ARGV("ip", "link", "set", "dev", dev, "down"));
}

/* "sysctl -w KEY=VALUE", undone by writing the value it had. */
void fix_sysctl(struct verdict *v, const struct ns_ref *ns, const char *note, const char *key,
		int value, int was)
{
	char set[CMD_ARG_MAX], back[CMD_ARG_MAX];
	struct fix *f;

	snprintf(set, sizeof(set), "%s=%d", key, value);
	snprintf(back, sizeof(back), "%s=%d", key, was);
	f = verdict_fix(v, ns, note, ARGV("sysctl", "-w", set));
	fix_revert(v, f, ns, ARGV("sysctl", "-w", back));
}

/* "iptables -I CHAIN ARGS", undone by "-D CHAIN ARGS" (tool: iptables, arptables...). */
void fix_insert_rule(struct verdict *v, const struct ns_ref *ns, const char *note,
		     const char *tool, const char *chain, const char *const rule[])
{
	const char *ins[CMD_MAX_ARGS + 1] = { tool, "-I", chain }, *del[CMD_MAX_ARGS + 1] = { tool, "-D", chain };
	int n = 3;
	struct fix *f;

	for (int i = 0; rule[i] && n < CMD_MAX_ARGS; i++, n++)
		ins[n] = del[n] = rule[i];
	f = verdict_fix(v, ns, note, ins);
	fix_revert(v, f, ns, del);
}

/* "ip addr add|replace A/P dev X", undone by deleting that address. */
void fix_addr(struct verdict *v, const struct ns_ref *ns, const char *note, const char *verb,
	      struct in_addr a, int plen, const char *dev)
{
	char ap[32], ip[16];
	struct fix *f;

	snprintf(ap, sizeof(ap), "%s/%d", ip_str(a.s_addr, ip, sizeof(ip)), plen);
	f = verdict_fix(v, ns, note, ARGV("ip", "addr", verb, ap, "dev", dev));
	fix_revert(v, f, ns, ARGV("ip", "addr", "del", ap, "dev", dev));
}

/* The bridge's own nf_call_iptables option off, undone by turning it on. */
void fix_bridge_option(struct verdict *v, const struct ns_ref *ns, const char *note, const char *bridge)
{
	struct fix *f = verdict_fix(v, ns, note, ARGV("ip", "link", "set", "dev", bridge, "type", "bridge",
						     "nf_call_iptables", "0"));

	fix_revert(v, f, ns, ARGV("ip", "link", "set", "dev", bridge, "type", "bridge", "nf_call_iptables", "1"));
}
