/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Compares a lab with what its marks say it should be. */
#ifndef NSTRACE_LAB_CHECK_H
#define NSTRACE_LAB_CHECK_H

#include <stdio.h>
#include "lab/lab.h"

/* Prints one line per missing or changed object; returns how many. */
int lab_check(const struct lab *lab, FILE *f);
/*
 * 0 if the lab is still the one lab holds open: each namespace file names the
 * namespace behind its fd, the bridge is there with its mark. -ENOENT with
 * msg saying what went (fds keep a removed namespace alive, and answering).
 */
int lab_verify(const struct lab *lab, char *msg, int msglen);

#endif
