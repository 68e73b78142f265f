// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reading rtnetlink: dumps and single look-ups, parsed into plain structs. */
#include <errno.h>
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

/* ---- dumps ---- */

struct growable {
	void *items;
	size_t size;	/* of one item */
	int count, cap;
	int error;
};

static void *grow(struct growable *g)
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

static int dump(struct nl *nl, int type, int family, size_t hdr_size, mnl_cb_t cb,
		struct growable *g, void **out)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *gen;
	int err;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	gen = mnl_nlmsg_put_extra_header(nlh, hdr_size);
	gen->rtgen_family = family;
	/* A dump the kernel marks interrupted (links changed meanwhile) is retried. */
	for (int tries = 0; tries < 3; tries++) {
		err = nl_exchange(nl, nlh, cb, g);
		if (err != -EINTR)
			break;
		g->count = 0;
		g->error = 0;
	}
	if (!err)
		err = g->error;
	if (err) {
		free(g->items);
		*out = NULL;
		return err;
	}
	*out = g->items;
	return g->count;
}

static int attr_table_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	/* Tables are sized for the largest attribute type we read (< 64). */
	if (type < 64)
		tb[type] = attr;
	return MNL_CB_OK;
}

static void copy_str(char *dst, size_t size, const struct nlattr *attr)
{
	size_t len;

	if (!attr) {
		dst[0] = '\0';
		return;
	}
	len = mnl_attr_get_payload_len(attr);
	if (len >= size)
		len = size - 1;
	memcpy(dst, mnl_attr_get_payload(attr), len);
	dst[len] = '\0';
}

static void parse_linkinfo(const struct nlattr *info, struct nl_link *l)
{
	const struct nlattr *tb[64] = {};
	const struct nlattr *data[64] = {};

	mnl_attr_parse_nested(info, attr_table_cb, tb);
	copy_str(l->kind, sizeof(l->kind), tb[IFLA_INFO_KIND]);
	if (strcmp(l->kind, "bridge") || !tb[IFLA_INFO_DATA])
		return;
	mnl_attr_parse_nested(tb[IFLA_INFO_DATA], attr_table_cb, data);
	if (data[IFLA_BR_NF_CALL_IPTABLES])
		l->br_nf_call_iptables = mnl_attr_get_u8(data[IFLA_BR_NF_CALL_IPTABLES]);
	if (data[IFLA_BR_NF_CALL_ARPTABLES])
		l->br_nf_call_arptables = mnl_attr_get_u8(data[IFLA_BR_NF_CALL_ARPTABLES]);
}

static void parse_port(const struct nlattr *protinfo, struct nl_link *l)
{
	const struct nlattr *tb[64] = {};

	if (!(protinfo->nla_type & NLA_F_NESTED))
		return;
	mnl_attr_parse_nested(protinfo, attr_table_cb, tb);
	if (tb[IFLA_BRPORT_STATE])
		l->port_state = mnl_attr_get_u8(tb[IFLA_BRPORT_STATE]);
	if (tb[IFLA_BRPORT_LEARNING])
		l->port_learning = mnl_attr_get_u8(tb[IFLA_BRPORT_LEARNING]);
	if (tb[IFLA_BRPORT_UNICAST_FLOOD])
		l->port_flood = mnl_attr_get_u8(tb[IFLA_BRPORT_UNICAST_FLOOD]);
	if (tb[IFLA_BRPORT_ISOLATED])
		l->port_isolated = mnl_attr_get_u8(tb[IFLA_BRPORT_ISOLATED]);
}

static void parse_link(const struct nlmsghdr *nlh, struct nl_link *l)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[64] = {};

	mnl_attr_parse(nlh, sizeof(*ifi), attr_table_cb, tb);
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	l->link_netnsid = -1;
	l->port_state = l->port_learning = l->port_flood = l->port_isolated = -1;
	l->br_nf_call_iptables = l->br_nf_call_arptables = -1;
	copy_str(l->name, sizeof(l->name), tb[IFLA_IFNAME]);
	copy_str(l->alias, sizeof(l->alias), tb[IFLA_IFALIAS]);
	if (tb[IFLA_OPERSTATE])
		l->operstate = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6)
		memcpy(l->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
	if (tb[IFLA_MASTER])
		l->master = mnl_attr_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_LINK])
		l->link = mnl_attr_get_u32(tb[IFLA_LINK]);
	if (tb[IFLA_LINK_NETNSID])
		l->link_netnsid = (int)mnl_attr_get_u32(tb[IFLA_LINK_NETNSID]);
	if (tb[IFLA_LINKINFO])
		parse_linkinfo(tb[IFLA_LINKINFO], l);
	if (tb[IFLA_PROTINFO])
		parse_port(tb[IFLA_PROTINFO], l);
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_link *l = grow(data);

	if (!l)
		return MNL_CB_ERROR;
	parse_link(nlh, l);
	return MNL_CB_OK;
}

/*
 * Bridge port attributes (IFLA_PROTINFO) come only from an AF_BRIDGE dump;
 * merge them into the AF_UNSPEC view.
 */
static int port_cb(const struct nlmsghdr *nlh, void *data)
{
	struct growable *g = data;
	struct nl_link port = {};
	struct nl_link *links = g->items;

	parse_link(nlh, &port);
	for (int i = 0; i < g->count; i++) {
		if (links[i].ifindex != port.ifindex)
			continue;
		links[i].port_state = port.port_state;
		links[i].port_learning = port.port_learning;
		links[i].port_flood = port.port_flood;
		links[i].port_isolated = port.port_isolated;
	}
	return MNL_CB_OK;
}

int nl_link_dump(struct nl *nl, struct nl_link **out)
{
	struct growable g = { .size = sizeof(struct nl_link) };

	return dump(nl, RTM_GETLINK, AF_UNSPEC, sizeof(struct ifinfomsg), link_cb, &g, (void **)out);
}

int nl_link_dump_ports(struct nl *nl, struct nl_link **out)
{
	struct growable g = { .size = sizeof(struct nl_link) };
	char buf[256];
	struct nlmsghdr *nlh;
	int n, err;

	n = dump(nl, RTM_GETLINK, AF_UNSPEC, sizeof(struct ifinfomsg), link_cb, &g, (void **)out);
	if (n <= 0)
		return n;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nl_put_ifinfo(nlh, 0)->ifi_family = AF_BRIDGE;
	err = nl_exchange(nl, nlh, port_cb, &g);
	if (err) {
		free(*out);
		*out = NULL;
		return err;
	}
	return n;
}

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type == RTM_NEWLINK)
		parse_link(nlh, data);
	return MNL_CB_OK;
}

/* One RTM_GETLINK by name or index: a dump per look-up would cost O(links). */
static int get_one(struct nl *nl, const char *name, int ifindex, struct nl_link *out)
{
	char buf[256];
	struct nlmsghdr *nlh = nl_put_header(buf, RTM_GETLINK, 0);
	int err;

	nl_put_ifinfo(nlh, ifindex);
	if (name && !mnl_attr_put_strz_check(nlh, sizeof(buf), IFLA_IFNAME, name))
		return -EMSGSIZE;
	memset(out, 0, sizeof(*out));
	err = nl_exchange(nl, nlh, get_cb, out);
	if (!err && !out->ifindex)
		err = -ENODEV;
	return err;
}

int nl_link_get(struct nl *nl, const char *name, struct nl_link *out)
{
	return get_one(nl, name, 0, out);
}

int nl_link_get_index(struct nl *nl, int ifindex, struct nl_link *out)
{
	return get_one(nl, NULL, ifindex, out);
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[64] = {};
	const struct nlattr *a;
	struct nl_addr *addr;

	if (ifa->ifa_family != AF_INET)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ifa), attr_table_cb, tb);
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a || mnl_attr_get_payload_len(a) != 4)
		return MNL_CB_OK;
	addr = grow(data);
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

	return dump(nl, RTM_GETADDR, AF_INET, sizeof(struct ifaddrmsg), addr_cb, &g, (void **)out);
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[64] = {};
	struct nl_route *r;

	if (rtm->rtm_family != AF_INET || rtm->rtm_type != RTN_UNICAST)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*rtm), attr_table_cb, tb);
	r = grow(data);
	if (!r)
		return MNL_CB_ERROR;
	r->dst_len = rtm->rtm_dst_len;
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

	return dump(nl, RTM_GETROUTE, AF_INET, sizeof(struct rtmsg), route_cb, &g, (void **)out);
}

static int nsid_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[64] = {};

	mnl_attr_parse(nlh, sizeof(struct rtgenmsg), attr_table_cb, tb);
	if (tb[NETNSA_NSID])
		*(int *)data = (int)mnl_attr_get_u32(tb[NETNSA_NSID]);
	return MNL_CB_OK;
}

int nl_netnsid_of_fd(struct nl *nl, int netns_fd)
{
	char buf[256];
	struct nlmsghdr *nlh = nl_put_header(buf, RTM_GETNSID, 0);
	struct rtgenmsg *gen = mnl_nlmsg_put_extra_header(nlh, sizeof(*gen));
	int nsid = -1, err;

	gen->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, netns_fd);
	err = nl_exchange(nl, nlh, nsid_cb, &nsid);
	if (err)
		return err;
	return nsid;
}

static int route_get_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[64] = {};

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(struct rtmsg), attr_table_cb, tb);
	if (tb[RTA_OIF])
		*(int *)data = (int)mnl_attr_get_u32(tb[RTA_OIF]);
	return MNL_CB_OK;
}

int nl_route_get_oif(struct nl *nl, struct in_addr dst)
{
	char buf[256];
	struct nlmsghdr *nlh = nl_put_header(buf, RTM_GETROUTE, 0);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	int oif = 0, err;

	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 32;
	mnl_attr_put(nlh, RTA_DST, sizeof(dst), &dst);
	err = nl_exchange(nl, nlh, route_get_cb, &oif);
	if (err)
		return err;
	return oif ? oif : -ENETUNREACH;
}
