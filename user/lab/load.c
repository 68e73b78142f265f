// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kernel/netlink.h"
#include "kernel/netns.h"
#include "lab/internal.h"
#include "lab/mark.h"

/* Endpoint k from its marked port among the host's links and its own namespace. */
static void load_endpoint(struct lab *lab, int k, const struct nl_link *links, int n)
{
	struct lab_endpoint *ep = &lab->ep[k - 1];
	char alias[NL_ALIAS_MAX];
	struct nl_link l;
	struct nl nl;

	mark_format(alias, sizeof(alias), lab->cfg.name, "port", k);
	for (int i = 0; i < n; i++)
		if (!strcmp(links[i].alias, alias)) {
			ep->port_ifindex = links[i].ifindex;
			memcpy(ep->port_mac, links[i].mac, 6);
			snprintf(ep->port, sizeof(ep->port), "%s", links[i].name);
		}
	ep->ns_fd = netns_open(ep->ns_name);
	if (ep->ns_fd < 0)
		return;
	ep->ns_ino = netns_inode(ep->ns_fd);
	if (nl_open_in(&nl, ep->ns_fd))
		return;
	if (!nl_link_get(&nl, ep->ifname, &l)) {
		ep->ifindex = l.ifindex;
		memcpy(ep->mac, l.mac, 6);
	}
	nl_close(&nl);
}

int lab_load(struct lab *lab, const char *name, char *msg, int msglen)
{
	struct lab_config cfg;
	struct bridge_mark m;
	char host_name[LAB_NS_NAME_MAX];
	struct nl_link *links = NULL;
	struct nl host = {};
	int n, err, found = -1;

	lab_config_default(&cfg);
	snprintf(cfg.name, sizeof(cfg.name), "%s", name);
	snprintf(host_name, sizeof(host_name), "%s-host", name);
	cfg.isolated = ns_marked(host_name, name, "host");

	memset(lab, 0, sizeof(*lab));
	lab->host_fd = -1;
	if (cfg.isolated)
		snprintf(lab->host_ns_name, sizeof(lab->host_ns_name), "%s", host_name);
	err = lab_open_host(lab);
	if (!err)
		err = lab_host_nl(lab, &host);
	if (!err) {
		n = nl_link_dump(&host, &links);
		err = n < 0 ? n : 0;
	}
	nl_close(&host);
	if (err) {
		snprintf(msg, msglen, "cannot read the links of lab '%s': %s", name, strerror(-err));
		goto fail;
	}
	for (int i = 0; i < n && found < 0; i++)
		if (!mark_parse_bridge(links[i].alias, name, &m))
			found = i;
	if (found < 0) {
		snprintf(msg, msglen, "no lab named '%s'", name);
		err = -ENOENT;
		goto fail;
	}
	cfg.namespaces = m.namespaces;
	cfg.subnet = m.subnet;
	snprintf(cfg.bridge, sizeof(cfg.bridge), "%s", links[found].name);
	{
		/* lab_alloc resets lab: keep what was opened. */
		int host_fd = lab->host_fd;
		uint32_t host_ino = lab->host_ino;

		err = lab_alloc(lab, &cfg);
		lab->host_fd = host_fd;
		lab->host_ino = host_ino;
		if (err)
			goto fail;
	}
	lab->owner = m.owner;
	lab->bridge_ifindex = links[found].ifindex;
	memcpy(lab->bridge_mac, links[found].mac, 6);
	for (int k = 1; k <= cfg.namespaces; k++)
		load_endpoint(lab, k, links, n);
	free(links);
	return 0;
fail:
	free(links);
	lab_release(lab);
	return err;
}

int lab_topology(const struct lab *lab, struct topo *t)
{
	int n = 1 + 2 * lab->cfg.namespaces;
	struct topo_if *br;

	t->ifs = calloc(n, sizeof(*t->ifs));
	if (!t->ifs)
		return -ENOMEM;
	t->n = n;
	br = &t->ifs[0];
	br->netns_ino = lab->host_ino;
	br->ifindex = lab->bridge_ifindex;
	snprintf(br->name, sizeof(br->name), "%s", lab->cfg.bridge);
	/* The root namespace is "root" everywhere; "host" is an isolated lab's bridge namespace. */
	snprintf(br->ns_label, sizeof(br->ns_label), "%s", lab->host_ns_name[0] ? "host" : "root");
	br->role = TOPO_BRIDGE;
	br->peer = br->master = -1;
	br->addr = lab->bridge_addr;
	br->prefixlen = lab->cfg.subnet.prefixlen;
	memcpy(br->mac, lab->bridge_mac, 6);
	for (int k = 1; k <= lab->cfg.namespaces; k++) {
		const struct lab_endpoint *ep = &lab->ep[k - 1];
		struct topo_if *port = &t->ifs[2 * k - 1], *end = &t->ifs[2 * k];

		port->netns_ino = lab->host_ino;
		port->ifindex = ep->port_ifindex;
		snprintf(port->name, sizeof(port->name), "%s", ep->port);
		snprintf(port->ns_label, sizeof(port->ns_label), "%s", br->ns_label);
		port->role = TOPO_PORT;
		port->peer = 2 * k;
		port->master = 0;
		end->netns_ino = ep->ns_ino;
		end->ifindex = ep->ifindex;
		snprintf(end->name, sizeof(end->name), "%s", ep->ifname);
		snprintf(end->ns_label, sizeof(end->ns_label), "ns%d", k);
		end->role = TOPO_ENDPOINT;
		end->peer = 2 * k - 1;
		end->master = -1;
		end->addr = ep->addr;
		end->prefixlen = lab->cfg.subnet.prefixlen;
		memcpy(end->mac, ep->mac, 6);
		memcpy(port->mac, ep->port_mac, 6);
	}
	return 0;
}
