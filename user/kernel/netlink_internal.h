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

#endif
