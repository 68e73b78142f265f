/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A verdict as data: the cause, the evidence lines, and fixes as commands
 * (namespace, argv, revert argv) that the CLI can run with execve and print
 * shell-quoted. A fix that does not fit these limits is refused, never cut.
 */
#ifndef NSTRACE_MODEL_VERDICT_H
#define NSTRACE_MODEL_VERDICT_H

#include "model/topo.h"

#define CMD_MAX_ARGS 12
#define CMD_ARG_MAX 96
#define FIX_MAX_STEPS 2
#define VERDICT_MAX_LINES 12
#define VERDICT_MAX_FIXES 4
#define VERDICT_LINE_MAX 240

struct command {
	struct ns_ref ns;	/* where it runs */
	int argc;
	char argv[CMD_MAX_ARGS][CMD_ARG_MAX];
};

struct fix {
	char note[200];		/* what it changes and what it costs */
	int inspect;		/* only shows state: --fix never applies it */
	struct command step[FIX_MAX_STEPS];
	int nsteps;
	struct command revert[FIX_MAX_STEPS];
	int nrevert;		/* 0: no command undoes it */
};

struct verdict {
	char id[40];
	int conclusive;
	char cause[320];
	char evidence[VERDICT_MAX_LINES][VERDICT_LINE_MAX];
	int nevidence;
	struct fix fix[VERDICT_MAX_FIXES];	/* [0] is the one --fix applies */
	int nfix;
	int refused_fixes;	/* fixes dropped because they did not fit */
};

/* A NULL-terminated argv for the fix builders: ARGV("sysctl", "-w", "x=0"). */
#define ARGV(...) ((const char *const[]){ __VA_ARGS__, NULL })

void verdict_line(struct verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void verdict_cause(struct verdict *v, const char *id, int conclusive, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A fix whose first step runs argv in ns; NULL (and counted as refused) if it does not fit. */
struct fix *verdict_fix(struct verdict *v, const struct ns_ref *ns, const char *note,
			const char *const argv[]);
/* Same, for a fix that only shows state. */
struct fix *verdict_inspect(struct verdict *v, const struct ns_ref *ns, const char *note,
			    const char *const argv[]);
/* Another step, or the command that undoes the fix; -1 refuses the whole fix. */
int fix_step(struct verdict *v, struct fix *f, const struct ns_ref *ns, const char *const argv[]);
int fix_revert(struct verdict *v, struct fix *f, const struct ns_ref *ns, const char *const argv[]);
/* argv into c; -1 if an argument or their number exceeds the limits. */
int command_set(struct command *c, const struct ns_ref *ns, const char *const argv[]);

#endif
