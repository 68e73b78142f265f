/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The mark every lab object carries in IFLA_IFALIAS, "nstrace:LAB:ROLE ...",
 * so nstrace finds and removes exactly what it made, with no state file that
 * could go stale. Pure string codec.
 */
#ifndef NSTRACE_LAB_MARK_H
#define NSTRACE_LAB_MARK_H

#include <stdint.h>
#include "model/cidr.h"

#define LAB_MARK "nstrace:"

/* "nstrace:LAB:ROLE K" (k > 0) or "nstrace:LAB:ROLE" into buf. */
void mark_format(char *buf, int size, const char *lab, const char *role, int k);
/* "nstrace:LAB:ROLE ..." -> copies LAB and returns ROLE, or NULL. */
const char *mark_parse(const char *alias, char *lab, int size);
/* alias marks lab with a role starting with role ("" matches any role). */
int mark_is_of(const char *alias, const char *lab, const char *role);

/* Who a lab belongs to while it does: a process, named so a reused PID is not mistaken for it. */
struct lab_owner {
	int pid;			/* 0: nobody (made by 'up', or kept) */
	unsigned long long start;	/* its start time, clock ticks after boot (/proc/PID/stat) */
};

/* What the bridge's mark says: enough to find every other object, and the owner. */
struct bridge_mark {
	int namespaces;
	struct cidr subnet;
	struct lab_owner owner;
};

/* "nstrace:LAB:bridge n=N subnet=CIDR[ owner=PID:START]"; -1 if it does not fit in buf. */
int mark_format_bridge(char *buf, int size, const char *lab, const struct bridge_mark *m);
/* The bridge mark of lab, strictly: 0, or -EINVAL for anything else (another lab, a bad field). */
int mark_parse_bridge(const char *alias, const char *lab, struct bridge_mark *m);

/*
 * The IFLA_GROUP a link of lab carries from its creation until it is
 * marked: the kernel ignores an alias given at creation, and a kill in that
 * window must not leave a link nothing recognises. Never 0 (the default group).
 */
uint32_t mark_build_group(const char *lab);
/* group is a build tag of some lab (which one: compare with mark_build_group). */
int mark_is_build_group(uint32_t group);

#endif
