// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Every namespace that could hold the far end of a veth, and the name people know it by. */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "discover/internal.h"
#include "kernel/netlink.h"
#include "kernel/netns.h"

#define DOCKER_NETNS_DIR "/var/run/docker/netns"

static void cand_add(struct catalog *cat, const char *path, const char *label, int via, const char *arg)
{
	struct stat st;

	if (stat(path, &st))
		return;
	for (int i = 0; i < cat->n; i++)
		if (cat->c[i].ref.ino == (uint32_t)st.st_ino)
			return;	/* the first, friendliest name wins */
	if (cat->n == cat->cap) {
		int cap = cat->cap ? cat->cap * 2 : 64;
		struct ns_cand *p = realloc(cat->c, cap * sizeof(*p));

		if (!p)
			return;
		cat->c = p;
		cat->cap = cap;
	}
	memset(&cat->c[cat->n], 0, sizeof(cat->c[0]));
	cat->c[cat->n].ref.ino = (uint32_t)st.st_ino;
	snprintf(cat->c[cat->n].path, sizeof(cat->c[0].path), "%s", path);
	snprintf(cat->c[cat->n].ref.label, sizeof(cat->c[0].ref.label), "%s", label);
	cat->c[cat->n].ref.via = via;
	snprintf(cat->c[cat->n].ref.arg, sizeof(cat->c[0].ref.arg), "%s", arg);
	cat->n++;
}

static void cand_dir(struct catalog *cat, const char *dir, int iproute_names)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[96];

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%.40s", dir, de->d_name);
		cand_add(cat, path, de->d_name, iproute_names ? NS_VIA_NAME : NS_VIA_PATH,
			 iproute_names ? de->d_name : path);
	}
	closedir(d);
}

/*
 * Named namespaces first, Docker's next, the root namespace, then every
 * process's, by its oldest process; a container's name wins over them all.
 */
void catalog_build(struct catalog *cat, const struct ns_owners *ow)
{
	char path[96], label[NS_LABEL_MAX], arg[16];

	cand_dir(cat, NETNS_RUN_DIR, 1);
	cand_dir(cat, DOCKER_NETNS_DIR, 0);
	/* The root namespace: commands there need no nsenter when nstrace runs in it. */
	{
		struct stat init, self;
		int here = !stat("/proc/1/ns/net", &init) && !stat("/proc/self/ns/net", &self) &&
			   init.st_ino == self.st_ino;

		cand_add(cat, "/proc/1/ns/net", "root", here ? NS_VIA_SELF : NS_VIA_PID, here ? "" : "1");
	}
	for (int i = 0; i < ow->n; i++) {
		snprintf(path, sizeof(path), "/proc/%d/ns/net", ow->o[i].pid);
		snprintf(arg, sizeof(arg), "%d", ow->o[i].pid);
		ns_owner_label(&ow->o[i], label, sizeof(label));
		cand_add(cat, path, label, NS_VIA_PID, arg);
	}
	for (int i = 0; i < cat->n; i++) {
		const struct ns_owner *o = ns_owner_of(ow, cat->c[i].ref.ino);

		if (o && o->container[0] && strcmp(cat->c[i].ref.label, "root"))
			snprintf(cat->c[i].ref.label, sizeof(cat->c[i].ref.label), "%s", o->container);
	}
}

/* Which candidate the namespace behind via_fd calls nsid; -1 if none. */
int resolve_nsid(const struct catalog *cat, int via_fd, int nsid)
{
	struct nl nl;
	int found = -1;

	if (netns_enter(via_fd))
		return -1;
	if (nl_open(&nl)) {
		netns_return();
		return -1;
	}
	for (int i = 0; i < cat->n && found < 0; i++) {
		int fd = open(cat->c[i].path, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			continue;
		if (nl_netnsid_of_fd(&nl, fd) == nsid)
			found = i;
		close(fd);
	}
	nl_close(&nl);
	netns_return();
	return found;
}

