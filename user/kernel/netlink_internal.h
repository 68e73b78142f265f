/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Shared by netlink.c (requests) and netlink_read.c (dumps, look-ups) only. */
#ifndef NSTRACE_KERNEL_NETLINK_INTERNAL_H
#define NSTRACE_KERNEL_NETLINK_INTERNAL_H

#include <linux/rtnetlink.h>
#include "kernel/netlink.h"

/* libmnl 1.0.4 has no MNL_SOCKET_DUMP_SIZE: a dump part fits in 32 KiB. */
#define NL_BUF_SIZE 32768

/* Send one request and run cb over every reply until ACK/DONE; 0 or -errno. */
int nl_exchange(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
/* A request header with NLM_F_REQUEST | NLM_F_ACK | flags. */
struct nlmsghdr *nl_put_header(char *buf, int type, int flags);
struct ifinfomsg *nl_put_ifinfo(struct nlmsghdr *nlh, int ifindex);

/* A growing array of parsed replies; error is set if memory ran out. */
struct growable {
	void *items;
	size_t size;	/* of one item */
	int count, cap;
	int error;
};

/* A zeroed new item at the end, or NULL (g->error set). */
void *nl_grow(struct growable *g);
/* Dumps type/family, cb filling g; *out the items (free it), count or -errno. Retries NLM_F_DUMP_INTR. */
int nl_dump(struct nl *nl, int type, int family, size_t hdr_size, mnl_cb_t cb,
	    struct growable *g, void **out);
/* mnl_attr_parse callback filling tb[type] for types below 64. */
int nl_attr_table_cb(const struct nlattr *attr, void *data);
/* A string attribute into dst, cut to size; "" if absent. */
void nl_copy_str(char *dst, size_t size, const struct nlattr *attr);

#endif
