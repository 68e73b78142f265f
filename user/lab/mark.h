/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The mark every lab object carries in IFLA_IFALIAS, "nstrace:LAB:ROLE ...",
 * so nstrace finds and removes exactly what it made, with no state file that
 * could go stale. Pure string codec.
 */
#ifndef NSTRACE_LAB_MARK_H
#define NSTRACE_LAB_MARK_H

#define LAB_MARK "nstrace:"

/* "nstrace:LAB:ROLE K" (k > 0) or "nstrace:LAB:ROLE" into buf. */
void mark_format(char *buf, int size, const char *lab, const char *role, int k);
/* "nstrace:LAB:ROLE ..." -> copies LAB and returns ROLE, or NULL. */
const char *mark_parse(const char *alias, char *lab, int size);
/* alias marks lab with a role starting with role ("" matches any role). */
int mark_is_of(const char *alias, const char *lab, const char *role);

#endif
