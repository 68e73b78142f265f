// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reading rtnetlink: dumps and single look-ups, parsed into plain structs.
 * Every attribute is checked against a policy (type and length) before it
 * is used, as iproute2's ctrl_attrs_cb does; a message that fails makes the
 * whole read fail (-EBADMSG), never a half-filled answer. Links are read in
 * netlink_link.c with the same machinery.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>
#include <linux/if_bridge.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include "kernel/netlink.h"
#include "kernel/netlink_internal.h"

/* ---- attribute policies (links': netlink_link.c) ---- */

static const struct attr_rule addr_rules[IFA_LOCAL + 1] = {
	[IFA_ADDRESS] = { MNL_TYPE_BINARY, 4 },
	[IFA_LOCAL] = { MNL_TYPE_BINARY, 4 },
};
static const struct attr_rule route_rules[RTA_TABLE + 1] = {
	[RTA_DST] = { MNL_TYPE_BINARY, 4 },
	[RTA_OIF] = { MNL_TYPE_U32, 0 },
	[RTA_GATEWAY] = { MNL_TYPE_BINARY, 4 },
	[RTA_TABLE] = { MNL_TYPE_U32, 0 },
};
static const struct attr_rule nsid_rules[NETNSA_NSID + 1] = {
	[NETNSA_NSID] = { MNL_TYPE_U32, 0 },
};

static int table_cb(const struct nlattr *attr, void *data)
{
	struct attr_table *t = data;
	int type = mnl_attr_get_type(attr);
	const struct attr_rule *r;

	if (mnl_attr_type_valid(attr, t->max) < 0 || !t->rules[type].type)
		return MNL_CB_OK;	/* not one we read */
	r = &t->rules[type];
	if (r->type == MNL_TYPE_BINARY ? mnl_attr_validate2(attr, MNL_TYPE_BINARY, r->len) < 0 :
					 mnl_attr_validate(attr, r->type) < 0)
		return MNL_CB_ERROR;
	t->tb[type] = attr;
	return MNL_CB_OK;
}

/* The attributes after a fixed header of hdr bytes; -EBADMSG if the message is too short or one is wrong. */
int nl_parse_msg(const struct nlmsghdr *nlh, size_t hdr, struct attr_table t)
{
	if (mnl_nlmsg_get_payload_len(nlh) < hdr)
		return -EBADMSG;
	return mnl_attr_parse(nlh, hdr, table_cb, &t) < 0 ? -EBADMSG : 0;
}

int nl_parse_nested(const struct nlattr *nest, struct attr_table t)
{
	return mnl_attr_parse_nested(nest, table_cb, &t) < 0 ? -EBADMSG : 0;
}

/* ---- dumps ---- */

void *nl_grow(struct growable *g)
{
	if (g->count == g->cap) {
		int cap = g->cap ? g->cap * 2 : 16;
		void *p = realloc(g->items, cap * g->size);

		if (!p) {
			g->error = -ENOMEM;
			return NULL;
		}
		g->items = p;
		g->cap = cap;
	}
	memset((char *)g->items + g->count * g->size, 0, g->size);
	return (char *)g->items + g->count++ * g->size;
}

/* A callback's verdict on one message: a parse error is kept and stops the read. */
int nl_keep_error(struct growable *g, int err)
{
	if (!err)
		return MNL_CB_OK;
	g->error = err;
	return MNL_CB_ERROR;
}

/*
 * A dump request; one the kernel marks interrupted (NLM_F_DUMP_INTR: the
 * table changed meanwhile, libmnl says EINTR) is asked again, after reset.
 */
int nl_dump_request(struct nl *nl, int type, int family, size_t hdr_size, mnl_cb_t cb,
			struct growable *g, void (*reset)(struct growable *g))
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *gen;
	int err = -EINTR;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	gen = mnl_nlmsg_put_extra_header(nlh, hdr_size);
	gen->rtgen_family = family;
	for (int tries = 0; tries < 3 && err == -EINTR; tries++) {
		if (tries)
			reset(g);
		g->error = 0;
		err = nl_exchange(nl, nlh, cb, g);
		/* Our own callback's reason (ENOMEM, EBADMSG) beats libmnl's errno. */
		if (g->error)
			err = g->error;
	}
	return err;
}

void nl_reset_items(struct growable *g)
{
	g->count = 0;
}

int nl_attr_table_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	/* Tables are sized for the largest attribute type we read (< 64). */
	if (type < 64)
		tb[type] = attr;
	return MNL_CB_OK;
}

/* Hands the items to *out, or frees them on error. */

int nl_dump(struct nl *nl, int type, int family, size_t hdr_size, mnl_cb_t cb, struct growable *g, void **out)
{
	return nl_dump_result(g, nl_dump_request(nl, type, family, hdr_size, cb, g, nl_reset_items), out);
}

int nl_dump_result(struct growable *g, int err, void **out)
{
	if (err) {
		free(g->items);
		*out = NULL;
		return err;
	}
	*out = g->items;
	return g->count;
}

void nl_copy_str(char *dst, size_t size, const struct nlattr *attr)
{
	size_t len;

	if (!attr) {
		dst[0] = '\0';
		return;
	}
	len = strnlen(mnl_attr_get_payload(attr), mnl_attr_get_payload_len(attr));
	if (len >= size)
		len = size - 1;
	memcpy(dst, mnl_attr_get_payload(attr), len);
	dst[len] = '\0';
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_LOCAL + 1] = {}, *a;
	struct nl_addr *addr;
	int err;

	if (nlh->nlmsg_type != RTM_NEWADDR)
		return MNL_CB_OK;
	err = nl_parse_msg(nlh, sizeof(*ifa), (struct attr_table)TABLE(addr_rules, tb));
	if (err || ifa->ifa_family != AF_INET)
		return nl_keep_error(data, err);
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a)
		return MNL_CB_OK;
	addr = nl_grow(data);
	if (!addr)
		return MNL_CB_ERROR;
	addr->ifindex = ifa->ifa_index;
	addr->prefixlen = ifa->ifa_prefixlen;
	memcpy(&addr->addr, mnl_attr_get_payload(a), 4);
	return MNL_CB_OK;
}

int nl_addr_dump(struct nl *nl, struct nl_addr **out)
{
	struct growable g = { .size = sizeof(struct nl_addr) };
	int err = nl_dump_request(nl, RTM_GETADDR, AF_INET, sizeof(struct ifaddrmsg), addr_cb, &g, nl_reset_items);

	return nl_dump_result(&g, err, (void **)out);
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_TABLE + 1] = {};
	struct nl_route *r;
	int err;

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return MNL_CB_OK;
	err = nl_parse_msg(nlh, sizeof(*rtm), (struct attr_table)TABLE(route_rules, tb));
	if (err || rtm->rtm_family != AF_INET || rtm->rtm_type != RTN_UNICAST)
		return nl_keep_error(data, err);
	r = nl_grow(data);
	if (!r)
		return MNL_CB_ERROR;
	r->dst_len = rtm->rtm_dst_len > 32 ? 32 : rtm->rtm_dst_len;
	r->table = tb[RTA_TABLE] ? (int)mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	if (tb[RTA_DST])
		memcpy(&r->dst, mnl_attr_get_payload(tb[RTA_DST]), 4);
	if (tb[RTA_GATEWAY])
		memcpy(&r->gateway, mnl_attr_get_payload(tb[RTA_GATEWAY]), 4);
	if (tb[RTA_OIF])
		r->oif = mnl_attr_get_u32(tb[RTA_OIF]);
	return MNL_CB_OK;
}

int nl_route_dump(struct nl *nl, struct nl_route **out)
{
	struct growable g = { .size = sizeof(struct nl_route) };
	int err = nl_dump_request(nl, RTM_GETROUTE, AF_INET, sizeof(struct rtmsg), route_cb, &g, nl_reset_items);

	return nl_dump_result(&g, err, (void **)out);
}

/* Answers to single requests: the value and a parse error, if any. */
struct answer {
	int value, type;
	int err;
};

static int nsid_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NETNSA_NSID + 1] = {};
	struct answer *a = data;

	if (nlh->nlmsg_type != RTM_NEWNSID)
		return MNL_CB_OK;
	a->err = nl_parse_msg(nlh, sizeof(struct rtgenmsg), (struct attr_table)TABLE(nsid_rules, tb));
	if (!a->err && tb[NETNSA_NSID])
		a->value = (int)mnl_attr_get_u32(tb[NETNSA_NSID]);
	return a->err ? MNL_CB_ERROR : MNL_CB_OK;
}

int nl_netnsid_of_fd(struct nl *nl, int netns_fd)
{
	char buf[256];
	struct nlmsghdr *nlh = nl_put_header(buf, RTM_GETNSID, 0);
	struct rtgenmsg *gen = mnl_nlmsg_put_extra_header(nlh, sizeof(*gen));
	struct answer a = { .value = -1 };
	int err;

	gen->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, netns_fd);
	err = nl_exchange(nl, nlh, nsid_cb, &a);
	if (a.err)
		return a.err;
	return err ? err : a.value;
}

static int route_get_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_TABLE + 1] = {};
	struct answer *a = data;

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return MNL_CB_OK;
	a->err = nl_parse_msg(nlh, sizeof(*rtm), (struct attr_table)TABLE(route_rules, tb));
	if (a->err)
		return MNL_CB_ERROR;
	a->type = rtm->rtm_type;
	if (tb[RTA_OIF])
		a->value = (int)mnl_attr_get_u32(tb[RTA_OIF]);
	return MNL_CB_OK;
}

int nl_route_out(struct nl *nl, struct in_addr dst, int *oif, int *type)
{
	char buf[256];
	struct nlmsghdr *nlh = nl_put_header(buf, RTM_GETROUTE, 0);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	struct answer a = {};
	int err;

	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 32;
	mnl_attr_put(nlh, RTA_DST, sizeof(dst), &dst);
	err = nl_exchange(nl, nlh, route_get_cb, &a);
	if (a.err)
		err = a.err;
	if (err)
		return err;
	*oif = a.value;
	*type = a.type;
	return a.value || a.type != RTN_UNICAST ? 0 : -ENETUNREACH;
}

/* ---- recorded replies (unit tests, fuzzing): the same callbacks, on bytes ---- */

/* As nl_dump_request() does: our callback's own reason before libmnl's errno. */
int nl_replay_error(int err, const struct growable *g)
{
	return g->error ? g->error : err;
}

int nl_addr_replay(const void *buf, size_t len, struct nl_addr **out)
{
	struct growable g = { .size = sizeof(struct nl_addr) };
	struct nl nl = {};
	int err = nl_replay_error(nl_replay(&nl, buf, len, addr_cb, &g), &g);

	return nl_dump_result(&g, err, (void **)out);
}

int nl_route_replay(const void *buf, size_t len, struct nl_route **out)
{
	struct growable g = { .size = sizeof(struct nl_route) };
	struct nl nl = {};
	int err = nl_replay_error(nl_replay(&nl, buf, len, route_cb, &g), &g);

	return nl_dump_result(&g, err, (void **)out);
}

int nl_answer_replay(const void *buf, size_t len, int *nsid, int *oif, int *type, char *ext_ack, size_t size)
{
	struct answer n = { .value = -1 }, r = {};
	struct nl nl = {};
	int err = nl_replay(&nl, buf, len, nsid_cb, &n);

	if (!err)
		err = nl_replay(&nl, buf, len, route_get_cb, &r);
	*nsid = n.value;
	*oif = r.value;
	*type = r.type;
	snprintf(ext_ack, size, "%s", nl.ext_ack);
	return n.err ? n.err : r.err ? r.err : err;
}
