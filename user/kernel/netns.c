// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "kernel/netns.h"

static int origin_fd = -1;

int netns_origin_fd(void)
{
	if (origin_fd < 0)
		origin_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	return origin_fd;
}

int netns_enter(int fd)
{
	/* Remember where we started before the first move, or we never get back. */
	if (netns_origin_fd() < 0)
		return -errno;
	return setns(fd, CLONE_NEWNET) ? -errno : 0;
}

int netns_call(int fd, int (*fn)(void *arg), void *arg)
{
	int ret, err = netns_enter(fd);

	if (err)
		return err;
	ret = fn(arg);
	err = netns_return();
	if (err) {
		fprintf(stderr, "nstrace: cannot return to the original network namespace: %s "
			"(stopping: anything opened next would be in the wrong namespace)\n", strerror(-err));
		_exit(3);
	}
	return ret;
}

int netns_return(void)
{
	int fd = netns_origin_fd();

	return fd < 0 ? -EBADF : netns_enter(fd);
}

uint32_t netns_inode(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : (uint32_t)st.st_ino;
}

/*
 * Like iproute2: /run/netns is a shared bind mount of itself, so a namespace
 * mounted there is seen by every mount namespace that shares it.
 */
static int prepare_run_dir(void)
{
	static int prepared;

	if (prepared)
		return 0;
	if (mkdir(NETNS_RUN_DIR, 0755) && errno != EEXIST)
		return -errno;
	if (!mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL))
		return (prepared = 1), 0;
	if (errno != EINVAL)
		return -errno;
	if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL))
		return -errno;
	if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL))
		return -errno;
	prepared = 1;
	return 0;
}

int netns_create(const char *name, int (*init)(void *arg), void *arg)
{
	char path[PATH_MAX], self[64];
	int fd, err;

	if (netns_origin_fd() < 0)
		return -errno;
	err = prepare_run_dir();
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	close(fd);
	if (unshare(CLONE_NEWNET)) {
		err = -errno;
		goto cleanup_file;
	}
	if (init)
		err = init(arg);
	snprintf(self, sizeof(self), "/proc/self/task/%ld/ns/net", (long)syscall(SYS_gettid));
	if (!err && mount(self, path, "none", MS_BIND, NULL))
		err = -errno;
	netns_return();
	if (!err)
		return 0;
cleanup_file:
	unlink(path);
	return err;
}

int netns_delete(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	umount2(path, MNT_DETACH);
	return unlink(path) ? -errno : 0;
}

int netns_open(const char *name_or_path)
{
	char path[PATH_MAX];
	int fd;

	if (strchr(name_or_path, '/'))
		snprintf(path, sizeof(path), "%s", name_or_path);
	else
		snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name_or_path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int netns_run(int fd, char *const argv[], int quiet)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		/* We ignore SIGPIPE for ourselves; the child must not inherit that. */
		signal(SIGPIPE, SIG_DFL);
		if (fd >= 0 && netns_enter(fd))
			_exit(126);
		if (quiet) {
			int null = open("/dev/null", O_WRONLY);

			dup2(null, 1);
			dup2(null, 2);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	/* A signal for us (Ctrl-C) must not orphan the child mid-change. */
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int netns_capture(int fd, char *const argv[], char *out, int size)
{
	int pipefd[2], status, len = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -errno;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		signal(SIGPIPE, SIG_DFL);
		if (fd >= 0 && netns_enter(fd))
			_exit(126);
		dup2(null, 0);
		dup2(pipefd[1], 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	while (len < size - 1 && (n = read(pipefd[0], out + len, size - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += (int)n;
	}
	out[len] = '\0';
	close(pipefd[0]);	/* a longer output ends with SIGPIPE in the child: what was read is kept */
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
