// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/netlink.h"
#include "kernel/netns.h"
#include "lab/internal.h"
#include "lab/lock.h"
#include "lab/mark.h"

int lab_teardown(struct lab *lab)
{
	char name[LAB_NAME_MAX + 1];

	snprintf(name, sizeof(name), "%s", lab->cfg.name);
	/* Our own fds would keep the namespaces alive: drop them first. */
	lab_release(lab);
	return lab_remove_marked(name);
}

struct remove_ctx {
	const char *lab;
	int err;
	int removed;
};

static int remove_ns_cb(const char *ns, const char *lab, const char *role, void *arg)
{
	struct remove_ctx *ctx = arg;
	int err;

	(void)role;
	if (strcmp(lab, ctx->lab))
		return 0;
	err = netns_delete(ns);
	if (err && !ctx->err)
		ctx->err = err;
	ctx->removed += !err;
	return 0;
}

/* Root-namespace links marked for lab, ports before the bridge; counts them in *removed. */
static int remove_root_links(const char *lab, int *removed)
{
	struct nl_link *links;
	struct nl nl;
	int n, err = netns_return();

	if (!err)
		err = nl_open(&nl);
	if (err)
		return err;
	n = nl_link_dump(&nl, &links);
	if (n < 0) {
		nl_close(&nl);
		return n;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < n; i++) {
			int is_bridge = mark_is_of(links[i].alias, lab, "bridge");

			if (!mark_is_of(links[i].alias, lab, "") || is_bridge != pass)
				continue;
			int e = nl_link_del(&nl, links[i].ifindex);

			if (e && e != -ENODEV && !err)
				err = e;
			*removed += !e;
		}
	}
	free(links);
	nl_close(&nl);
	return err;
}

int remove_marked_locked(const char *name)
{
	struct remove_ctx ctx = { name, 0, 0 };
	int err;

	/* Links first: deleting a veth in a namespace that dies later is asynchronous. */
	err = remove_root_links(name, &ctx.removed);
	for_each_marked_ns(name, remove_ns_cb, &ctx);
	if (err || ctx.err)
		return err ? err : ctx.err;
	return ctx.removed;
}

int lab_remove_marked(const char *name)
{
	int lock = lab_lock(), n;

	if (lock < 0)
		return lock;
	n = remove_marked_locked(name);
	lab_unlock(lock);
	return n;
}
