// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "report/verdict.h"


/* Characters a POSIX shell takes literally in an unquoted word. */
static int plain(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-", *s))
			return 0;
	return 1;
}

const char *shell_quote(const char *s, char *buf, int size)
{
	int n = 0, quoted = 0;

	if (plain(s)) {
		snprintf(buf, size, "%s", s);
		return buf;
	}
	if (!*s) {
		snprintf(buf, size, "''");
		return size >= 3 ? buf : NULL;
	}
	/* Runs in '...', each ' as \' between them: no empty '' that a reader (or wordexp) trips on. */
	for (; *s; s++) {
		int q = *s == '\'';
		int need = q ? quoted + 2 : !quoted + 1;

		if (n + need + 2 > size)
			return NULL;
		if (q) {
			if (quoted)
				buf[n++] = '\'';
			buf[n++] = '\\';
			buf[n++] = '\'';
			quoted = 0;
		} else {
			if (!quoted)
				buf[n++] = '\'';
			buf[n++] = *s;
			quoted = 1;
		}
	}
	if (quoted)
		buf[n++] = '\'';
	buf[n] = '\0';
	return buf;
}

static int append(char *buf, int size, int *off, const char *word)
{
	char q[CMD_TEXT_MAX];

	if (!shell_quote(word, q, sizeof(q)))
		return -1;
	if (*off + (int)strlen(q) + 2 > size)
		return -1;
	*off += snprintf(buf + *off, size - *off, "%s%s", *off ? " " : "", q);
	return 0;
}

const char *command_str(const struct command *c, char *buf, int size)
{
	const char *pre[4] = {};
	char pid[NS_ARG_MAX + 8];
	int off = 0;

	buf[0] = '\0';
	switch (c->ns.via) {
	case NS_VIA_NAME:
		pre[0] = "ip", pre[1] = "netns", pre[2] = "exec", pre[3] = c->ns.arg;
		break;
	case NS_VIA_PID:
		snprintf(pid, sizeof(pid), "%s", c->ns.arg);
		pre[0] = "nsenter", pre[1] = "-t", pre[2] = pid, pre[3] = "-n";
		break;
	case NS_VIA_PATH:
		snprintf(pid, sizeof(pid), "--net=%s", c->ns.arg);
		pre[0] = "nsenter", pre[1] = pid;
		break;
	}
	for (int i = 0; i < 4 && pre[i]; i++)
		if (append(buf, size, &off, pre[i]))
			return NULL;
	for (int i = 0; i < c->argc; i++)
		if (append(buf, size, &off, c->argv[i]))
			return NULL;
	return buf;
}

static void print_steps(FILE *f, const struct command *cmds, int n, const char *indent)
{
	char text[CMD_TEXT_MAX];

	for (int i = 0; i < n; i++)
		fprintf(f, "%s%s\n", indent, command_str(&cmds[i], text, sizeof(text)) ? text : "(too long to print)");
}

void print_verdict_tx(struct textout *tx, const struct verdict *v)
{
	FILE *f = tx->f;
	char note[sizeof(v->fix[0].note) + 4];

	fprintf(f, "\n%sverdict: %s%s%s\n", tx_c(tx, v->conclusive ? TX_RED : TX_YELLOW), v->id,
		v->conclusive ? "" : " (inconclusive)", tx_c(tx, TX_RESET));
	tx_wrap(tx, "  cause: ", "    ", v->cause);
	fprintf(f, "  evidence:\n");
	for (int i = 0; i < v->nevidence; i++)
		tx_wrap(tx, "    - ", "      ", v->evidence[i]);
	if (!v->nfix)
		fprintf(f, "  fix: none known from this evidence\n");
	for (int i = 0; i < v->nfix; i++) {
		const struct fix *fx = &v->fix[i];

		fprintf(f, "  %s%s%s\n", tx_c(tx, TX_GREEN),
			i == 0 ? (fx->inspect ? "look:" : "fix:") : (fx->inspect ? "or look:" : "or:"), tx_c(tx, TX_RESET));
		print_steps(f, fx->step, fx->nsteps, "    ");
		snprintf(note, sizeof(note), "(%s)", fx->note);
		tx_wrap(tx, "      ", "       ", note);
	}
	if (v->refused_fixes)
		fprintf(f, "  (%d fix(es) left out: a command exceeded nstrace's limits)\n", v->refused_fixes);
}

void print_verdict(FILE *f, const struct verdict *v)
{
	struct textout tx = { .f = f };

	print_verdict_tx(&tx, v);
}

