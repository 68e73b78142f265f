// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "learn.skel.h"
#include "observe/learn.h"

static int reuse(struct bpf_map *map, int fd, const char *name, char *msg, int msglen)
{
	int err = bpf_map__reuse_fd(map, fd);

	if (err)
		snprintf(msg, msglen, "cannot share the %s map with the learning observers: %s", name, strerror(-err));
	return err;
}

int learn_start(struct learn *l, int events_fd, int watched_fd, int lost_fd, char *msg, int msglen)
{
	int err;

	memset(l, 0, sizeof(*l));
	l->skel = learn_bpf__open();
	if (!l->skel) {
		err = -errno;
		snprintf(msg, msglen, "cannot open the learning observers: %s", strerror(-err));
		return err;
	}
	err = reuse(l->skel->maps.events, events_fd, "ring buffer", msg, msglen);
	if (!err)
		err = reuse(l->skel->maps.watched_netns, watched_fd, "namespace", msg, msglen);
	if (!err)
		err = reuse(l->skel->maps.lost_events, lost_fd, "lost-event", msg, msglen);
	if (!err && (err = learn_bpf__load(l->skel)))
		snprintf(msg, msglen, "cannot load the learning observers: %s (the bridge and neighbour tracepoints need BTF for them)",
			 strerror(-err));
	if (err) {
		learn_stop(l);
		return err;
	}
	/* Each on its own: a kernel without one tracepoint still gives the other. */
	l->skel->links.fdb_update = bpf_program__attach(l->skel->progs.fdb_update);
	l->fdb = l->skel->links.fdb_update != NULL;
	l->skel->links.neigh_update = bpf_program__attach(l->skel->progs.neigh_update);
	l->neigh = l->skel->links.neigh_update != NULL;
	if (!l->fdb && !l->neigh) {
		err = -errno;
		snprintf(msg, msglen, "cannot attach to br_fdb_update or neigh_update: %s", strerror(-err));
		learn_stop(l);
		return err;
	}
	return 0;
}

void learn_stop(struct learn *l)
{
	if (l->skel)
		learn_bpf__destroy(l->skel);
	memset(l, 0, sizeof(*l));
}
