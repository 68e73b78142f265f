/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The process a lab belongs to while it runs: who we are, and whether an owner still lives. */
#ifndef NSTRACE_LAB_OWNER_H
#define NSTRACE_LAB_OWNER_H

#include <stddef.h>
#include "lab/mark.h"

/* This process, as an owner; 0 or -errno. */
int lab_owner_self(struct lab_owner *o);
/*
 * 1 if o's process still runs (same PID and the same start time: a reused
 * PID is another process), 0 if it died, and 1 for no owner (pid 0).
 */
int lab_owner_alive(const struct lab_owner *o);
/* Its command line, words joined by spaces and cut to fit ("" if unknown). */
void lab_owner_cmdline(const struct lab_owner *o, char *buf, size_t size);

#endif
