// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lab/owner.h"

/* Field 22 of /proc/PID/stat, after the command name (which may hold spaces and parentheses). */
static int start_time(int pid, unsigned long long *start)
{
	char path[64], buf[1024], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p)
		return -EINVAL;
	/* ") S ppid pgrp ...": state is field 3, starttime field 22. */
	for (int field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", start) != 1)
		return -EINVAL;
	return 0;
}

int lab_owner_self(struct lab_owner *o)
{
	o->pid = (int)getpid();
	return start_time(o->pid, &o->start);
}

int lab_owner_alive(const struct lab_owner *o)
{
	unsigned long long start;

	if (o->pid <= 0)
		return 1;
	return !start_time(o->pid, &start) && start == o->start;
}

void lab_owner_cmdline(const struct lab_owner *o, char *buf, size_t size)
{
	char path[64];
	size_t n = 0;
	FILE *f;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cmdline", o->pid);
	if (o->pid <= 0 || !(f = fopen(path, "re")))
		return;
	n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (size_t i = 0; n && i < n - 1; i++)
		if (!buf[i])
			buf[i] = ' ';
}
