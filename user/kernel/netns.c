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
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
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

/*
 * Only netns_call (and a child about to exec) moves between namespaces: a
 * hand-written enter/return pair is one ignored result from the wrong one.
 */
static int netns_enter(int fd)
{
	/* Remember where we started before the first move, or we never get back. */
	if (netns_origin_fd() < 0)
		return -errno;
	return setns(fd, CLONE_NEWNET) ? -errno : 0;
}

static int netns_return(void)
{
	int fd = netns_origin_fd();

	return fd < 0 ? -EBADF : netns_enter(fd);
}

/* Back where we started, or stop: anything opened next would be in the wrong namespace. */
static void come_back(void)
{
	int err = netns_return();

	if (!err)
		return;
	fprintf(stderr, "nstrace: cannot return to the original network namespace: %s "
		"(stopping: anything opened next would be in the wrong namespace)\n", strerror(-err));
	_exit(3);
}

int netns_call(int fd, int (*fn)(void *arg), void *arg)
{
	int ret, err = netns_enter(fd);

	if (err)
		return err;
	ret = fn(arg);
	come_back();
	return ret;
}

uint32_t netns_inode(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : (uint32_t)st.st_ino;
}

int netns_check(int fd)
{
	int type = ioctl(fd, NS_GET_NSTYPE);

	if (type < 0)
		return errno == ENOTTY || errno == EINVAL || errno == ENOSYS ? -ENOTNAM : -errno;
	return type == CLONE_NEWNET ? 0 : -EPROTOTYPE;
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

static int run_path(char *path, size_t size, const char *name)
{
	return (size_t)snprintf(path, size, "%s/%s", NETNS_RUN_DIR, name) >= size ? -ENAMETOOLONG : 0;
}

/* The new namespace's file, made and mounted in one go: the window a kill can hit is two syscalls wide. */
static int publish(const char *path)
{
	char self[64];
	int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	close(fd);
	snprintf(self, sizeof(self), "/proc/self/task/%ld/ns/net", (long)syscall(SYS_gettid));
	if (!mount(self, path, "none", MS_BIND, NULL))
		return 0;
	fd = -errno;
	unlink(path);
	return fd;
}

int netns_create(const char *name, int (*init)(void *arg), void *arg)
{
	char path[PATH_MAX];
	int err;

	if (netns_origin_fd() < 0)
		return -errno;
	err = prepare_run_dir();
	if (!err)
		err = run_path(path, sizeof(path), name);
	if (err)
		return err;
	/* Cheap before a namespace is made for nothing; publish() checks again with O_EXCL. */
	if (!access(path, F_OK))
		return -EEXIST;
	if (unshare(CLONE_NEWNET))
		return -errno;
	err = init ? init(arg) : 0;
	if (!err)
		err = publish(path);
	/* Unpublished, the namespace dies as we leave it. */
	come_back();
	return err;
}

int netns_delete(const char *name)
{
	char path[PATH_MAX];
	int err = run_path(path, sizeof(path), name);

	if (err)
		return err;
	umount2(path, MNT_DETACH);
	return unlink(path) ? -errno : 0;
}

int netns_open(const char *name_or_path)
{
	char path[PATH_MAX];
	int fd;

	if (strchr(name_or_path, '/')) {
		if ((size_t)snprintf(path, sizeof(path), "%s", name_or_path) >= sizeof(path))
			return -ENAMETOOLONG;
	} else if (run_path(path, sizeof(path), name_or_path)) {
		return -ENAMETOOLONG;
	}
	/* O_NONBLOCK: a FIFO given by mistake must not hang us. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	return fd < 0 ? -errno : fd;
}

int netns_file_state(const char *name)
{
	struct stat st;
	int fd = netns_open(name), err;

	if (fd < 0)
		return fd;
	err = netns_check(fd);
	if (err == -ENOTNAM && !fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size == 0)
		err = 0;
	else if (!err)
		err = 1;
	close(fd);
	return err;
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
		if (fd >= 0 && setns(fd, CLONE_NEWNET))
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

/* iproute2's netns_switch(): a sysfs of the namespace's own, in a mount namespace of ours. */
static void own_sysfs(void)
{
	unsigned long flags = 0;
	struct statvfs fs;

	if (unshare(CLONE_NEWNS) || mount("", "/", "none", MS_SLAVE | MS_REC, NULL))
		return;
	if (umount2("/sys", MNT_DETACH) && !statvfs("/sys", &fs) && (fs.f_flag & ST_RDONLY))
		flags = MS_RDONLY;
	mount("sysfs", "/sys", "sysfs", flags, NULL);
}

int netns_exec(int fd, char *const argv[])
{
	if (setns(fd, CLONE_NEWNET))
		return -errno;
	own_sysfs();
	signal(SIGPIPE, SIG_DFL);
	fflush(stdout);
	execvp(argv[0], argv);
	return -errno;
}
