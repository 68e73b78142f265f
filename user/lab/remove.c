// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Removing a lab: whatever carries its mark, links still carrying its build
 * tag, and empty files under its namespace names (a build killed between
 * making the file and mounting the namespace on it). The same walk, dry,
 * says what it would remove.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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
	return lab_remove(name, 0, NULL, NULL);
}

struct removal {
	const char *lab;
	int dry;
	lab_seen_fn seen;
	void *arg;
	int err;
	int removed;
};

/* One object gone (or, dry, found): counted and told. */
static void done(struct removal *r, const char *kind, const char *name, int err)
{
	if (err && err != -ENODEV && err != -ENOENT && !r->err)
		r->err = err;
	if (err)
		return;
	r->removed++;
	if (r->seen)
		r->seen(kind, name, r->arg);
}

static int remove_ns_cb(const char *ns, const char *lab, const char *role, void *arg)
{
	struct removal *r = arg;

	(void)role;
	if (!strcmp(lab, r->lab))
		done(r, "namespace", ns, r->dry ? 0 : netns_delete(ns));
	return 0;
}

/* A link of lab: its mark, or its build tag on a link that never got one. */
int link_is_of(const struct nl_link *l, const char *lab)
{
	char any[LAB_NAME_MAX + 1];

	if (mark_is_of(l->alias, lab, ""))
		return 1;
	return l->group == mark_build_group(lab) && !mark_parse(l->alias, any, sizeof(any));
}

/* Root-namespace links of lab, ports before the bridge. */
static void remove_root_links(struct removal *r)
{
	struct nl_link *links;
	struct nl nl;
	int n, err = nl_open(&nl);

	n = err ? err : nl_link_dump(&nl, &links);
	if (n < 0) {
		done(r, "link", "", n);
		nl_close(&nl);
		return;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < n; i++) {
			int is_bridge = !strcmp(links[i].kind, "bridge");

			if (!link_is_of(&links[i], r->lab) || is_bridge != pass)
				continue;
			done(r, "link", links[i].name, r->dry ? 0 : nl_link_del(&nl, links[i].ifindex));
		}
	}
	free(links);
	nl_close(&nl);
}

/* "LAB-host" or "LAB-nsK" (1 <= K <= 250): a name the lab gives a namespace. */
int ns_name_is_of(const char *file, const char *lab)
{
	size_t len = strlen(lab);
	const char *k;

	if (strncmp(file, lab, len) || file[len] != '-')
		return 0;
	if (!strcmp(file + len + 1, "host"))
		return 1;
	if (strncmp(file + len + 1, "ns", 2))
		return 0;
	k = file + len + 3;
	if (*k < '1' || *k > '9' || strlen(k) > 3)
		return 0;
	for (const char *p = k; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return atoi(k) <= LAB_MAX_NAMESPACES;
}

/* Empty files under the lab's namespace names: no namespace, a build killed before its mount. */
static void remove_empty_files(struct removal *r)
{
	DIR *d = opendir(NETNS_RUN_DIR);
	struct dirent *de;
	char path[512];

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!ns_name_is_of(de->d_name, r->lab) || netns_file_state(de->d_name) != 0)
			continue;
		snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", de->d_name);
		done(r, "file", de->d_name, r->dry || !unlink(path) ? 0 : -errno);
	}
	closedir(d);
}

int remove_marked_locked(const char *name, int dry, lab_seen_fn seen, void *arg)
{
	struct removal r = { name, dry, seen, arg, 0, 0 };

	/* Links first: deleting a veth in a namespace that dies later is asynchronous. */
	remove_root_links(&r);
	for_each_marked_ns(name, remove_ns_cb, &r);
	remove_empty_files(&r);
	return r.err ? r.err : r.removed;
}

int lab_remove(const char *name, int flags, lab_seen_fn seen, void *arg)
{
	int lock = lab_lock_wait(flags & LAB_REMOVE_INTERRUPTIBLE), n;

	if (lock < 0)
		return lock;
	n = remove_marked_locked(name, flags & LAB_REMOVE_DRY, seen, arg);
	lab_unlock(lock);
	return n;
}
