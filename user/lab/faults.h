/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Faults a learner can inject into an isolated lab (nstrace run --break). */
#ifndef NSTRACE_LAB_FAULTS_H
#define NSTRACE_LAB_FAULTS_H

#include <stdio.h>
#include "lab/lab.h"

struct fault {
	const char *name;
	const char *summary;
	const char *expect;	/* the verdict id nstrace should give */
	/* Breaks the path from ns1 to ns2; 0 or -errno with msg. */
	int (*apply)(const struct lab *lab, int from, int to, char *msg, int msglen);
};

extern const struct fault faults[];
extern const int nfaults;

const struct fault *fault_find(const char *name);
void faults_print(FILE *f);

#endif
