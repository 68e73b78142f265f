// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Neighbours, bridge FDB entries and route lookups, read through rtnetlink. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
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

static void copy_addr(struct in_addr *dst, const struct nlattr *a)
{
	if (a && mnl_attr_get_payload_len(a) == 4)
		memcpy(dst, mnl_attr_get_payload(a), 4);
}

static int lookup_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[64] = {};
	struct nl_route_result *r = data;

	if (nlh->nlmsg_type != RTM_NEWROUTE || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*rtm)))
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*rtm), nl_attr_table_cb, tb);
	r->type = rtm->rtm_type;
	r->table = rtm->rtm_table;
	if (tb[RTA_TABLE] && mnl_attr_get_payload_len(tb[RTA_TABLE]) == 4)
		r->table = (int)mnl_attr_get_u32(tb[RTA_TABLE]);
	if (tb[RTA_OIF] && mnl_attr_get_payload_len(tb[RTA_OIF]) == 4)
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

int nl_route_lookup(struct nl *nl, const struct nl_route_query *q, struct nl_route_result *r)
{
	char buf[256];
	struct nlmsghdr *nlh = nl_put_header(buf, RTM_GETROUTE, 0);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	int err;

	memset(r, 0, sizeof(*r));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 32;
	mnl_attr_put(nlh, RTA_DST, sizeof(q->dst), &q->dst);
	if (q->src.s_addr) {
		rtm->rtm_src_len = 32;
		mnl_attr_put(nlh, RTA_SRC, sizeof(q->src), &q->src);
	}
	if (q->iif > 0)
		mnl_attr_put_u32(nlh, RTA_IIF, q->iif);
	err = nl_exchange(nl, nlh, lookup_cb, r);
	if (err && !is_refusal(-err))
		return err;
	r->err = -err;
	return 0;
}
