/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Named network namespaces (iproute2-compatible, under /run/netns). */
#ifndef NSTRACE_KERNEL_NETNS_H
#define NSTRACE_KERNEL_NETNS_H

#include <stdint.h>

#define NETNS_RUN_DIR "/run/netns"

/*
 * Create /run/netns/NAME holding a new namespace; -EEXIST if taken. init, if
 * given, runs inside the new namespace before it is published under its name,
 * so a namespace is never seen half-initialised (nstrace marks it there).
 */
int netns_create(const char *name, int (*init)(void *arg), void *arg);
/* Unmount and remove /run/netns/NAME. */
int netns_delete(const char *name);
/* O_RDONLY fd of /run/netns/NAME, or of a path (contains '/'), or -errno. */
int netns_open(const char *name_or_path);
/*
 * Runs fn(arg) with the calling thread inside the namespace behind fd and
 * returns its result, or -errno if the namespace cannot be entered. The way
 * back cannot be skipped: if the kernel refuses it, later sockets would be
 * opened in the wrong namespace, so the process stops with a message (exit 3).
 */
int netns_call(int fd, int (*fn)(void *arg), void *arg);
/* Move the calling thread into the namespace behind fd (prefer netns_call). */
int netns_enter(int fd);
/* fd of the namespace this process started in (opened once). */
int netns_origin_fd(void);
/* Back to the namespace the process started in. */
int netns_return(void);
/* Inode number identifying the namespace behind fd, 0 on error. */
uint32_t netns_inode(int fd);

/* Runs argv with execvp inside fd's namespace (-1: ours), never a shell; exit status or -errno. */
int netns_run(int fd, char *const argv[], int quiet);

/*
 * Runs argv (execvp, no shell) inside fd's namespace with stdin and stderr on
 * /dev/null and stdout into out (NUL-terminated, cut at size - 1): exit status
 * or -errno. For read-only tools whose output nstrace parses.
 */
int netns_capture(int fd, char *const argv[], char *out, int size);

#endif
