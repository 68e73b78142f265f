/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Compares a lab with what its marks say it should be. */
#ifndef NSTRACE_LAB_CHECK_H
#define NSTRACE_LAB_CHECK_H

#include <stdio.h>
#include "lab/lab.h"

/* Prints one line per missing or changed object; returns how many. */
int lab_check(const struct lab *lab, FILE *f);

#endif
