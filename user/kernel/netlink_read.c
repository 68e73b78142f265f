// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Reading rtnetlink: dumps and single look-ups, parsed into plain structs.
 * Every attribute is checked against a policy (type and length) before it
 * is used, as iproute2's ctrl_attrs_cb does; a message that fails makes the
 * whole read fail (-EBADMSG), never a half-filled answer.
 */
#include <errno.h>
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

/* ---- attribute policies ---- */

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

static const struct attr_rule link_rules[IFLA_LINK_NETNSID + 1] = {
	[IFLA_IFNAME] = { MNL_TYPE_NUL_STRING, 0 },
	[IFLA_IFALIAS] = { MNL_TYPE_NUL_STRING, 0 },
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
	[IFLA_BR_NF_CALL_IPTABLES] = { MNL_TYPE_U8, 0 },
	[IFLA_BR_NF_CALL_ARPTABLES] = { MNL_TYPE_U8, 0 },
};
static const struct attr_rule port_rules[IFLA_BRPORT_ISOLATED + 1] = {
	[IFLA_BRPORT_STATE] = { MNL_TYPE_U8, 0 },
	[IFLA_BRPORT_LEARNING] = { MNL_TYPE_U8, 0 },
	[IFLA_BRPORT_UNICAST_FLOOD] = { MNL_TYPE_U8, 0 },
	[IFLA_BRPORT_ISOLATED] = { MNL_TYPE_U8, 0 },
};
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
static int parse_msg(const struct nlmsghdr *nlh, size_t hdr, struct attr_table t)
{
	if (mnl_nlmsg_get_payload_len(nlh) < hdr)
		return -EBADMSG;
	return mnl_attr_parse(nlh, hdr, table_cb, &t) < 0 ? -EBADMSG : 0;
}

static int parse_nested(const struct nlattr *nest, struct attr_table t)
{
	return mnl_attr_parse_nested(nest, table_cb, &t) < 0 ? -EBADMSG : 0;
}

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

/* A callback's verdict on one message: a parse error is kept and stops the read. */
static int keep_error(struct growable *g, int err)
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
static int dump_request(struct nl *nl, int type, int family, size_t hdr_size, mnl_cb_t cb,
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

static void reset_items(struct growable *g)
{
	g->count = 0;
}

/* Hands the items to *out, or frees them on error. */
static int dump_result(struct growable *g, int err, void **out)
{
	if (err) {
		free(g->items);
		*out = NULL;
		return err;
	}
	*out = g->items;
	return g->count;
}

static void copy_str(char *dst, size_t size, const struct nlattr *attr)
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

static int parse_linkinfo(const struct nlattr *info, struct nl_link *l)
{
	const struct nlattr *tb[IFLA_INFO_DATA + 1] = {}, *data[IFLA_BR_NF_CALL_ARPTABLES + 1] = {};
	int err = parse_nested(info, (struct attr_table)TABLE(linkinfo_rules, tb));

	if (err)
		return err;
	copy_str(l->kind, sizeof(l->kind), tb[IFLA_INFO_KIND]);
	if (strcmp(l->kind, "bridge") || !tb[IFLA_INFO_DATA])
		return 0;
	err = parse_nested(tb[IFLA_INFO_DATA], (struct attr_table)TABLE(bridge_rules, data));
	if (err)
		return err;
	if (data[IFLA_BR_NF_CALL_IPTABLES])
		l->br_nf_call_iptables = mnl_attr_get_u8(data[IFLA_BR_NF_CALL_IPTABLES]);
	if (data[IFLA_BR_NF_CALL_ARPTABLES])
		l->br_nf_call_arptables = mnl_attr_get_u8(data[IFLA_BR_NF_CALL_ARPTABLES]);
	return 0;
}

static int parse_port(const struct nlattr *protinfo, struct nl_link *l)
{
	const struct nlattr *tb[IFLA_BRPORT_ISOLATED + 1] = {};
	int err;

	/* Without NLA_F_NESTED it is the old one-byte port state form: not read. */
	if (!(protinfo->nla_type & NLA_F_NESTED))
		return 0;
	err = parse_nested(protinfo, (struct attr_table)TABLE(port_rules, tb));
	if (err)
		return err;
	if (tb[IFLA_BRPORT_STATE])
		l->port_state = mnl_attr_get_u8(tb[IFLA_BRPORT_STATE]);
	if (tb[IFLA_BRPORT_LEARNING])
		l->port_learning = mnl_attr_get_u8(tb[IFLA_BRPORT_LEARNING]);
	if (tb[IFLA_BRPORT_UNICAST_FLOOD])
		l->port_flood = mnl_attr_get_u8(tb[IFLA_BRPORT_UNICAST_FLOOD]);
	if (tb[IFLA_BRPORT_ISOLATED])
		l->port_isolated = mnl_attr_get_u8(tb[IFLA_BRPORT_ISOLATED]);
	return 0;
}

/* One RTM_NEWLINK into l; -EBADMSG if it does not parse. */
static int parse_link(const struct nlmsghdr *nlh, struct nl_link *l)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[sizeof(link_rules) / sizeof(link_rules[0])] = {};
	int err = parse_msg(nlh, sizeof(*ifi), (struct attr_table)TABLE(link_rules, tb));

	if (err)
		return err;
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
	l = grow(data);
	return l ? keep_error(data, parse_link(nlh, l)) : MNL_CB_ERROR;
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
		links[i].port_state = port.port_state;
		links[i].port_learning = port.port_learning;
		links[i].port_flood = port.port_flood;
		links[i].port_isolated = port.port_isolated;
	}
	return keep_error(g, err);
}

/* A retried AF_BRIDGE dump starts from no port facts: a port that left meanwhile keeps none. */
static void reset_ports(struct growable *g)
{
	struct nl_link *links = g->items;

	for (int i = 0; i < g->count; i++)
		links[i].port_state = links[i].port_learning = links[i].port_flood = links[i].port_isolated = -1;
}

int nl_link_dump(struct nl *nl, struct nl_link **out)
{
	struct growable g = { .size = sizeof(struct nl_link) };
	int err = dump_request(nl, RTM_GETLINK, AF_UNSPEC, sizeof(struct ifinfomsg), link_cb, &g, reset_items);

	return dump_result(&g, err, (void **)out);
}

int nl_link_dump_ports(struct nl *nl, struct nl_link **out)
{
	struct growable g = { .size = sizeof(struct nl_link) };
	int err = dump_request(nl, RTM_GETLINK, AF_UNSPEC, sizeof(struct ifinfomsg), link_cb, &g, reset_items);

	if (!err)
		err = dump_request(nl, RTM_GETLINK, AF_BRIDGE, sizeof(struct ifinfomsg), port_cb, &g, reset_ports);
	return dump_result(&g, err, (void **)out);
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

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_LOCAL + 1] = {}, *a;
	struct nl_addr *addr;
	int err;

	if (nlh->nlmsg_type != RTM_NEWADDR)
		return MNL_CB_OK;
	err = parse_msg(nlh, sizeof(*ifa), (struct attr_table)TABLE(addr_rules, tb));
	if (err || ifa->ifa_family != AF_INET)
		return keep_error(data, err);
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a)
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
	int err = dump_request(nl, RTM_GETADDR, AF_INET, sizeof(struct ifaddrmsg), addr_cb, &g, reset_items);

	return dump_result(&g, err, (void **)out);
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_TABLE + 1] = {};
	struct nl_route *r;
	int err;

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return MNL_CB_OK;
	err = parse_msg(nlh, sizeof(*rtm), (struct attr_table)TABLE(route_rules, tb));
	if (err || rtm->rtm_family != AF_INET || rtm->rtm_type != RTN_UNICAST)
		return keep_error(data, err);
	r = grow(data);
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
	int err = dump_request(nl, RTM_GETROUTE, AF_INET, sizeof(struct rtmsg), route_cb, &g, reset_items);

	return dump_result(&g, err, (void **)out);
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
	a->err = parse_msg(nlh, sizeof(struct rtgenmsg), (struct attr_table)TABLE(nsid_rules, tb));
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
	a->err = parse_msg(nlh, sizeof(*rtm), (struct attr_table)TABLE(route_rules, tb));
	if (a->err)
		return MNL_CB_ERROR;
	a->type = rtm->rtm_type;
	if (tb[RTA_OIF])
		a->value = (int)mnl_attr_get_u32(tb[RTA_OIF]);
	return MNL_CB_OK;
}

int nl_route_lookup(struct nl *nl, struct in_addr dst, int *oif, int *type)
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

int nl_route_get_oif(struct nl *nl, struct in_addr dst)
{
	int oif, type, err = nl_route_lookup(nl, dst, &oif, &type);

	return err ? err : oif ? oif : -ENETUNREACH;
}

/* ---- recorded replies (unit tests, fuzzing): the same callbacks, on bytes ---- */

/* As dump_request() does: our callback's own reason before libmnl's errno. */
static int replay_error(int err, const struct growable *g)
{
	return g->error ? g->error : err;
}

int nl_link_replay(const void *links, size_t len, const void *ports, size_t plen, struct nl_link **out)
{
	struct growable g = { .size = sizeof(struct nl_link) };
	struct nl nl = {};
	int err = replay_error(nl_replay(&nl, links, len, link_cb, &g), &g);

	if (!err && ports)
		err = replay_error(nl_replay(&nl, ports, plen, port_cb, &g), &g);
	return dump_result(&g, err, (void **)out);
}

int nl_addr_replay(const void *buf, size_t len, struct nl_addr **out)
{
	struct growable g = { .size = sizeof(struct nl_addr) };
	struct nl nl = {};
	int err = replay_error(nl_replay(&nl, buf, len, addr_cb, &g), &g);

	return dump_result(&g, err, (void **)out);
}

int nl_route_replay(const void *buf, size_t len, struct nl_route **out)
{
	struct growable g = { .size = sizeof(struct nl_route) };
	struct nl nl = {};
	int err = replay_error(nl_replay(&nl, buf, len, route_cb, &g), &g);

	return dump_result(&g, err, (void **)out);
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
