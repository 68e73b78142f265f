// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include "observe/nflink.h"

/* The head of union bpf_attr for BPF_LINK_CREATE, as of Linux 6.4. */
struct link_create_nf {
	__u32 prog_fd;
	__u32 target_fd;
	__u32 attach_type;
	__u32 flags;
	__u32 pf;
	__u32 hooknum;
	__s32 priority;
	__u32 nf_flags;
};

int nflink_create(int prog_fd, int pf, int hooknum, int priority)
{
	union {
		struct link_create_nf nf;
		char pad[128];	/* the kernel checks that unused bytes are zero */
	} attr;
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.nf.prog_fd = prog_fd;
	attr.nf.attach_type = NSTRACE_BPF_NETFILTER;
	attr.nf.pf = pf;
	attr.nf.hooknum = hooknum;
	attr.nf.priority = priority;
	fd = syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof(attr));
	return fd < 0 ? -errno : (int)fd;
}
