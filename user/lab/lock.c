// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "lab/lock.h"
#include "lab/owner.h"

static const volatile sig_atomic_t *stop_flag;
static void (*on_wait)(int pid, const char *cmd);

void lab_lock_policy(const volatile sig_atomic_t *stop, void (*waiting)(int pid, const char *cmd))
{
	stop_flag = stop;
	on_wait = waiting;
}

/* Who holds the flock on fd, from /proc/locks (the kernel's own record); 0 if unknown. */
static int holder_of(int fd)
{
	unsigned int maj, min;
	unsigned long ino;
	char line[256], kind[16];
	struct stat st;
	int pid = 0, p;
	FILE *f;

	if (fstat(fd, &st))
		return 0;
	f = fopen("/proc/locks", "re");
	if (!f)
		return 0;
	while (!pid && fgets(line, sizeof(line), f)) {
		/* "1: FLOCK  ADVISORY  WRITE 1234 00:19:567 0 EOF"; waiters' lines have "->" and are skipped. */
		if (sscanf(line, "%*d: %15s %*s %*s %d %x:%x:%lu", kind, &p, &maj, &min, &ino) == 5 &&
		    !strcmp(kind, "FLOCK") && ino == st.st_ino && maj == major(st.st_dev) && min == minor(st.st_dev))
			pid = p;
	}
	fclose(f);
	return pid;
}

int lab_lock_wait(int interruptible)
{
	int fd = open(LAB_LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC, 0600), told = 0;
	struct timespec tick = { 0, 50 * 1000000L };

	if (fd < 0)
		return -errno;
	/*
	 * One nstrace at a time may check names and build, or remove: without it
	 * two runs of the same lab both pass the preflight, and the loser's undo
	 * (which removes by mark) would tear down the winner's objects. Polled,
	 * not blocking, so a Ctrl-C is never lost between a check and a wait.
	 */
	while (flock(fd, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			int err = -errno;

			close(fd);
			return err;
		}
		if (interruptible && stop_flag && *stop_flag) {
			close(fd);
			return -EINTR;
		}
		if (!told++ && on_wait) {
			char cmd[160];
			struct lab_owner holder = { .pid = holder_of(fd) };

			lab_owner_cmdline(&holder, cmd, sizeof(cmd));
			on_wait(holder.pid, cmd);
		}
		nanosleep(&tick, NULL);
	}
	return fd;
}

int lab_lock(void)
{
	return lab_lock_wait(1);
}

void lab_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
