// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Before building, under the lock: no name, no subnet and no remains of this lab in the way. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/netlink.h"
#include "kernel/netns.h"
#include "lab/internal.h"
#include "lab/mark.h"

#define REMAINS "lab '%s' has remains of a killed build (%s)"

static int check_ns_names(struct lab *lab, char *msg, int msglen)
{
	for (int k = lab->host_ns_name[0] ? 0 : 1; k <= lab->cfg.namespaces; k++) {
		const char *ns = k ? lab->ep[k - 1].ns_name : lab->host_ns_name;
		char what[LAB_NS_NAME_MAX + 48];
		int state = netns_file_state(ns);

		if (state == -ENOENT)
			continue;
		if (state == 0) {
			snprintf(what, sizeof(what), NETNS_RUN_DIR "/%s is an empty file, no namespace", ns);
			snprintf(msg, msglen, REMAINS, lab->cfg.name, what);
			return -EALREADY;
		}
		if (state == 1 && ns_marked(ns, lab->cfg.name, "")) {
			snprintf(msg, msglen, "lab '%s' already exists", lab->cfg.name);
			return -EALREADY;
		}
		snprintf(msg, msglen, "namespace '%s' already exists and is not nstrace's (use --lab NAME)", ns);
		return -EEXIST;
	}
	return 0;
}

static int check_links(struct lab *lab, const struct nl_link *links, int n, char *msg, int msglen)
{
	char buf[LAB_NAME_MAX + 1], what[64];

	for (int i = 0; i < n; i++) {
		const char *clash = NULL;

		if (link_is_of(&links[i], lab->cfg.name)) {
			if (mark_is_of(links[i].alias, lab->cfg.name, "")) {
				snprintf(msg, msglen, "lab '%s' already exists", lab->cfg.name);
			} else {
				snprintf(what, sizeof(what), "link %s, never marked", links[i].name);
				snprintf(msg, msglen, REMAINS, lab->cfg.name, what);
			}
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
			return -EEXIST;
		}
	}
	return 0;
}

static int check_routes(struct lab *lab, const struct nl_route *routes, int n, char *msg, int msglen)
{
	char buf[32], rb[32];

	for (int i = 0; i < n; i++) {
		struct cidr r = { routes[i].dst, routes[i].dst_len };

		/* A default route covers everything and is no clash. */
		if (routes[i].dst_len == 0 || !cidr_overlaps(&r, &lab->cfg.subnet))
			continue;
		snprintf(msg, msglen, "subnet %s overlaps the existing route %s (use --subnet CIDR)",
			 cidr_str(&lab->cfg.subnet, buf, sizeof(buf)), cidr_str(&r, rb, sizeof(rb)));
		return -EADDRINUSE;
	}
	return 0;
}

int lab_preflight(struct lab *lab, struct nl *host, char *msg, int msglen)
{
	struct nl_link *links;
	struct nl_route *routes;
	int n, err = check_ns_names(lab, msg, msglen);

	/* A lab of its own namespace clashes with nothing in the root one. */
	if (err || lab->cfg.isolated)
		return err;
	n = nl_link_dump(host, &links);
	if (n < 0) {
		snprintf(msg, msglen, "cannot list links: %s", strerror(-n));
		return n;
	}
	err = check_links(lab, links, n, msg, msglen);
	free(links);
	if (err)
		return err;
	n = nl_route_dump(host, &routes);
	if (n < 0) {
		snprintf(msg, msglen, "cannot list routes: %s", strerror(-n));
		return n;
	}
	err = check_routes(lab, routes, n, msg, msglen);
	free(routes);
	return err;
}
