/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Where and how a packet died, shared by the drop rules (analysis/ only). */
#ifndef NSTRACE_ANALYSIS_DROP_SITE_H
#define NSTRACE_ANALYSIS_DROP_SITE_H

#include "analysis/fw.h"
#include "analysis/rules.h"

struct drop_site {
	const struct nstrace_event *drop, *hook;
	const char *hook_name;		/* the IPv4 netfilter hook it never left, or NULL */
	char reason[64], func[96];
	uint32_t ino;			/* the namespace it died in */
	const struct ns_state *ns;
	const struct ns_ref *ref;
	int bridge;			/* topo index of a bridge in that namespace, -1 */
	int dev;			/* topo index of the dropping device, -1 */
	struct fw_site fw;		/* the same place, as the firewall reasoning needs it */
};

/* Netfilter verdicts (rule_netfilter.c): 1 when one explains the drop, -1 inconclusive, 0 none. */
int netfilter_drop(const struct evidence *e, const struct packet *p, const struct drop_site *s,
		   const char *what, struct verdict *v);

#endif
