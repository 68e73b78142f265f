/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The machine-wide lock around building and removing labs. */
#ifndef NSTRACE_LAB_LOCK_H
#define NSTRACE_LAB_LOCK_H

#include <signal.h>

#define LAB_LOCK_FILE "/run/nstrace.lock"

/*
 * How this process waits for the lock, set once by the CLI: stop (set by a
 * signal) makes an interruptible wait give up; waiting, if set, is told once
 * which process holds the lock (pid 0 if unknown) and its command line.
 */
void lab_lock_policy(const volatile sig_atomic_t *stop, void (*waiting)(int pid, const char *cmd));
/*
 * The lock's fd (held until lab_unlock), or -errno; -EINTR when an
 * interruptible wait was stopped. Removal after Ctrl-C is not interruptible:
 * it is the cleanup.
 */
int lab_lock_wait(int interruptible);
int lab_lock(void);	/* interruptible */
void lab_unlock(int fd);

#endif
