// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
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

static int preflight(struct lab *lab, struct nl *host, char *msg, int msglen)
{
	char path[512], buf[32];
	struct nl_link *links;
	struct nl_route *routes;
	int n;

	for (int k = lab->host_ns_name[0] ? 0 : 1; k <= lab->cfg.namespaces; k++) {
		const char *ns = k ? lab->ep[k - 1].ns_name : lab->host_ns_name;

		snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", ns);
		if (access(path, F_OK))
			continue;
		if (ns_marked(ns, lab->cfg.name, "")) {
			snprintf(msg, msglen, "lab '%s' already exists", lab->cfg.name);
			return -EALREADY;
		}
		snprintf(msg, msglen, "namespace '%s' already exists and is not nstrace's (use --lab NAME)", ns);
		return -EEXIST;
	}
	if (lab->cfg.isolated)
		return 0;

	n = nl_link_dump(host, &links);
	if (n < 0) {
		snprintf(msg, msglen, "cannot list links: %s", strerror(-n));
		return n;
	}
	for (int i = 0; i < n; i++) {
		const char *clash = NULL;

		if (mark_is_of(links[i].alias, lab->cfg.name, "")) {
			snprintf(msg, msglen, "lab '%s' already exists", lab->cfg.name);
			free(links);
			return -EALREADY;
		}

		if (!strcmp(links[i].name, lab->cfg.bridge))
			clash = "--bridge NAME";
		for (int k = 0; k < lab->cfg.namespaces && !clash; k++)
			if (!strcmp(links[i].name, lab->ep[k].port))
				clash = "--isolated, or remove it";
		if (clash) {
			snprintf(msg, msglen, "interface '%s' already exists%s (use %s)", links[i].name,
				 mark_parse(links[i].alias, buf, sizeof(buf)) ? ", made by another nstrace lab" : "",
				 clash);
			free(links);
			return -EEXIST;
		}
	}
	free(links);

	n = nl_route_dump(host, &routes);
	if (n < 0) {
		snprintf(msg, msglen, "cannot list routes: %s", strerror(-n));
		return n;
	}
	for (int i = 0; i < n; i++) {
		struct cidr r = { routes[i].dst, routes[i].dst_len };
		char rb[32];

		/* A default route covers everything and is no clash. */
		if (routes[i].dst_len == 0 || !cidr_overlaps(&r, &lab->cfg.subnet))
			continue;
		snprintf(msg, msglen, "subnet %s overlaps the existing route %s (use --subnet CIDR)",
			 cidr_str(&lab->cfg.subnet, buf, sizeof(buf)), cidr_str(&r, rb, sizeof(rb)));
		free(routes);
		return -EADDRINUSE;
	}
	free(routes);
	return 0;
}

static int build_bridge(struct lab *lab, struct nl *host, char *msg, int msglen)
{
	char alias[NL_ALIAS_MAX], sub[32];
	struct nl_link br = {};
	int err;

	snprintf(alias, sizeof(alias), LAB_MARK "%s:bridge n=%d subnet=%s", lab->cfg.name,
		 lab->cfg.namespaces, cidr_str(&lab->cfg.subnet, sub, sizeof(sub)));
	err = nl_bridge_create(host, lab->cfg.bridge, alias);
	if (err) {
		snprintf(msg, msglen, "cannot create bridge '%s': %s%s%s", lab->cfg.bridge,
			 strerror(-err), host->ext_ack[0] ? ": " : "", host->ext_ack);
		return err;
	}
	/* IFLA_IFALIAS is ignored when a link is created: mark it at once after. */
	err = nl_link_get(host, lab->cfg.bridge, &br);
	if (!err)
		err = nl_link_mark_up(host, br.ifindex, alias);
	if (!err)
		err = nl_addr_add(host, br.ifindex, lab->bridge_addr, lab->cfg.subnet.prefixlen);
	if (err) {
		snprintf(msg, msglen, "cannot configure bridge '%s': %s%s%s", lab->cfg.bridge,
			 strerror(-err), host->ext_ack[0] ? ": " : "", host->ext_ack);
		/* NLM_F_EXCL made it ours; unmarked, nothing else would ever remove it. */
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
	int err = netns_enter(ep->ns_fd);

	if (err)
		return err;
	err = nl_open(&nl);
	if (err)
		goto out;
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
out:
	netns_return();
	return err;
}

static int build_endpoint(struct lab *lab, struct nl *host, int k, char *msg, int msglen)
{
	struct lab_endpoint *ep = &lab->ep[k - 1];
	char ns_alias[NL_ALIAS_MAX], port_alias[NL_ALIAS_MAX], end_alias[NL_ALIAS_MAX];
	struct lo_mark lo = { ns_alias };
	struct nl_link port;
	int err;

	mark_format(ns_alias, sizeof(ns_alias), lab->cfg.name, "ns", k);
	mark_format(port_alias, sizeof(port_alias), lab->cfg.name, "port", k);
	mark_format(end_alias, sizeof(end_alias), lab->cfg.name, "end", k);
	err = netns_create(ep->ns_name, mark_lo, &lo);
	if (err) {
		snprintf(msg, msglen, "cannot create namespace '%s': %s", ep->ns_name, strerror(-err));
		return err;
	}
	ep->ns_fd = netns_open(ep->ns_name);
	if (ep->ns_fd < 0) {
		err = ep->ns_fd;
		snprintf(msg, msglen, "cannot open namespace '%s': %s", ep->ns_name, strerror(-err));
		return err;
	}
	ep->ns_ino = netns_inode(ep->ns_fd);
	err = nl_veth_create(host, ep->port, port_alias, lab->bridge_ifindex, ep->ifname,
			     end_alias, ep->ns_fd);
	if (err) {
		snprintf(msg, msglen, "cannot create veth pair '%s'/'%s': %s%s%s", ep->port, ep->ifname,
			 strerror(-err), host->ext_ack[0] ? ": " : "", host->ext_ack);
		return err;
	}
	err = nl_link_get(host, ep->port, &port);
	if (err) {
		snprintf(msg, msglen, "veth '%s' vanished after creation: %s", ep->port, strerror(-err));
		return err;
	}
	ep->port_ifindex = port.ifindex;
	memcpy(ep->port_mac, port.mac, 6);
	err = nl_link_set_alias(host, port.ifindex, port_alias);
	if (err) {
		snprintf(msg, msglen, "cannot mark '%s': %s", ep->port, strerror(-err));
		nl_link_del(host, port.ifindex);	/* ours by NLM_F_EXCL, and unmarked */
		return err;
	}
	err = configure_endpoint(lab, ep, end_alias);
	if (err)
		snprintf(msg, msglen, "cannot configure '%s' in namespace '%s': %s", ep->ifname,
			 ep->ns_name, strerror(-err));
	return err;
}

static int lab_build_locked(struct lab *lab, const struct lab_config *cfg, char *msg, int msglen);

int lab_build(struct lab *lab, const struct lab_config *cfg, char *msg, int msglen)
{
	int lock = lab_lock(), err;

	if (lock < 0) {
		snprintf(msg, msglen, "cannot lock " LAB_LOCK_FILE ": %s", strerror(-lock));
		return lock;
	}
	err = lab_build_locked(lab, cfg, msg, msglen);
	lab_unlock(lock);
	return err;
}

static int lab_build_locked(struct lab *lab, const struct lab_config *cfg, char *msg, int msglen)
{
	char host_alias[NL_ALIAS_MAX];
	struct lo_mark lo = { host_alias };
	struct nl host = {};
	int err;

	err = lab_alloc(lab, cfg);
	if (err) {
		snprintf(msg, msglen, "out of memory");
		return err;
	}
	/* Preflight in the namespace the host side will use: the root one, or none yet. */
	err = nl_open(&host);
	if (err) {
		snprintf(msg, msglen, "cannot open rtnetlink: %s", strerror(-err));
		goto fail_nothing_made;
	}
	err = preflight(lab, &host, msg, msglen);
	nl_close(&host);
	if (err)
		goto fail_nothing_made;

	if (lab->host_ns_name[0]) {
		mark_format(host_alias, sizeof(host_alias), cfg->name, "host", 0);
		err = netns_create(lab->host_ns_name, mark_lo, &lo);
		if (err) {
			snprintf(msg, msglen, "cannot create namespace '%s': %s", lab->host_ns_name,
				 strerror(-err));
			lab->host_ns_name[0] = '\0';	/* not ours to remove */
			goto fail;
		}
	}
	err = lab_open_host(lab);
	if (!err)
		err = lab_host_nl(lab, &host);
	if (err) {
		snprintf(msg, msglen, "cannot enter the lab's host namespace: %s", strerror(-err));
		goto fail;
	}
	err = build_bridge(lab, &host, msg, msglen);
	for (int k = 1; !err && k <= cfg->namespaces; k++)
		err = build_endpoint(lab, &host, k, msg, msglen);
	if (!err) {
		struct nl_link br;

		/* The bridge takes its MAC from its ports: read it once they are in. */
		if (!nl_link_get_index(&host, lab->bridge_ifindex, &br))
			memcpy(lab->bridge_mac, br.mac, 6);
	}
	nl_close(&host);
	if (err)
		goto fail;
	return 0;

fail:
	/* The preflight, under the same lock, saw nothing of this lab: all marked is ours. */
	remove_marked_locked(cfg->name);
fail_nothing_made:
	lab_release(lab);
	return err;
}
