// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench/floor: attaches bench/floor.bpf.c (read the ethertype, return) to
 * the tc hooks nstrace would use, holds them until SIGINT/SIGTERM, then
 * prints the kernel's run count and run time (BPF_ENABLE_STATS; not with
 * FLOOR_NO_STATS set in the environment: the accounting costs each run two
 * clock reads, which would be part of what is measured).
 *
 *   floor OBJ tcx|clsact in|inout NETNS:IFNAME...
 *     NETNS: a name under /run/netns, or "-" for our own namespace.
 * Prints "attached N" once every hook is in place.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define TCX_INGRESS 46
#define TCX_EGRESS 47
#define MAX_HOOKS 64

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct hook {
	int ns_fd, ifindex, egress, link_fd, clsact;
};

static int enter(int fd)
{
	return setns(fd, CLONE_NEWNET) ? -errno : 0;
}

static int attach(struct hook *h, int prog_fd, int clsact)
{
	if (!clsact) {
		h->link_fd = bpf_link_create(prog_fd, h->ifindex, h->egress ? TCX_EGRESS : TCX_INGRESS, NULL);
		return h->link_fd < 0 ? h->link_fd : 0;
	}
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = h->ifindex,
			    .attach_point = h->egress ? BPF_TC_EGRESS : BPF_TC_INGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = prog_fd, .priority = 0xf100);
	int err = bpf_tc_hook_create(&hook);

	if (err && err != -EEXIST)
		return err;
	h->clsact = 1;
	return bpf_tc_attach(&hook, &opts);
}

static void detach(struct hook *h)
{
	if (!h->clsact) {
		close(h->link_fd);
		return;
	}
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = h->ifindex, .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
	bpf_tc_hook_destroy(&hook);	/* the bench's own links: their clsact qdisc goes too */
}

static int parse_hook(const char *arg, struct hook *h)
{
	char ns[256];
	const char *colon = strchr(arg, ':');

	if (!colon || colon - arg >= (int)sizeof(ns))
		return -EINVAL;
	snprintf(ns, sizeof(ns), "%.*s", (int)(colon - arg), arg);
	if (!strcmp(ns, "-")) {
		h->ns_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	} else {
		char path[300];

		snprintf(path, sizeof(path), "/run/netns/%s", ns);
		h->ns_fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (h->ns_fd < 0)
		return -errno;
	if (enter(h->ns_fd))
		return -errno;
	h->ifindex = if_nametoindex(colon + 1);
	return h->ifindex ? 0 : -ENODEV;
}

int main(int argc, char **argv)
{
	struct hook hooks[MAX_HOOKS];
	int n = 0, self, stats_fd, prog_fd, clsact, inout, err;
	struct bpf_object *obj;
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (argc < 5) {
		fprintf(stderr, "usage: %s OBJ tcx|clsact in|inout NETNS:IFNAME...\n", argv[0]);
		return 2;
	}
	clsact = !strcmp(argv[2], "clsact");
	inout = !strcmp(argv[3], "inout");
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "floor: cannot load %s\n", argv[1]);
		return 1;
	}
	prog_fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "floor_tc"));
	stats_fd = getenv("FLOOR_NO_STATS") ? -1 : bpf_enable_stats(BPF_STATS_RUN_TIME);
	for (int i = 4; i < argc; i++) {
		for (int egress = 0; egress <= inout; egress++) {
			struct hook *h = &hooks[n];

			if (n == MAX_HOOKS)
				return 2;
			memset(h, 0, sizeof(*h));
			h->egress = egress;
			err = parse_hook(argv[i], h);
			if (!err)
				err = attach(h, prog_fd, clsact);
			enter(self);
			if (err) {
				fprintf(stderr, "floor: %s: %s\n", argv[i], strerror(-err));
				stop = 1;
				break;
			}
			n++;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!stop)
		printf("attached %d\n", n);
	fflush(stdout);
	while (!stop)
		pause();
	bpf_obj_get_info_by_fd(prog_fd, &info, &len);
	if (stats_fd >= 0)
		printf("floor_tc %llu runs %.1f ns/run\n", (unsigned long long)info.run_cnt,
	       info.run_cnt ? (double)info.run_time_ns / info.run_cnt : 0.0);
	for (int i = n - 1; i >= 0; i--) {
		enter(hooks[i].ns_fd);
		detach(&hooks[i]);
		enter(self);
	}
	if (stats_fd >= 0)
		close(stats_fd);
	bpf_object__close(obj);
	return 0;
}
