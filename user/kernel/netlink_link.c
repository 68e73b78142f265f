// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reading links through rtnetlink: every attribute checked against its
 * policy, the bridge's options and each port's attributes (from the
 * AF_BRIDGE dump) as the audit and discovery need them.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/if_bridge.h>
#include <linux/rtnetlink.h>
#include "kernel/netlink.h"
#include "kernel/netlink_internal.h"

static const struct attr_rule link_rules[IFLA_LINK_NETNSID + 1] = {
	[IFLA_IFNAME] = { MNL_TYPE_NUL_STRING, 0 },
	[IFLA_IFALIAS] = { MNL_TYPE_NUL_STRING, 0 },
	[IFLA_QDISC] = { MNL_TYPE_NUL_STRING, 0 },
	[IFLA_MTU] = { MNL_TYPE_U32, 0 },
	[IFLA_OPERSTATE] = { MNL_TYPE_U8, 0 },
	[IFLA_ADDRESS] = { MNL_TYPE_BINARY, 0 },		/* 6 on Ethernet; other lengths are not ours to read */
	[IFLA_MASTER] = { MNL_TYPE_U32, 0 },
	[IFLA_LINK] = { MNL_TYPE_U32, 0 },
	[IFLA_LINK_NETNSID] = { MNL_TYPE_U32, 0 },
	[IFLA_GROUP] = { MNL_TYPE_U32, 0 },
	[IFLA_LINKINFO] = { MNL_TYPE_NESTED, 0 },
	[IFLA_PROTINFO] = { MNL_TYPE_BINARY, 0 },		/* nested, or one byte from old kernels */
};
static const struct attr_rule linkinfo_rules[IFLA_INFO_DATA + 1] = {
	[IFLA_INFO_KIND] = { MNL_TYPE_NUL_STRING, 0 },
	[IFLA_INFO_DATA] = { MNL_TYPE_NESTED, 0 },
};
static const struct attr_rule bridge_rules[IFLA_BR_NF_CALL_ARPTABLES + 1] = {
	[IFLA_BR_FORWARD_DELAY] = { MNL_TYPE_U32, 0 },
	[IFLA_BR_AGEING_TIME] = { MNL_TYPE_U32, 0 },
	[IFLA_BR_STP_STATE] = { MNL_TYPE_U32, 0 },
	[IFLA_BR_VLAN_FILTERING] = { MNL_TYPE_U8, 0 },
	[IFLA_BR_NF_CALL_IPTABLES] = { MNL_TYPE_U8, 0 },
	[IFLA_BR_NF_CALL_IP6TABLES] = { MNL_TYPE_U8, 0 },
	[IFLA_BR_NF_CALL_ARPTABLES] = { MNL_TYPE_U8, 0 },
};
#define NSTRACE_BRPORT_MAB 40	/* IFLA_BRPORT_MAB, Linux 6.2; the installed UAPI headers predate it */
static const struct attr_rule port_rules[NSTRACE_BRPORT_MAB + 1] = {
	[IFLA_BRPORT_STATE] = { MNL_TYPE_U8, 0 },
	[IFLA_BRPORT_MODE] = { MNL_TYPE_U8, 0 },
	[IFLA_BRPORT_LEARNING] = { MNL_TYPE_U8, 0 },
	[IFLA_BRPORT_UNICAST_FLOOD] = { MNL_TYPE_U8, 0 },
	[IFLA_BRPORT_PROXYARP] = { MNL_TYPE_U8, 0 },
	[IFLA_BRPORT_MCAST_FLOOD] = { MNL_TYPE_U8, 0 },
	[IFLA_BRPORT_NEIGH_SUPPRESS] = { MNL_TYPE_U8, 0 },
	[IFLA_BRPORT_ISOLATED] = { MNL_TYPE_U8, 0 },
	[IFLA_BRPORT_BCAST_FLOOD] = { MNL_TYPE_U8, 0 },
	[IFLA_BRPORT_LOCKED] = { MNL_TYPE_U8, 0 },
	[NSTRACE_BRPORT_MAB] = { MNL_TYPE_U8, 0 },
};

/* Attributes read into int fields: which, where, and their width in bytes. */
struct int_attr {
	int type;
	size_t offset;
	int width;
};

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

#define NATTRS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Every field listed set to -1 (unknown), then from the attributes present (validated by their rules). */
static void read_ints(const struct nlattr *const *tb, const struct int_attr *attrs, int n, void *out)
{
	for (int i = 0; i < n; i++) {
		const struct nlattr *a = tb ? tb[attrs[i].type] : NULL;
		int *field = (int *)((char *)out + attrs[i].offset);

		*field = -1;
		if (a)
			*field = attrs[i].width == 1 ? mnl_attr_get_u8(a) : (int)mnl_attr_get_u32(a);
	}
}

static int parse_linkinfo(const struct nlattr *info, struct nl_link *l)
{
	const struct nlattr *tb[IFLA_INFO_DATA + 1] = {}, *data[IFLA_BR_NF_CALL_ARPTABLES + 1] = {};
	int err = nl_parse_nested(info, (struct attr_table)TABLE(linkinfo_rules, tb));

	if (err)
		return err;
	nl_copy_str(l->kind, sizeof(l->kind), tb[IFLA_INFO_KIND]);
	if (strcmp(l->kind, "bridge") || !tb[IFLA_INFO_DATA])
		return 0;
	err = nl_parse_nested(tb[IFLA_INFO_DATA], (struct attr_table)TABLE(bridge_rules, data));
	if (!err)
		read_ints(data, bridge_attrs, NATTRS(bridge_attrs), &l->br);
	return err;
}

static int parse_port(const struct nlattr *protinfo, struct nl_link *l)
{
	const struct nlattr *tb[NSTRACE_BRPORT_MAB + 1] = {};
	int err;

	/* Without NLA_F_NESTED it is the old one-byte port state form: not read. */
	if (!(protinfo->nla_type & NLA_F_NESTED))
		return 0;
	err = nl_parse_nested(protinfo, (struct attr_table)TABLE(port_rules, tb));
	if (err)
		return err;
	read_ints(tb, brport_attrs, NATTRS(brport_attrs), &l->port);
	l->is_port = 1;
	return 0;
}

/* One RTM_NEWLINK into l; -EBADMSG if it does not parse. */
static int parse_link(const struct nlmsghdr *nlh, struct nl_link *l)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[sizeof(link_rules) / sizeof(link_rules[0])] = {};
	int err = nl_parse_msg(nlh, sizeof(*ifi), (struct attr_table)TABLE(link_rules, tb));

	if (err)
		return err;
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	l->link_netnsid = -1;
	read_ints(NULL, brport_attrs, NATTRS(brport_attrs), &l->port);
	read_ints(NULL, bridge_attrs, NATTRS(bridge_attrs), &l->br);
	nl_copy_str(l->name, sizeof(l->name), tb[IFLA_IFNAME]);
	nl_copy_str(l->alias, sizeof(l->alias), tb[IFLA_IFALIAS]);
	nl_copy_str(l->qdisc, sizeof(l->qdisc), tb[IFLA_QDISC]);
	if (tb[IFLA_OPERSTATE])
		l->operstate = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
	if (tb[IFLA_MTU])
		l->mtu = (int)mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6)
		memcpy(l->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
	if (tb[IFLA_MASTER])
		l->master = mnl_attr_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_LINK])
		l->link = mnl_attr_get_u32(tb[IFLA_LINK]);
	if (tb[IFLA_LINK_NETNSID])
		l->link_netnsid = (int)mnl_attr_get_u32(tb[IFLA_LINK_NETNSID]);
	if (tb[IFLA_GROUP])
		l->group = mnl_attr_get_u32(tb[IFLA_GROUP]);
	if (tb[IFLA_LINKINFO] && (err = parse_linkinfo(tb[IFLA_LINKINFO], l)))
		return err;
	if (tb[IFLA_PROTINFO] && (err = parse_port(tb[IFLA_PROTINFO], l)))
		return err;
	return 0;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_link *l;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	l = nl_grow(data);
	return l ? nl_keep_error(data, parse_link(nlh, l)) : MNL_CB_ERROR;
}

/*
 * Bridge port attributes (IFLA_PROTINFO) come only from an AF_BRIDGE dump;
 * merge them into the AF_UNSPEC view.
 */
static int port_cb(const struct nlmsghdr *nlh, void *data)
{
	struct growable *g = data;
	struct nl_link port = {}, *links = g->items;
	int err;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	err = parse_link(nlh, &port);
	for (int i = 0; !err && i < g->count; i++) {
		if (links[i].ifindex != port.ifindex)
			continue;
		links[i].port = port.port;
		links[i].is_port = port.is_port;
	}
	return nl_keep_error(g, err);
}

/* A retried AF_BRIDGE dump starts from no port facts: a port that left meanwhile keeps none. */
static void reset_ports(struct growable *g)
{
	struct nl_link *links = g->items;

	for (int i = 0; i < g->count; i++) {
		read_ints(NULL, brport_attrs, NATTRS(brport_attrs), &links[i].port);
		links[i].is_port = 0;
	}
}

int nl_link_dump(struct nl *nl, struct nl_link **out)
{
	struct growable g = { .size = sizeof(struct nl_link) };
	int err = nl_dump_request(nl, RTM_GETLINK, AF_UNSPEC, sizeof(struct ifinfomsg), link_cb, &g, nl_reset_items);

	return nl_dump_result(&g, err, (void **)out);
}

int nl_link_dump_ports(struct nl *nl, struct nl_link **out)
{
	struct growable g = { .size = sizeof(struct nl_link) };
	int err = nl_dump_request(nl, RTM_GETLINK, AF_UNSPEC, sizeof(struct ifinfomsg), link_cb, &g, nl_reset_items);

	if (!err)
		err = nl_dump_request(nl, RTM_GETLINK, AF_BRIDGE, sizeof(struct ifinfomsg), port_cb, &g, reset_ports);
	return nl_dump_result(&g, err, (void **)out);
}

struct get_one {
	struct nl_link *out;
	int err;
};

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct get_one *q = data;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	q->err = parse_link(nlh, q->out);
	return q->err ? MNL_CB_ERROR : MNL_CB_OK;
}

/* One RTM_GETLINK by name or index: a dump per look-up would cost O(links). */
static int get_one(struct nl *nl, const char *name, int ifindex, struct nl_link *out)
{
	char buf[256];
	struct nlmsghdr *nlh = nl_put_header(buf, RTM_GETLINK, 0);
	struct get_one q = { out, 0 };
	int err;

	nl_put_ifinfo(nlh, ifindex);
	if (name && !mnl_attr_put_strz_check(nlh, sizeof(buf), IFLA_IFNAME, name))
		return -EMSGSIZE;
	memset(out, 0, sizeof(*out));
	err = nl_exchange(nl, nlh, get_cb, &q);
	if (q.err)
		err = q.err;
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

int nl_link_replay(const void *links, size_t len, const void *ports, size_t plen, struct nl_link **out)
{
	struct growable g = { .size = sizeof(struct nl_link) };
	struct nl nl = {};
	int err = nl_replay_error(nl_replay(&nl, links, len, link_cb, &g), &g);

	if (!err && ports)
		err = nl_replay_error(nl_replay(&nl, ports, plen, port_cb, &g), &g);
	return nl_dump_result(&g, err, (void **)out);
}

