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
		char *argv[CMD_MAX_ARGS + 1], text[2048];
		int fd = ns_fd_of(&c->ns, nss, nns), rc;

		if (fd == -2) {
			err_msg("cannot run '%s': namespace %s is no longer open",
				command_str(c, text, sizeof(text)) ? text : c->argv[0], c->ns.label);
			return 126;
		}
		for (int a = 0; a < c->argc; a++)
			argv[a] = (char *)c->argv[a];
		argv[c->argc] = NULL;
		rc = netns_run(fd, argv, 0);
		if (rc) {
			err_msg("'%s' exited %d", command_str(c, text, sizeof(text)) ? text : c->argv[0], rc);
			return rc < 0 ? 126 : rc;
		}
	}
	return 0;
}
