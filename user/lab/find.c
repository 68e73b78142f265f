// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kernel/netlink.h"
#include "kernel/netns.h"
#include "lab/internal.h"
#include "lab/mark.h"


/* The alias on lo inside a namespace fd: that is where nstrace marks namespaces. */
int read_lo_mark(int fd, char *alias, int size)
{
	struct nl_link lo;
	struct nl nl;
	int err = nl_open_in(&nl, fd);

	if (!err) {
		/* lo by its fixed index: a name look-up would match a renamed lo wrongly or not at all. */
		err = nl_link_get_index(&nl, LO_IFINDEX, &lo);
		nl_close(&nl);
	}
	if (!err)
		snprintf(alias, size, "%s", lo.alias);
	return err;
}

int ns_marked(const char *ns_name, const char *lab, const char *role)
{
	char alias[NL_ALIAS_MAX];
	int fd = netns_open(ns_name);
	int ok;

	if (fd < 0)
		return 0;
	ok = !read_lo_mark(fd, alias, sizeof(alias)) && mark_is_of(alias, lab, role);
	close(fd);
	return ok;
}


/*
 * Calls fn for each namespace under /run/netns that carries a mark; with
 * only_lab, only names "LAB-..." are opened (a lab names its namespaces so),
 * which keeps 'down --lab' from reading every namespace on the machine.
 */
int for_each_marked_ns(const char *only_lab,
		       int (*fn)(const char *ns, const char *lab, const char *role, void *arg),
		       void *arg)
{
	size_t plen = only_lab ? strlen(only_lab) : 0;

	DIR *d = opendir(NETNS_RUN_DIR);
	struct dirent *de;
	int count = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		char alias[NL_ALIAS_MAX], lab[LAB_NAME_MAX + 1];
		const char *role;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		if (only_lab && (strncmp(de->d_name, only_lab, plen) || de->d_name[plen] != '-'))
			continue;
		fd = netns_open(de->d_name);
		if (fd < 0)
			continue;
		if (!read_lo_mark(fd, alias, sizeof(alias)) &&
		    (role = mark_parse(alias, lab, sizeof(lab)))) {
			close(fd);
			fd = -1;
			count++;
			if (fn(de->d_name, lab, role, arg))
				break;
		}
		if (fd >= 0)
			close(fd);
	}
	closedir(d);
	return count;
}

struct list_ctx {
	char (*names)[LAB_NAME_MAX + 1];
	int max, count;
};

static void list_add(struct list_ctx *ctx, const char *lab)
{
	for (int i = 0; i < ctx->count; i++)
		if (!strcmp(ctx->names[i], lab))
			return;
	if (ctx->count < ctx->max)
		snprintf(ctx->names[ctx->count++], LAB_NAME_MAX + 1, "%s", lab);
}

static int list_ns_cb(const char *ns, const char *lab, const char *role, void *arg)
{
	(void)ns;
	(void)role;
	list_add(arg, lab);
	return 0;
}

/* LAB from "LAB-host" or "LAB-nsK" naming an empty file: a build killed before its first mount. */
static void list_remains(struct list_ctx *ctx)
{
	DIR *d = opendir(NETNS_RUN_DIR);
	struct dirent *de;
	char lab[LAB_NAME_MAX + 1], msg[128];

	if (!d)
		return;
	while ((de = readdir(d))) {
		const char *dash = strrchr(de->d_name, '-');
		size_t len = dash ? (size_t)(dash - de->d_name) : 0;

		if (!len || len > LAB_NAME_MAX)
			continue;
		memcpy(lab, de->d_name, len);
		lab[len] = '\0';
		if (lab_name_validate(lab, msg, sizeof(msg)) || !ns_name_is_of(de->d_name, lab) ||
		    netns_file_state(de->d_name) != 0)
			continue;
		list_add(ctx, lab);
	}
	closedir(d);
}

int lab_list(char names[][LAB_NAME_MAX + 1], int max)
{
	struct list_ctx ctx = { names, max, 0 };
	struct nl_link *links;
	struct nl nl;
	int n;

	for_each_marked_ns(NULL, list_ns_cb, &ctx);
	list_remains(&ctx);
	if (nl_open(&nl))
		return ctx.count;
	n = nl_link_dump(&nl, &links);
	for (int i = 0; i < n; i++) {
		char lab[LAB_NAME_MAX + 1];

		if (mark_parse(links[i].alias, lab, sizeof(lab)))
			list_add(&ctx, lab);
	}
	if (n > 0)
		free(links);
	nl_close(&nl);
	return ctx.count;
}

struct exists_ctx {
	const char *lab;
	int found;
};

static int exists_ns_cb(const char *ns, const char *lab, const char *role, void *arg)
{
	struct exists_ctx *ctx = arg;

	(void)ns;
	(void)role;
	ctx->found = !strcmp(lab, ctx->lab);
	return ctx->found;	/* found: stop */
}

int lab_exists(const char *name)
{
	struct exists_ctx ctx = { name, 0 };
	struct nl_link *links;
	struct nl nl;
	int n;

	for_each_marked_ns(name, exists_ns_cb, &ctx);
	if (ctx.found)
		return 1;
	if (nl_open(&nl))
		return 0;
	n = nl_link_dump(&nl, &links);
	for (int i = 0; i < n && !ctx.found; i++)
		ctx.found = mark_is_of(links[i].alias, name, "");
	if (n > 0)
		free(links);
	nl_close(&nl);
	return ctx.found;
}
