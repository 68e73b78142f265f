/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Fixes as commands (namespace, argv), each with the command that undoes it. */
#ifndef NSTRACE_ANALYSIS_FIXES_H
#define NSTRACE_ANALYSIS_FIXES_H

#include <netinet/in.h>
#include "model/verdict.h"

/* "ip link set dev X up" (or down) in ns, undone by its opposite. */
void fix_link_up(struct verdict *v, const struct ns_ref *ns, const char *note, const char *dev);

/* "sysctl -w KEY=VALUE", undone by writing the value it had. */
void fix_sysctl(struct verdict *v, const struct ns_ref *ns, const char *note, const char *key,
		int value, int was);

/* "iptables -I CHAIN ARGS", undone by "-D CHAIN ARGS" (tool: iptables, arptables...). */
void fix_insert_rule(struct verdict *v, const struct ns_ref *ns, const char *note,
		     const char *tool, const char *chain, const char *const rule[]);

/* "ip addr add|replace A/P dev X", undone by deleting that address. */
void fix_addr(struct verdict *v, const struct ns_ref *ns, const char *note, const char *verb,
	      struct in_addr a, int plen, const char *dev);

/* The bridge's own nf_call_iptables option off, undone by turning it on. */
void fix_bridge_option(struct verdict *v, const struct ns_ref *ns, const char *note, const char *bridge);

/* net.ipv4.conf.{all,DEV}.KEY lowered to value wherever set above it (the kernel uses the larger). */
void fix_conf(struct verdict *v, const struct ns_ref *ref, const char *note, const char *key, const char *dev,
	      int all_val, int dev_val, int value);

/* Reverse-path filtering made loose for the whole namespace, undone to all_was. */
void fix_rp_loose(struct verdict *v, const struct ns_ref *ref, int all_was);

#endif
