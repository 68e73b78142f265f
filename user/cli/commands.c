// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Running a verdict's commands: execve in the namespace each one names. */
#include <stdio.h>
#include "cli/cli.h"
#include "kernel/netns.h"
#include "report/verdict.h"

static int ns_fd_of(const struct ns_ref *ref, const struct ns_handle *nss, int nns)
{
	if (ref->via == NS_VIA_SELF)
		return -1;
	for (int i = 0; i < nns; i++)
		if (nss[i].ref.ino == ref->ino)
			return nss[i].fd;
	return -2;
}

int run_commands(const struct command *cmds, int n, const struct ns_handle *nss, int nns)
{
	for (int i = 0; i < n; i++) {
		const struct command *c = &cmds[i];
		char *argv[CMD_MAX_ARGS + 1], text[CMD_TEXT_MAX];
		int fd = ns_fd_of(&c->ns, nss, nns), rc;

		if (!command_str(c, text, sizeof(text))) {
			err_msg("cannot run a %s command: it is too long to show, and nstrace runs nothing it cannot show",
				c->argv[0]);
			return 126;
		}
		if (fd == -2) {
			err_msg("cannot run '%s': namespace %s is no longer open", text, c->ns.label);
			return 126;
		}
		for (int a = 0; a < c->argc; a++)
			argv[a] = (char *)c->argv[a];
		argv[c->argc] = NULL;
		rc = netns_run(fd, argv, 0);
		if (rc) {
			err_msg("'%s' exited %d", text, rc);
			return rc < 0 ? 126 : rc;
		}
	}
	return 0;
}

int apply_fix(struct feed *fd, const struct verdict *v, const struct ns_handle *nss, int nns, int show_revert)
{
	const struct fix *fx = NULL;
	char text[CMD_TEXT_MAX];

	for (int i = 0; i < v->nfix && !fx; i++)
		if (!v->fix[i].inspect)
			fx = &v->fix[i];
	if (!fx) {
		feed_say(fd, FEED_ALWAYS, "\n--fix: the verdict has no fix to apply%s\n",
			 v->nfix ? " (only commands that show state)" : "");
		return -1;
	}
	/* What runs is what is shown, word for word: a command that cannot be shown is not run. */
	for (int i = 0; i < fx->nsteps; i++) {
		if (!command_str(&fx->step[i], text, sizeof(text))) {
			feed_say(fd, FEED_ALWAYS, "\n--fix: not applied: a step is too long to show\n");
			return -1;
		}
	}
	feed_say(fd, FEED_ALWAYS, "\n--fix: applying:\n");
	for (int i = 0; i < fx->nsteps; i++)
		feed_say(fd, FEED_ALWAYS | FEED_VERBATIM, "  %s\n", command_str(&fx->step[i], text, sizeof(text)));
	if (run_commands(fx->step, fx->nsteps, nss, nns))
		return -1;
	if (!show_revert)
		return 0;
	feed_say(fd, FEED_ALWAYS, "%s\n", fx->nrevert ? "revert:" : "revert: no single command undoes it");
	for (int i = 0; i < fx->nrevert; i++)
		feed_say(fd, FEED_ALWAYS | FEED_VERBATIM, "  %s\n",
			 command_str(&fx->revert[i], text, sizeof(text)) ? text : "(too long to print)");
	return 0;
}
