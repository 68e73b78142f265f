// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include "observe/stats.h"

int stats_enable(void)
{
	int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);

	return fd < 0 ? -errno : fd;
}

int stats_add(struct prog_stat *st, int n, int max, const char *name, int prog_fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int i;

	if (prog_fd < 0 || bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return n;
	for (i = 0; i < n && strcmp(st[i].name, name); i++)
		;
	if (i == n) {
		if (n == max)
			return n;
		memset(&st[i], 0, sizeof(st[i]));
		snprintf(st[i].name, sizeof(st[i].name), "%s", name);
		n++;
	}
	st[i].copies++;
	st[i].run_ns += info.run_time_ns;
	st[i].run_cnt += info.run_cnt;
	return n;
}
