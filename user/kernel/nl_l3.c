// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Neighbours, bridge FDB entries and route lookups, read through rtnetlink. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <linux/fib_rules.h>
#include "kernel/netlink.h"
#include "kernel/netlink_internal.h"

static int neigh_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[64] = {};
	struct nl_neigh *n;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*nd)) || (nd->ndm_family != AF_INET && nd->ndm_family != AF_BRIDGE))
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*nd), nl_attr_table_cb, tb);
	/* An AF_INET entry without a 4-byte address is not one we can use. */
	if (nd->ndm_family == AF_INET && (!tb[NDA_DST] || mnl_attr_get_payload_len(tb[NDA_DST]) != 4))
		return MNL_CB_OK;
	n = nl_grow(data);
	if (!n)
		return MNL_CB_ERROR;
	n->family = nd->ndm_family;
	n->ifindex = nd->ndm_ifindex;
	n->state = nd->ndm_state;
	n->flags = nd->ndm_flags;
	if (nd->ndm_family == AF_INET)
		memcpy(&n->addr, mnl_attr_get_payload(tb[NDA_DST]), 4);
	if (tb[NDA_LLADDR] && mnl_attr_get_payload_len(tb[NDA_LLADDR]) == 6) {
		memcpy(n->lladdr, mnl_attr_get_payload(tb[NDA_LLADDR]), 6);
		n->has_lladdr = 1;
	}
	if (tb[NDA_MASTER] && mnl_attr_get_payload_len(tb[NDA_MASTER]) == 4)
		n->master = (int)mnl_attr_get_u32(tb[NDA_MASTER]);
	if (tb[NDA_VLAN] && mnl_attr_get_payload_len(tb[NDA_VLAN]) == 2)
		n->vlan = mnl_attr_get_u16(tb[NDA_VLAN]);
	return MNL_CB_OK;
}

int nl_neigh_dump(struct nl *nl, int family, struct nl_neigh **out)
{
	struct growable g = { .size = sizeof(struct nl_neigh) };

	return nl_dump(nl, RTM_GETNEIGH, family, sizeof(struct ndmsg), neigh_cb, &g, (void **)out);
}

/* What a route reply may carry, checked before use (as netlink_read.c does for dumps). */
static const struct attr_rule route_reply_rules[RTA_TABLE + 1] = {
	[RTA_DST] = { MNL_TYPE_BINARY, 4 },
	[RTA_OIF] = { MNL_TYPE_U32, 0 },
	[RTA_GATEWAY] = { MNL_TYPE_BINARY, 4 },
	[RTA_PREFSRC] = { MNL_TYPE_BINARY, 4 },
	[RTA_TABLE] = { MNL_TYPE_U32, 0 },
};

/*
 * An RTM_NEWROUTE reply's header, its attributes in tb; NULL if it is not
 * one, or (errno EBADMSG, and the read fails) if it does not parse.
 */
static const struct rtmsg *route_reply(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	errno = 0;
	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return NULL;
	if (nl_parse_msg(nlh, sizeof(struct rtmsg), (struct attr_table)TABLE(route_reply_rules, tb))) {
		errno = EBADMSG;
		return NULL;
	}
	return mnl_nlmsg_get_payload(nlh);
}

static void copy_addr(struct in_addr *dst, const struct nlattr *a)
{
	if (a)
		memcpy(dst, mnl_attr_get_payload(a), 4);
}

static int lookup_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RTA_TABLE + 1] = {};
	const struct rtmsg *rtm = route_reply(nlh, tb);
	struct nl_route_result *r = data;

	if (!rtm)
		return errno ? MNL_CB_ERROR : MNL_CB_OK;
	r->type = rtm->rtm_type;
	r->table = tb[RTA_TABLE] ? (int)mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	if (tb[RTA_OIF])
		r->oif = (int)mnl_attr_get_u32(tb[RTA_OIF]);
	copy_addr(&r->gateway, tb[RTA_GATEWAY]);
	copy_addr(&r->prefsrc, tb[RTA_PREFSRC]);
	return MNL_CB_OK;
}

/* What a route lookup can answer: a refusal is the kernel's verdict, not a failed read. */
static int is_refusal(int err)
{
	static const int answers[] = { ENETUNREACH, EHOSTUNREACH, EACCES, EPERM, EINVAL, EXDEV,
				       ENETDOWN, ENODEV, EADDRNOTAVAIL };

	for (size_t i = 0; i < sizeof(answers) / sizeof(answers[0]); i++)
		if (err == answers[i])
			return 1;
	return 0;
}

static int fib_match_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RTA_TABLE + 1] = {};
	const struct rtmsg *rtm = route_reply(nlh, tb);
	struct nl_route_result *r = data;

	if (!rtm)
		return errno ? MNL_CB_ERROR : MNL_CB_OK;
	r->net_len = rtm->rtm_dst_len > 32 ? 32 : rtm->rtm_dst_len;
	copy_addr(&r->net, tb[RTA_DST]);
	return MNL_CB_OK;
}

/* RTM_GETROUTE for q, as a packet would make it; flags: RTM_F_FIB_MATCH for the FIB entry itself. */
static struct nlmsghdr *put_query(char *buf, const struct nl_route_query *q, unsigned int flags)
{
	struct nlmsghdr *nlh = nl_put_header(buf, RTM_GETROUTE, 0);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 32;
	rtm->rtm_flags = flags;
	mnl_attr_put(nlh, RTA_DST, sizeof(q->dst), &q->dst);
	if (q->src.s_addr) {
		rtm->rtm_src_len = 32;
		mnl_attr_put(nlh, RTA_SRC, sizeof(q->src), &q->src);
	}
	if (q->iif > 0)
		mnl_attr_put_u32(nlh, RTA_IIF, q->iif);
	return nlh;
}

int nl_route_lookup(struct nl *nl, const struct nl_route_query *q, struct nl_route_result *r)
{
	char buf[256];
	int err;

	memset(r, 0, sizeof(*r));
	err = nl_exchange(nl, put_query(buf, q, 0), lookup_cb, r);
	if (err && !is_refusal(-err))
		return err;
	r->err = -err;
	/* The prefix of the FIB entry that matched: the route a fix would change. */
	if (!err)
		nl_exchange(nl, put_query(buf, q, RTM_F_FIB_MATCH), fib_match_cb, r);
	return 0;
}

static int block_route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[64] = {};
	struct nl_block *b;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*rtm)) || rtm->rtm_family != AF_INET ||
	    (rtm->rtm_type != RTN_UNREACHABLE && rtm->rtm_type != RTN_PROHIBIT && rtm->rtm_type != RTN_BLACKHOLE))
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*rtm), nl_attr_table_cb, tb);
	b = nl_grow(data);
	if (!b)
		return MNL_CB_ERROR;
	b->type = rtm->rtm_type;
	b->dst_len = rtm->rtm_dst_len;
	b->table = rtm->rtm_table;
	if (tb[RTA_TABLE] && mnl_attr_get_payload_len(tb[RTA_TABLE]) == 4)
		b->table = (int)mnl_attr_get_u32(tb[RTA_TABLE]);
	copy_addr(&b->dst, tb[RTA_DST]);
	return MNL_CB_OK;
}

static int block_rule_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct fib_rule_hdr *fr = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[64] = {};
	struct nl_block *b;
	int type;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*fr)) || fr->family != AF_INET)
		return MNL_CB_OK;
	type = fr->action == FR_ACT_UNREACHABLE ? RTN_UNREACHABLE : fr->action == FR_ACT_PROHIBIT ? RTN_PROHIBIT :
	       fr->action == FR_ACT_BLACKHOLE ? RTN_BLACKHOLE : 0;
	if (!type)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*fr), nl_attr_table_cb, tb);
	b = nl_grow(data);
	if (!b)
		return MNL_CB_ERROR;
	b->is_rule = 1;
	b->type = type;
	b->dst_len = fr->dst_len;
	b->src_len = fr->src_len;
	copy_addr(&b->dst, tb[FRA_DST]);
	copy_addr(&b->src, tb[FRA_SRC]);
	if (tb[FRA_PRIORITY] && mnl_attr_get_payload_len(tb[FRA_PRIORITY]) == 4)
		b->priority = (int)mnl_attr_get_u32(tb[FRA_PRIORITY]);
	return MNL_CB_OK;
}

int nl_block_dump(struct nl *nl, struct nl_block **out)
{
	struct growable g = { .size = sizeof(struct nl_block) };
	void *routes = NULL;
	int n;

	n = nl_dump(nl, RTM_GETROUTE, AF_INET, sizeof(struct rtmsg), block_route_cb, &g, &routes);
	if (n < 0)
		return n;
	/* The rules append to what the routes left in g. */
	g.items = routes;
	g.error = 0;
	n = nl_dump(nl, RTM_GETRULE, AF_INET, sizeof(struct fib_rule_hdr), block_rule_cb, &g, (void **)out);
	return n;
}
