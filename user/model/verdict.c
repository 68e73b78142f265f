// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "model/verdict.h"

void verdict_line(struct verdict *v, const char *fmt, ...)
{
	va_list ap;

	if (v->nevidence >= VERDICT_MAX_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(v->evidence[v->nevidence++], sizeof(v->evidence[0]), fmt, ap);
	va_end(ap);
}

void verdict_cause(struct verdict *v, const char *id, int conclusive, const char *fmt, ...)
{
	va_list ap;

	snprintf(v->id, sizeof(v->id), "%s", id);
	v->conclusive = conclusive;
	va_start(ap, fmt);
	vsnprintf(v->cause, sizeof(v->cause), fmt, ap);
	va_end(ap);
}

int command_set(struct command *c, const struct ns_ref *ns, const char *const argv[])
{
	int n = 0;

	memset(c, 0, sizeof(*c));
	if (ns)
		c->ns = *ns;
	for (; argv[n]; n++) {
		if (n == CMD_MAX_ARGS || strlen(argv[n]) >= CMD_ARG_MAX)
			return -1;
		memcpy(c->argv[n], argv[n], strlen(argv[n]) + 1);
	}
	c->argc = n;
	return n ? 0 : -1;
}

static void refuse(struct verdict *v, struct fix *f)
{
	/* Only the newest fix can be refused: the builders hand out no other. */
	if (v->nfix && f == &v->fix[v->nfix - 1])
		v->nfix--;
	v->refused_fixes++;
}

static struct fix *new_fix(struct verdict *v, const struct ns_ref *ns, const char *note,
			   const char *const argv[], int inspect)
{
	struct fix *f;

	if (v->nfix >= VERDICT_MAX_FIXES)
		return NULL;
	f = &v->fix[v->nfix++];
	memset(f, 0, sizeof(*f));
	f->inspect = inspect;
	if ((size_t)snprintf(f->note, sizeof(f->note), "%s", note) >= sizeof(f->note) ||
	    command_set(&f->step[0], ns, argv)) {
		refuse(v, f);
		return NULL;
	}
	f->nsteps = 1;
	return f;
}

struct fix *verdict_fix(struct verdict *v, const struct ns_ref *ns, const char *note,
			const char *const argv[])
{
	return new_fix(v, ns, note, argv, 0);
}

struct fix *verdict_inspect(struct verdict *v, const struct ns_ref *ns, const char *note,
			    const char *const argv[])
{
	return new_fix(v, ns, note, argv, 1);
}

int fix_step(struct verdict *v, struct fix *f, const struct ns_ref *ns, const char *const argv[])
{
	if (!f)
		return -1;
	if (f->nsteps == FIX_MAX_STEPS || command_set(&f->step[f->nsteps], ns, argv)) {
		refuse(v, f);
		return -1;
	}
	f->nsteps++;
	return 0;
}

int fix_revert(struct verdict *v, struct fix *f, const struct ns_ref *ns, const char *const argv[])
{
	if (!f)
		return -1;
	if (f->nrevert == FIX_MAX_STEPS || command_set(&f->revert[f->nrevert], ns, argv)) {
		refuse(v, f);
		return -1;
	}
	f->nrevert++;
	return 0;
}
