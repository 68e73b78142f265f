/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The machine-wide lock around building and removing labs. */
#ifndef NSTRACE_LAB_LOCK_H
#define NSTRACE_LAB_LOCK_H

#define LAB_LOCK_FILE "/run/nstrace.lock"

/* The lock's fd (held until lab_unlock), or -errno. */
int lab_lock(void);
void lab_unlock(int fd);

#endif
