// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Building a lab so that a kill -9 at any point leaves only things 'down
 * --lab' finds: namespaces first (marked inside before they get a name; an
 * empty file at worst), then links tagged with the lab's build group from
 * their creation until their mark is on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kernel/netlink.h"
#include "kernel/netns.h"
#include "lab/internal.h"
#include "lab/lock.h"
#include "lab/mark.h"
#include "lab/owner.h"

#define NL_ERR(nl) (nl)->ext_ack[0] ? ": " : "", (nl)->ext_ack

struct lo_mark {
	const char *alias;
};

/* Runs inside a new namespace: mark lo and bring it up. */
static int mark_lo(void *arg)
{
	const struct lo_mark *m = arg;
	struct nl nl;
	int err = nl_open(&nl);

	if (err)
		return err;
	err = nl_link_mark_up(&nl, LO_IFINDEX, m->alias);
	nl_close(&nl);
	return err;
}

static int make_ns(const char *ns_name, const char *alias, char *msg, int msglen)
{
	struct lo_mark lo = { alias };
	int err = netns_create(ns_name, mark_lo, &lo);

	if (err)
		snprintf(msg, msglen, "cannot create namespace '%s': %s", ns_name, strerror(-err));
	return err;
}

/* The bridge mark, with this process as owner while it builds (or owns) the lab. */
static int bridge_alias(const struct lab *lab, int owned, char *alias, int size)
{
	struct bridge_mark m = { lab->cfg.namespaces, lab->cfg.subnet, {} };

	if (owned)
		m.owner = lab->owner;
	return mark_format_bridge(alias, size, lab->cfg.name, &m) ? -ENAMETOOLONG : 0;
}

static int build_bridge(struct lab *lab, struct nl *host, char *msg, int msglen)
{
	char alias[NL_ALIAS_MAX];
	struct nl_link br = {};
	int err = bridge_alias(lab, 1, alias, sizeof(alias));

	if (!err)
		err = nl_bridge_create(host, lab->cfg.bridge, mark_build_group(lab->cfg.name));
	if (err) {
		snprintf(msg, msglen, "cannot create bridge '%s': %s%s%s", lab->cfg.bridge, strerror(-err), NL_ERR(host));
		return err;
	}
	err = nl_link_get(host, lab->cfg.bridge, &br);
	if (!err)
		err = nl_link_mark_up(host, br.ifindex, alias);
	if (!err)
		err = nl_addr_add(host, br.ifindex, lab->bridge_addr, lab->cfg.subnet.prefixlen);
	if (err) {
		snprintf(msg, msglen, "cannot configure bridge '%s': %s%s%s", lab->cfg.bridge, strerror(-err), NL_ERR(host));
		/* NLM_F_EXCL made it ours; removal finds it by its mark or its build tag anyway. */
		if (br.ifindex)
			nl_link_del(host, br.ifindex);
		return err;
	}
	lab->bridge_ifindex = br.ifindex;
	return 0;
}

/* Inside the endpoint's namespace: address and link up, then read back. */
static int configure_endpoint(struct lab *lab, struct lab_endpoint *ep, const char *alias)
{
	struct nl_link l;
	struct nl nl;
	int err = nl_open_in(&nl, ep->ns_fd);

	if (err)
		return err;
	err = nl_link_get(&nl, ep->ifname, &l);
	if (!err)
		err = nl_addr_add(&nl, l.ifindex, ep->addr, lab->cfg.subnet.prefixlen);
	if (!err)
		err = nl_link_mark_up(&nl, l.ifindex, alias);
	if (!err) {
		ep->ifindex = l.ifindex;
		memcpy(ep->mac, l.mac, 6);
	}
	nl_close(&nl);
	return err;
}

/* nsK's namespace, marked inside before it has its name. */
static int build_endpoint_ns(struct lab *lab, int k, char *msg, int msglen)
{
	struct lab_endpoint *ep = &lab->ep[k - 1];
	char ns_alias[NL_ALIAS_MAX];
	int err;

	mark_format(ns_alias, sizeof(ns_alias), lab->cfg.name, "ns", k);
	err = make_ns(ep->ns_name, ns_alias, msg, msglen);
	if (err)
		return err;
	ep->ns_fd = netns_open(ep->ns_name);
	if (ep->ns_fd < 0) {
		err = ep->ns_fd;
		snprintf(msg, msglen, "cannot open namespace '%s': %s", ep->ns_name, strerror(-err));
		return err;
	}
	ep->ns_ino = netns_inode(ep->ns_fd);
	return 0;
}

/* nsK's veth pair: the port (tagged, then marked) on the bridge, the end inside nsK. */
static int build_endpoint_link(struct lab *lab, struct nl *host, int k, char *msg, int msglen)
{
	struct lab_endpoint *ep = &lab->ep[k - 1];
	char port_alias[NL_ALIAS_MAX], end_alias[NL_ALIAS_MAX];
	struct nl_link port;
	int err;

	mark_format(port_alias, sizeof(port_alias), lab->cfg.name, "port", k);
	mark_format(end_alias, sizeof(end_alias), lab->cfg.name, "end", k);
	err = nl_veth_create(host, ep->port, mark_build_group(lab->cfg.name), lab->bridge_ifindex, ep->ifname,
			     ep->ns_fd);
	if (err) {
		snprintf(msg, msglen, "cannot create veth pair '%s'/'%s': %s%s%s", ep->port, ep->ifname,
			 strerror(-err), NL_ERR(host));
		return err;
	}
	err = nl_link_get(host, ep->port, &port);
	if (err) {
		snprintf(msg, msglen, "veth '%s' vanished after creation: %s", ep->port, strerror(-err));
		return err;
	}
	ep->port_ifindex = port.ifindex;
	memcpy(ep->port_mac, port.mac, 6);
	err = nl_link_mark(host, port.ifindex, port_alias, 0);
	if (err) {
		snprintf(msg, msglen, "cannot mark '%s': %s", ep->port, strerror(-err));
		return err;
	}
	err = configure_endpoint(lab, ep, end_alias);
	if (err)
		snprintf(msg, msglen, "cannot configure '%s' in namespace '%s': %s", ep->ifname,
			 ep->ns_name, strerror(-err));
	return err;
}

static int lab_build_locked(struct lab *lab, const struct lab_config *cfg, int flags, char *msg, int msglen);

int lab_build(struct lab *lab, const struct lab_config *cfg, int flags, char *msg, int msglen)
{
	int lock = lab_lock(), err;

	if (lock < 0) {
		if (lock == -EINTR)
			snprintf(msg, msglen, "interrupted while waiting for " LAB_LOCK_FILE ": nothing was built");
		else
			snprintf(msg, msglen, "cannot lock " LAB_LOCK_FILE ": %s", strerror(-lock));
		return lock;
	}
	err = lab_build_locked(lab, cfg, flags, msg, msglen);
	lab_unlock(lock);
	return err;
}

/* The namespaces, then the bridge, then the veth pairs: see the top of this file. */
static int build_all(struct lab *lab, struct nl *host, char *msg, int msglen)
{
	char host_alias[NL_ALIAS_MAX];
	int err = 0;

	if (lab->host_ns_name[0]) {
		mark_format(host_alias, sizeof(host_alias), lab->cfg.name, "host", 0);
		err = make_ns(lab->host_ns_name, host_alias, msg, msglen);
	}
	for (int k = 1; !err && k <= lab->cfg.namespaces; k++)
		err = build_endpoint_ns(lab, k, msg, msglen);
	if (!err) {
		err = lab_open_host(lab);
		if (!err)
			err = lab_host_nl(lab, host);
		if (err)
			snprintf(msg, msglen, "cannot enter the lab's host namespace: %s", strerror(-err));
	}
	if (!err)
		err = build_bridge(lab, host, msg, msglen);
	for (int k = 1; !err && k <= lab->cfg.namespaces; k++)
		err = build_endpoint_link(lab, host, k, msg, msglen);
	return err;
}

static int lab_build_locked(struct lab *lab, const struct lab_config *cfg, int flags, char *msg, int msglen)
{
	struct nl host = {};
	struct nl_link br;
	int err;

	err = lab_alloc(lab, cfg);
	if (err) {
		snprintf(msg, msglen, "out of memory");
		return err;
	}
	err = lab_owner_self(&lab->owner);
	if (err) {
		snprintf(msg, msglen, "cannot read our own start time: %s", strerror(-err));
		goto fail_nothing_made;
	}
	/* Preflight in the namespace the host side will use: the root one, or none yet. */
	err = nl_open(&host);
	if (err) {
		snprintf(msg, msglen, "cannot open rtnetlink: %s", strerror(-err));
		goto fail_nothing_made;
	}
	err = lab_preflight(lab, &host, msg, msglen);
	nl_close(&host);
	if (err)
		goto fail_nothing_made;
	err = build_all(lab, &host, msg, msglen);
	/* The bridge takes its MAC from its ports: read it once they are in. */
	if (!err && !nl_link_get_index(&host, lab->bridge_ifindex, &br))
		memcpy(lab->bridge_mac, br.mac, 6);
	nl_close(&host);
	if (!err && !(flags & LAB_BUILD_OWNED))
		err = lab_disown(lab);
	if (!err)
		return 0;
	/* The preflight, under the same lock, saw nothing of this lab: all marked or tagged is ours. */
	lab_release(lab);
	remove_marked_locked(cfg->name, 0, NULL, NULL);
	return err;
fail_nothing_made:
	lab_release(lab);
	return err;
}

int lab_disown(struct lab *lab)
{
	char alias[NL_ALIAS_MAX];
	struct nl host;
	int err = bridge_alias(lab, 0, alias, sizeof(alias));

	if (!err)
		err = lab_host_nl(lab, &host);
	if (err)
		return err;
	err = nl_link_set_alias(&host, lab->bridge_ifindex, alias);
	nl_close(&host);
	if (!err)
		memset(&lab->owner, 0, sizeof(lab->owner));
	return err;
}
