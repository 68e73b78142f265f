/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Other programs on a link: tc filters under clsact/ingress and tcx BPF programs. */
#ifndef NSTRACE_KERNEL_TC_H
#define NSTRACE_KERNEL_TC_H

#include "kernel/netlink.h"

struct tc_link_info {
	int filters[2];		/* tc filters at [0] ingress, [1] egress */
	char first[2][48];	/* the first one's kind, and its BPF program's name if any */
	int first_pref[2];	/* its priority: 'tc filter del dev X ingress pref P' removes it */
	int tcx_progs[2];	/* programs attached with tcx (0 where the kernel has no tcx) */
};

/* What is attached to ifindex in the namespace nl lives in (call from that namespace for tcx). */
int tc_link_read(struct nl *nl, int ifindex, struct tc_link_info *out);

#endif
