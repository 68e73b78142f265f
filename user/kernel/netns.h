/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Named network namespaces (iproute2-compatible, under /run/netns). */
#ifndef NSTRACE_KERNEL_NETNS_H
#define NSTRACE_KERNEL_NETNS_H

#include <stdint.h>

#define NETNS_RUN_DIR "/run/netns"

/*
 * Create /run/netns/NAME holding a new namespace; -EEXIST if taken. init, if
 * given, runs inside the new namespace before it is published under its name,
 * so a namespace is never seen half-initialised (nstrace marks it there). The
 * file is made only once the namespace is ready, and mounted at once: a kill
 * in between leaves an empty file (netns_file_state() says so), nothing else.
 */
int netns_create(const char *name, int (*init)(void *arg), void *arg);
/* Unmount and remove /run/netns/NAME. */
int netns_delete(const char *name);
/* O_RDONLY fd of /run/netns/NAME, or of a path (contains '/'), or -errno. */
int netns_open(const char *name_or_path);
/*
 * 0 if fd is a network namespace; -ENOTNAM if it is a file that is no
 * namespace at all (a regular file, a directory, an unmounted netns file),
 * -EPROTOTYPE if it is a namespace of another kind (mnt, pid...).
 */
int netns_check(int fd);
/* /run/netns/NAME: 1 a namespace is mounted there, 0 an empty file that is none, or -errno. */
int netns_file_state(const char *name);
/*
 * Runs fn(arg) with the calling thread inside the namespace behind fd and
 * returns its result, or -errno if the namespace cannot be entered. The way
 * back cannot be skipped: if the kernel refuses it, later sockets would be
 * opened in the wrong namespace, so the process stops with a message (exit 3).
 * This is the only way in and out: a socket opened inside stays there.
 */
int netns_call(int fd, int (*fn)(void *arg), void *arg);
/* fd of the namespace this process started in (opened once). */
int netns_origin_fd(void);
/* Inode number identifying the namespace behind fd, 0 on error. */
uint32_t netns_inode(int fd);

/* Runs argv with execvp inside fd's namespace (-1: ours), never a shell; exit status or -errno. */
int netns_run(int fd, char *const argv[], int quiet);
/*
 * Replaces this process with argv inside fd's namespace, as 'ip netns exec'
 * does (its own /sys, so /sys/class/net shows that namespace). Returns
 * -errno only if that fails.
 */
int netns_exec(int fd, char *const argv[]);

/*
 * Runs argv (execvp, no shell) inside fd's namespace with stdin and stderr on
 * /dev/null and stdout into out (NUL-terminated, cut at size - 1): exit status
 * or -errno. For read-only tools whose output nstrace parses.
 */
int netns_capture(int fd, char *const argv[], char *out, int size);

#endif
