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
/* Replies already received (or recorded) through cb, as nl_exchange reads them; 0 or -errno. */
int nl_replay(struct nl *nl, const void *buf, size_t len, mnl_cb_t cb, void *data);
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

/* ---- reading replies: attribute policies (netlink_read.c) ---- */

/* What an attribute must be: an MNL_TYPE_*, and for BINARY an exact length (0: any). */
struct attr_rule {
	unsigned char type;
	unsigned char len;
};

struct attr_table {
	const struct attr_rule *rules;
	int max;			/* highest type with a rule; tb has max + 1 entries */
	const struct nlattr **tb;
};

#define TABLE(rules, tb) { (rules), (int)(sizeof(rules) / sizeof((rules)[0])) - 1, (tb) }

/* The attributes after a fixed header of hdr bytes, checked by t's rules; -EBADMSG if wrong. */
int nl_parse_msg(const struct nlmsghdr *nlh, size_t hdr, struct attr_table t);
int nl_parse_nested(const struct nlattr *nest, struct attr_table t);
/* A callback's verdict on one message: a parse error is kept in g and stops the read. */
int nl_keep_error(struct growable *g, int err);
/* A dump request, asked again (after reset) when the kernel marks it interrupted. */
int nl_dump_request(struct nl *nl, int type, int family, size_t hdr_size, mnl_cb_t cb,
		    struct growable *g, void (*reset)(struct growable *g));
void nl_reset_items(struct growable *g);
/* Hands the items to *out (count), or frees them and returns err. */
int nl_dump_result(struct growable *g, int err, void **out);
/* A replayed read's error as a live one reports it: the callback's own reason first. */
int nl_replay_error(int err, const struct growable *g);

#endif
