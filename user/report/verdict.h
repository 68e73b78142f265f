/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Verdicts and their commands as text: every word shell-quoted for copy-paste. */
#ifndef NSTRACE_REPORT_VERDICT_H
#define NSTRACE_REPORT_VERDICT_H

#include <stdio.h>
#include "model/verdict.h"
#include "report/text.h"

/* Room for any command a verdict can hold, every byte quoted. */
#define CMD_TEXT_MAX 16384

/* s quoted for a POSIX shell only where it needs it: abc, 'a b', 'it'\''s', \'x'. */
const char *shell_quote(const char *s, char *buf, int size);
/*
 * "ip netns exec NAME sysctl -w x=0": the prefix that enters c->ns from where
 * nstrace runs, then argv. NULL if it does not fit in buf.
 */
const char *command_str(const struct command *c, char *buf, int size);
void print_verdict(FILE *f, const struct verdict *v);
/* The same, wrapped to tx->width and coloured when tx says so. */
void print_verdict_tx(struct textout *tx, const struct verdict *v);

#endif
