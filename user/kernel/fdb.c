// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A bridge's forwarding database: the entries it learned on a port, and removing them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_bridge.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include "kernel/netlink.h"
#include "kernel/netlink_internal.h"

#define FDB_MAX 4096

struct learned {
	int port;
	struct { uint8_t mac[6]; uint16_t vlan; int has_vlan; } e[FDB_MAX];
	int n;
};

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (mnl_attr_type_valid(attr, NDA_MAX) < 0)
		return MNL_CB_OK;
	tb[type] = attr;
	return MNL_CB_OK;
}

/* Dynamic entries the bridge learned on the port: not local, not static, not the port's own. */
static int fdb_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NDA_MAX + 1] = {};
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);
	struct learned *l = data;

	if (nlh->nlmsg_type != RTM_NEWNEIGH || mnl_nlmsg_get_payload_len(nlh) < sizeof(*nd))
		return MNL_CB_OK;
	if (nd->ndm_family != AF_BRIDGE || nd->ndm_ifindex != l->port || !(nd->ndm_state & (NUD_REACHABLE | NUD_STALE)))
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*nd), attr_cb, tb);
	if (!tb[NDA_MASTER] || !tb[NDA_LLADDR] || mnl_attr_get_payload_len(tb[NDA_LLADDR]) != 6 || l->n == FDB_MAX)
		return MNL_CB_OK;
	memcpy(l->e[l->n].mac, mnl_attr_get_payload(tb[NDA_LLADDR]), 6);
	l->e[l->n].has_vlan = tb[NDA_VLAN] && mnl_attr_get_payload_len(tb[NDA_VLAN]) == 2;
	l->e[l->n].vlan = l->e[l->n].has_vlan ? mnl_attr_get_u16(tb[NDA_VLAN]) : 0;
	l->n++;
	return MNL_CB_OK;
}

int nl_fdb_flush_learned(struct nl *nl, int port_ifindex)
{
	struct learned *l = calloc(1, sizeof(*l));
	char buf[256];
	struct nlmsghdr *nlh;
	struct ndmsg *nd;
	int err, removed = 0;

	if (!l)
		return -ENOMEM;
	l->port = port_ifindex;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	nd->ndm_family = AF_BRIDGE;
	err = nl_exchange(nl, nlh, fdb_cb, l);
	/* Removed after the dump: a socket carries one conversation at a time. */
	for (int i = 0; !err && i < l->n; i++) {
		nlh = nl_put_header(buf, RTM_DELNEIGH, 0);
		nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
		nd->ndm_family = AF_BRIDGE;
		nd->ndm_ifindex = port_ifindex;
		nd->ndm_flags = NTF_MASTER;
		mnl_attr_put(nlh, NDA_LLADDR, 6, l->e[i].mac);
		if (l->e[i].has_vlan)
			mnl_attr_put_u16(nlh, NDA_VLAN, l->e[i].vlan);
		err = nl_exchange(nl, nlh, NULL, NULL);
		if (err == -ENOENT)
			err = 0;	/* aged out meanwhile */
		else if (!err)
			removed++;
	}
	free(l);
	return err ? err : removed;
}
