// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/file.h>
#include "lab/lock.h"


/*
 * One nstrace at a time may check names and build, or remove: without it two
 * runs of the same lab both pass the preflight, and the loser's undo (which
 * removes by mark) would tear down the winner's objects.
 */
int lab_lock(void)
{
	int fd = open(LAB_LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX))
		if (errno != EINTR) {
			close(fd);
			return -errno;
		}
	return fd;
}

void lab_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
