// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include "kernel/netlink_internal.h"
#include "kernel/nftrace.h"

#define NFT_TYPE(msg) ((NFNL_SUBSYS_NFTABLES << 8) | (msg))
#define BATCH_SIZE 16384
/* Before every chain of the hook but nstrace's own first-priority BPF observer. */
#define TRACE_PRIORITY (-2147483646)
#define LISTEN_BUF (4 << 20)

static struct nlmsghdr *put_msg(struct mnl_nlmsg_batch *b, int type, int family, int flags, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(mnl_nlmsg_batch_current(b));
	struct nfgenmsg *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = family;
	g->version = NFNETLINK_V0;
	g->res_id = type == NFNL_MSG_BATCH_BEGIN || type == NFNL_MSG_BATCH_END ? htons(NFNL_SUBSYS_NFTABLES) : 0;
	return nlh;
}

/* meta nftrace set 1: an immediate 1 into register 1, and meta reading it into nf_trace. */
static void put_trace_rule(struct nlmsghdr *nlh)
{
	struct nlattr *exprs = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS), *elem, *data, *value;
	uint8_t one = 1;

	elem = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
	mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "immediate");
	data = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
	mnl_attr_put_u32(nlh, NFTA_IMMEDIATE_DREG, htonl(NFT_REG_1));
	value = mnl_attr_nest_start(nlh, NFTA_IMMEDIATE_DATA);
	mnl_attr_put(nlh, NFTA_DATA_VALUE, sizeof(one), &one);
	mnl_attr_nest_end(nlh, value);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, elem);
	elem = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
	mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "meta");
	data = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
	mnl_attr_put_u32(nlh, NFTA_META_KEY, htonl(NFT_META_NFTRACE));
	mnl_attr_put_u32(nlh, NFTA_META_SREG, htonl(NFT_REG_1));
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, elem);
	mnl_attr_nest_end(nlh, exprs);
}

static void put_chain(struct mnl_nlmsg_batch *b, const char *table, const struct nftrace_hook *h, int i, uint32_t seq)
{
	struct nlmsghdr *nlh = put_msg(b, NFT_TYPE(NFT_MSG_NEWCHAIN), h->family, NLM_F_CREATE | NLM_F_ACK, seq);
	struct nlattr *hook;
	char name[16];

	snprintf(name, sizeof(name), "h%d", i);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, table);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, name);
	hook = mnl_attr_nest_start(nlh, NFTA_CHAIN_HOOK);
	mnl_attr_put_u32(nlh, NFTA_HOOK_HOOKNUM, htonl(h->hook));
	mnl_attr_put_u32(nlh, NFTA_HOOK_PRIORITY, htonl((uint32_t)TRACE_PRIORITY));
	if (h->dev[0])
		mnl_attr_put_strz(nlh, NFTA_HOOK_DEV, h->dev);
	mnl_attr_nest_end(nlh, hook);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_TYPE, "filter");
	mnl_attr_put_u32(nlh, NFTA_CHAIN_POLICY, htonl(NF_ACCEPT));
	mnl_nlmsg_batch_next(b);
	nlh = put_msg(b, NFT_TYPE(NFT_MSG_NEWRULE), h->family, NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK, seq + 1);
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, name);
	put_trace_rule(nlh);
	mnl_nlmsg_batch_next(b);
}

/* Reads the acknowledgements of acks requests; the first error, or 0. */
static int read_acks(struct nl *nl, int acks)
{
	char buf[8192];
	int err = 0;

	while (acks > 0) {
		int len = (int)recv(mnl_socket_get_fd(nl->sock), buf, sizeof(buf), 0);
		const struct nlmsghdr *h = (const void *)buf;

		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0)
			return -errno;
		for (; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);

			if (h->nlmsg_type != NLMSG_ERROR || h->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
				continue;
			acks--;
			if (e->error && !err)
				err = e->error;
		}
	}
	return err;
}

static int make_tables(struct nftrace *t, const struct nftrace_hook *hooks, int n)
{
	char buf[BATCH_SIZE];
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, sizeof(buf));
	uint32_t seq = t->owner.seq;
	int acks = 0, done[NFTRACE_MAX_HOOKS] = {};

	put_msg(b, NFNL_MSG_BATCH_BEGIN, AF_UNSPEC, 0, seq++);
	mnl_nlmsg_batch_next(b);
	for (int i = 0; i < n; i++) {
		int seen = 0;

		for (int j = 0; j < i; j++)
			seen |= done[j] && hooks[j].family == hooks[i].family;
		if (!seen) {
			struct nlmsghdr *nlh = put_msg(b, NFT_TYPE(NFT_MSG_NEWTABLE), hooks[i].family,
						       NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK, seq++);

			mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, t->table);
			/* Owned by this socket: gone with it, on exit, signal or kill -9. */
			mnl_attr_put_u32(nlh, NFTA_TABLE_FLAGS, htonl(NFT_TABLE_F_OWNER));
			mnl_nlmsg_batch_next(b);
			acks++;
		}
		done[i] = 1;
		put_chain(b, t->table, &hooks[i], i, seq);
		seq += 2;
		acks += 2;
	}
	put_msg(b, NFNL_MSG_BATCH_END, AF_UNSPEC, 0, seq++);
	mnl_nlmsg_batch_next(b);
	t->owner.seq = seq;
	if (mnl_socket_sendto(t->owner.sock, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b)) < 0)
		return -errno;
	return read_acks(&t->owner, acks);
}

int nftrace_start(struct nftrace *t, int netns_fd, const struct nftrace_hook *hooks, int n)
{
	int grp = NFNLGRP_NFTRACE, size = LISTEN_BUF, err;

	memset(t, 0, sizeof(*t));
	if (n > NFTRACE_MAX_HOOKS)
		return -E2BIG;
	snprintf(t->table, sizeof(t->table), "nstrace_trace_%d", (int)getpid());
	err = nl_open_netfilter_in(&t->owner, netns_fd);
	if (!err)
		err = nl_open_netfilter_in(&t->listen, netns_fd);
	/* Listening first: nothing traced may be missed. */
	if (!err && mnl_socket_setsockopt(t->listen.sock, NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)))
		err = -errno;
	if (!err && setsockopt(mnl_socket_get_fd(t->listen.sock), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(mnl_socket_get_fd(t->listen.sock), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (!err)
		err = make_tables(t, hooks, n);
	if (err)
		nftrace_stop(t);
	return err;
}

/* ARP or our ICMP echo, from the headers the trace carries. */
static void trace_proto(const struct nlattr *nh, const struct nlattr *th, struct nftrace_drop *d)
{
	const uint8_t *n = nh ? mnl_attr_get_payload(nh) : NULL, *tp = th ? mnl_attr_get_payload(th) : NULL;
	int nlen = nh ? mnl_attr_get_payload_len(nh) : 0, tlen = th ? mnl_attr_get_payload_len(th) : 0;

	if (nlen >= 8 && n[2] == 0x08 && n[3] == 0x00 && n[4] == 6 && n[5] == 4)
		d->proto = 1;
	else if (nlen >= 20 && (n[0] >> 4) == 4 && n[9] == 1 && tlen >= 8 && (tp[0] == 8 || tp[0] == 0)) {
		d->proto = 2;
		d->icmp_id = (uint16_t)(tp[4] << 8 | tp[5]);
	}
}

static int parse_trace(const struct nlmsghdr *h, struct nftrace *t, struct nftrace_drop *d)
{
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(h);
	const struct nlattr *tb[64] = {}, *v[8] = {};
	uint32_t type;

	if (h->nlmsg_type != NFT_TYPE(NFT_MSG_TRACE) || h->nlmsg_len < mnl_nlmsg_size(sizeof(*g)))
		return 0;
	mnl_attr_parse(h, sizeof(*g), nl_attr_table_cb, tb);
	memset(d, 0, sizeof(*d));
	nl_copy_str(d->table, sizeof(d->table), tb[NFTA_TRACE_TABLE]);
	if (!strcmp(d->table, t->table))
		return 0;
	type = tb[NFTA_TRACE_TYPE] ? ntohl(mnl_attr_get_u32(tb[NFTA_TRACE_TYPE])) : 0;
	if (type == NFT_TRACETYPE_POLICY) {
		if (!tb[NFTA_TRACE_POLICY] || ntohl(mnl_attr_get_u32(tb[NFTA_TRACE_POLICY])) != NF_DROP)
			return 0;
		d->is_policy = 1;
	} else if (type == NFT_TRACETYPE_RULE && tb[NFTA_TRACE_VERDICT]) {
		mnl_attr_parse_nested(tb[NFTA_TRACE_VERDICT], nl_attr_table_cb, v);
		if (!v[NFTA_VERDICT_CODE] || ntohl(mnl_attr_get_u32(v[NFTA_VERDICT_CODE])) != NF_DROP)
			return 0;
		if (tb[NFTA_TRACE_RULE_HANDLE] && mnl_attr_get_payload_len(tb[NFTA_TRACE_RULE_HANDLE]) == 8)
			d->handle = be64toh(mnl_attr_get_u64(tb[NFTA_TRACE_RULE_HANDLE]));
	} else {
		return 0;
	}
	d->family = g->nfgen_family;
	nl_copy_str(d->chain, sizeof(d->chain), tb[NFTA_TRACE_CHAIN]);
	trace_proto(tb[NFTA_TRACE_NETWORK_HEADER], tb[NFTA_TRACE_TRANSPORT_HEADER], d);
	return 1;
}

int nftrace_read(struct nftrace *t, struct nftrace_drop *out, int max)
{
	char buf[16384];
	int n = 0, len;

	if (!t->listen.sock)
		return 0;
	while (n < max && (len = (int)recv(mnl_socket_get_fd(t->listen.sock), buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		const struct nlmsghdr *h = (const void *)buf;

		for (; mnl_nlmsg_ok(h, len) && n < max; h = mnl_nlmsg_next(h, &len))
			n += parse_trace(h, t, &out[n]);
	}
	return n;
}

void nftrace_stop(struct nftrace *t)
{
	nl_close(&t->listen);
	nl_close(&t->owner);
}
