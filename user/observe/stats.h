/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --stats: the kernel's own run time and run count per program (BPF_ENABLE_STATS). */
#ifndef NSTRACE_OBSERVE_STATS_H
#define NSTRACE_OBSERVE_STATS_H

#include <stdint.h>

struct prog_stat {
	char name[24];
	int copies;		/* loaded programs summed under this name */
	uint64_t run_ns, run_cnt;
};

/*
 * Turns on run-time accounting for every BPF program on the machine while
 * the returned fd is open (a few ns per run); -errno if the kernel refuses.
 */
int stats_enable(void);
/* Adds prog_fd's counters to the entry named name in st (n entries, up to max); returns the new n. */
int stats_add(struct prog_stat *st, int n, int max, const char *name, int prog_fd);

#endif
