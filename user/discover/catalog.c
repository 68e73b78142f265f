// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Every namespace a veth peer could be in, and the friendliest name for each. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "discover/internal.h"
#include "kernel/netns.h"

#define DOCKER_NETNS_DIR "/var/run/docker/netns"

static void cand_add(struct catalog *cat, const char *path, const char *label, int via, const char *arg)
{
	struct stat st;
	char *copy;

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
	copy = strdup(path);
	if (!copy)
		return;
	memset(&cat->c[cat->n], 0, sizeof(cat->c[0]));
	cat->c[cat->n].path = copy;
	cat->c[cat->n].ref.ino = (uint32_t)st.st_ino;
	/* The label is for reading only; commands use arg, which holds any name a file can have. */
	snprintf(cat->c[cat->n].ref.label, sizeof(cat->c[0].ref.label), "%s", label);
	cat->c[cat->n].ref.via = via;
	snprintf(cat->c[cat->n].ref.arg, sizeof(cat->c[0].ref.arg), "%s", arg);
	cat->n++;
}

static void cand_dir(struct catalog *cat, const char *dir, int iproute_names)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[PATH_MAX];

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path))
			continue;
		cand_add(cat, path, de->d_name, iproute_names ? NS_VIA_NAME : NS_VIA_PATH,
			 iproute_names ? de->d_name : path);
	}
	closedir(d);
}

void catalog_build(struct catalog *cat, const struct ns_owners *ow)
{
	char path[64], label[NS_LABEL_MAX], arg[16];
	struct stat init, self;
	int here;

	cand_dir(cat, NETNS_RUN_DIR, 1);
	cand_dir(cat, DOCKER_NETNS_DIR, 0);
	/* The root namespace: commands there need no nsenter when nstrace runs in it. */
	here = !stat("/proc/1/ns/net", &init) && !stat("/proc/self/ns/net", &self) && init.st_ino == self.st_ino;
	cand_add(cat, "/proc/1/ns/net", "root", here ? NS_VIA_SELF : NS_VIA_PID, here ? "" : "1");
	for (int i = 0; i < ow->n; i++) {
		snprintf(path, sizeof(path), "/proc/%d/ns/net", ow->o[i].pid);
		snprintf(arg, sizeof(arg), "%d", ow->o[i].pid);
		ns_owner_label(&ow->o[i], label, sizeof(label));
		cand_add(cat, path, label, NS_VIA_PID, arg);
	}
	/* A container's name wins over every other label but the root namespace's. */
	for (int i = 0; i < cat->n; i++) {
		const struct ns_owner *o = ns_owner_of(ow, cat->c[i].ref.ino);

		if (o && o->container[0] && strcmp(cat->c[i].ref.label, "root"))
			snprintf(cat->c[i].ref.label, sizeof(cat->c[i].ref.label), "%s", o->container);
	}
}

void catalog_free(struct catalog *cat)
{
	for (int i = 0; i < cat->n; i++)
		free(cat->c[i].path);
	free(cat->c);
	memset(cat, 0, sizeof(*cat));
}
