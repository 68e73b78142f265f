// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reading rtnetlink: dumps and single look-ups, parsed into plain structs. */
#include <errno.h>
#include <stddef.h>
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

int nl_dump(struct nl *nl, int type, int family, size_t hdr_size, mnl_cb_t cb,
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

int nl_attr_table_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	/* Tables are sized for the largest attribute type we read (< 64). */
	if (type < 64)
		tb[type] = attr;
	return MNL_CB_OK;
}

void nl_copy_str(char *dst, size_t size, const struct nlattr *attr)
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

/* Attributes read into int fields: which, where, and their width in bytes. */
struct int_attr {
	int type;
	size_t offset;
	int width;
};

#define NSTRACE_BRPORT_MAB 40	/* IFLA_BRPORT_MAB, Linux 6.2; the installed UAPI headers predate it */

static const struct int_attr brport_attrs[] = {
	{ IFLA_BRPORT_STATE, offsetof(struct nl_brport, state), 1 },
	{ IFLA_BRPORT_LEARNING, offsetof(struct nl_brport, learning), 1 },
	{ IFLA_BRPORT_UNICAST_FLOOD, offsetof(struct nl_brport, unicast_flood), 1 },
	{ IFLA_BRPORT_MCAST_FLOOD, offsetof(struct nl_brport, mcast_flood), 1 },
	{ IFLA_BRPORT_BCAST_FLOOD, offsetof(struct nl_brport, bcast_flood), 1 },
	{ IFLA_BRPORT_ISOLATED, offsetof(struct nl_brport, isolated), 1 },
	{ IFLA_BRPORT_PROXYARP, offsetof(struct nl_brport, proxyarp), 1 },
	{ IFLA_BRPORT_NEIGH_SUPPRESS, offsetof(struct nl_brport, neigh_suppress), 1 },
	{ IFLA_BRPORT_MODE, offsetof(struct nl_brport, hairpin), 1 },
	{ IFLA_BRPORT_LOCKED, offsetof(struct nl_brport, locked), 1 },
	{ NSTRACE_BRPORT_MAB, offsetof(struct nl_brport, mab), 1 },
};

static const struct int_attr bridge_attrs[] = {
	{ IFLA_BR_STP_STATE, offsetof(struct nl_bridge, stp_state), 4 },
	{ IFLA_BR_VLAN_FILTERING, offsetof(struct nl_bridge, vlan_filtering), 1 },
	{ IFLA_BR_FORWARD_DELAY, offsetof(struct nl_bridge, forward_delay), 4 },
	{ IFLA_BR_AGEING_TIME, offsetof(struct nl_bridge, ageing_time), 4 },
	{ IFLA_BR_NF_CALL_IPTABLES, offsetof(struct nl_bridge, nf_call_iptables), 1 },
	{ IFLA_BR_NF_CALL_IP6TABLES, offsetof(struct nl_bridge, nf_call_ip6tables), 1 },
	{ IFLA_BR_NF_CALL_ARPTABLES, offsetof(struct nl_bridge, nf_call_arptables), 1 },
};

/* Every field listed set to -1 (unknown), then from the attributes present with the right size. */
static void read_ints(const struct nlattr *const *tb, const struct int_attr *attrs, int n, void *out)
{
	for (int i = 0; i < n; i++) {
		const struct nlattr *a = tb[attrs[i].type];
		int *field = (int *)((char *)out + attrs[i].offset);

		*field = -1;
		if (!a || mnl_attr_get_payload_len(a) != (uint16_t)attrs[i].width)
			continue;
		*field = attrs[i].width == 1 ? mnl_attr_get_u8(a) : (int)mnl_attr_get_u32(a);
	}
}

#define NATTRS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void parse_linkinfo(const struct nlattr *info, struct nl_link *l)
{
	const struct nlattr *tb[64] = {};
	const struct nlattr *data[64] = {};

	mnl_attr_parse_nested(info, nl_attr_table_cb, tb);
	nl_copy_str(l->kind, sizeof(l->kind), tb[IFLA_INFO_KIND]);
	if (strcmp(l->kind, "bridge") || !tb[IFLA_INFO_DATA])
		return;
	mnl_attr_parse_nested(tb[IFLA_INFO_DATA], nl_attr_table_cb, data);
	read_ints(data, bridge_attrs, NATTRS(bridge_attrs), &l->br);
}

static void parse_port(const struct nlattr *protinfo, struct nl_link *l)
{
	const struct nlattr *tb[64] = {};

	if (!(protinfo->nla_type & NLA_F_NESTED))
		return;
	mnl_attr_parse_nested(protinfo, nl_attr_table_cb, tb);
	read_ints(tb, brport_attrs, NATTRS(brport_attrs), &l->port);
	l->is_port = 1;
}

static void parse_link(const struct nlmsghdr *nlh, struct nl_link *l)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[64] = {};
	static const struct nlattr *const none[64];

	mnl_attr_parse(nlh, sizeof(*ifi), nl_attr_table_cb, tb);
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	l->link_netnsid = -1;
	read_ints(none, brport_attrs, NATTRS(brport_attrs), &l->port);
	read_ints(none, bridge_attrs, NATTRS(bridge_attrs), &l->br);
	nl_copy_str(l->name, sizeof(l->name), tb[IFLA_IFNAME]);
	nl_copy_str(l->alias, sizeof(l->alias), tb[IFLA_IFALIAS]);
	nl_copy_str(l->qdisc, sizeof(l->qdisc), tb[IFLA_QDISC]);
	if (tb[IFLA_OPERSTATE])
		l->operstate = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
	if (tb[IFLA_MTU] && mnl_attr_get_payload_len(tb[IFLA_MTU]) == 4)
		l->mtu = (int)mnl_attr_get_u32(tb[IFLA_MTU]);
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
	struct nl_link *l = nl_grow(data);

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
		links[i].port = port.port;
		links[i].is_port = port.is_port;
	}
	return MNL_CB_OK;
}

int nl_link_dump(struct nl *nl, struct nl_link **out)
{
	struct growable g = { .size = sizeof(struct nl_link) };

	return nl_dump(nl, RTM_GETLINK, AF_UNSPEC, sizeof(struct ifinfomsg), link_cb, &g, (void **)out);
}

int nl_link_dump_ports(struct nl *nl, struct nl_link **out)
{
	struct growable g = { .size = sizeof(struct nl_link) };
	char buf[256];
	struct nlmsghdr *nlh;
	int n, err;

	n = nl_dump(nl, RTM_GETLINK, AF_UNSPEC, sizeof(struct ifinfomsg), link_cb, &g, (void **)out);
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
	mnl_attr_parse(nlh, sizeof(*ifa), nl_attr_table_cb, tb);
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a || mnl_attr_get_payload_len(a) != 4)
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

	return nl_dump(nl, RTM_GETADDR, AF_INET, sizeof(struct ifaddrmsg), addr_cb, &g, (void **)out);
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[64] = {};
	struct nl_route *r;

	if (rtm->rtm_family != AF_INET || rtm->rtm_type != RTN_UNICAST)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*rtm), nl_attr_table_cb, tb);
	r = nl_grow(data);
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

	return nl_dump(nl, RTM_GETROUTE, AF_INET, sizeof(struct rtmsg), route_cb, &g, (void **)out);
}

static int nsid_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[64] = {};

	mnl_attr_parse(nlh, sizeof(struct rtgenmsg), nl_attr_table_cb, tb);
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
	mnl_attr_parse(nlh, sizeof(struct rtmsg), nl_attr_table_cb, tb);
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
