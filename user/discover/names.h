/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The names people know network namespaces by: a container's name, found
 * read-only in its runtime's own files (cgroup path -> container id -> name:
 * Docker's containers/ID/config.v2.json, Podman's containers.json, an OCI
 * config.json's annotations under containerd's task directory), never
 * through an API socket; else its oldest process, as comm:PID, which stays
 * the same from one run to the next.
 */
#ifndef NSTRACE_DISCOVER_NAMES_H
#define NSTRACE_DISCOVER_NAMES_H

#include <stdint.h>
#include "model/topo.h"

/* Where the runtimes' files are read from: "/" unless NSTRACE_RUNTIME_ROOT says (tests, chroots). */
#define NAMES_ROOT_ENV "NSTRACE_RUNTIME_ROOT"
#define CONTAINER_NAME_MAX 40

struct ns_owner {
	uint32_t ino;			/* the network namespace */
	int pid;			/* its oldest process (earliest start) */
	unsigned long long start;	/* that process's start time, in clock ticks after boot */
	char comm[16];
	char container[CONTAINER_NAME_MAX];	/* "" if not a container's */
};

struct ns_owners {
	struct ns_owner *o;
	int n, cap;
};

/* Every process's namespace, with its oldest process and its container. 0 or -errno. */
int ns_owners_scan(struct ns_owners *ow);
void ns_owners_free(struct ns_owners *ow);
const struct ns_owner *ns_owner_of(const struct ns_owners *ow, uint32_t ino);
/* Process pid's comm, made safe as a label; 0 or -1. */
int process_comm(int pid, char comm[16]);
/* The container that process pid runs in, "" if none (or not found in a runtime's files). */
void container_of_pid(int pid, char *name, int size);
/* "c1" for a container, "bash:4242" for a process: how a namespace is labelled. */
void ns_owner_label(const struct ns_owner *o, char *buf, int size);
/*
 * The PID behind a name --from accepts: "comm:PID" or a container's name.
 * 0 if no process or container has that name.
 */
int ns_owners_find(const struct ns_owners *ow, const char *name);

#endif
