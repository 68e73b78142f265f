/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The learning observers (bpf/learn.bpf.c): a bridge taking a MAC on a port,
 * a neighbour entry changing state. They write into the packet observers'
 * ring buffer, filtered by the same namespace map, counted in the same lost
 * counter: given as fds, reused before load.
 */
#ifndef NSTRACE_OBSERVE_LEARN_H
#define NSTRACE_OBSERVE_LEARN_H

struct learn_bpf;

struct learn {
	struct learn_bpf *skel;
	int fdb, neigh;		/* which tracepoints are attached */
};

/*
 * Loads and attaches both programs onto the given maps. A kernel without
 * one of the tracepoints leaves that one out; -errno (msg says why) only if
 * neither could be attached.
 */
int learn_start(struct learn *l, int events_fd, int watched_fd, int lost_fd, char *msg, int msglen);
void learn_stop(struct learn *l);

#endif
