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

/* Turns every set instance (all, dev) of a conf key to value: both, when both are set. */
void fix_conf(struct verdict *v, const struct ns_ref *ref, const char *note, const char *key, const char *dev,
		     int all_val, int dev_val, int value)
{
	char a[96], d[96], ra[96], rd[96];
	struct fix *f = NULL;

	snprintf(a, sizeof(a), "net.ipv4.conf.all.%s=%d", key, value);
	snprintf(d, sizeof(d), "net.ipv4.conf.%s.%s=%d", dev, key, value);
	snprintf(ra, sizeof(ra), "net.ipv4.conf.all.%s=%d", key, all_val);
	snprintf(rd, sizeof(rd), "net.ipv4.conf.%s.%s=%d", dev, key, dev_val);
	if (all_val > value)
		f = verdict_fix(v, ref, note, ARGV("sysctl", "-w", a));
	if (dev_val > value)
		f ? fix_step(v, f, ref, ARGV("sysctl", "-w", d)) : (f = verdict_fix(v, ref, note, ARGV("sysctl", "-w", d)), 0);
	if (all_val > value)
		fix_revert(v, f, ref, ARGV("sysctl", "-w", ra));
	if (dev_val > value)
		fix_revert(v, f, ref, ARGV("sysctl", "-w", rd));
}

void fix_rp_loose(struct verdict *v, const struct ns_ref *ref, int all_was)
{
	char back[64];

	/* The kernel uses the larger of all and the device's: 2 in all makes every device loose. */
	snprintf(back, sizeof(back), "net.ipv4.conf.all.rp_filter=%d", all_was < 0 ? 0 : all_was);
	fix_revert(v, verdict_fix(v, ref, "loose reverse-path filtering: accepts a source reachable by any interface",
				  ARGV("sysctl", "-w", "net.ipv4.conf.all.rp_filter=2")),
		   ref, ARGV("sysctl", "-w", back));
}
