/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BPF <-> user-space ABI: names the kernel gives what a drop reports, kept by
 * the drop programs in maps (site_names by text address, reason_names by
 * enum skb_drop_reason value) and read by user space before it unloads them.
 */
#ifndef NSTRACE_NAMES_H
#define NSTRACE_NAMES_H

#define NSTRACE_NAME_MAX 64

struct nstrace_name {
	char name[NSTRACE_NAME_MAX];	/* NUL-terminated */
};

#endif /* NSTRACE_NAMES_H */
