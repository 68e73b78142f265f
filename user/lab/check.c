// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>
#include "model/packet.h"
#include "lab/check.h"
#include "kernel/netlink.h"
#include "kernel/netns.h"

/* <net/if.h> stops at IFF_DYNAMIC; <linux/if.h> clashes with it. */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

struct ns_view {
	struct nl_link *links;
	int nlinks;
	struct nl_addr *addrs;
	int naddrs;
};

static void free_view(struct ns_view *v)
{
	if (v->nlinks > 0)
		free(v->links);
	if (v->naddrs > 0)
		free(v->addrs);
}

static int read_view(int fd, struct ns_view *v)
{
	struct nl nl;
	int err = netns_enter(fd);

	memset(v, 0, sizeof(*v));
	if (err)
		return err;
	err = nl_open(&nl);
	if (!err) {
		v->nlinks = nl_link_dump(&nl, &v->links);
		v->naddrs = nl_addr_dump(&nl, &v->addrs);
		if (v->nlinks < 0)
			err = v->nlinks;
		else if (v->naddrs < 0)
			err = v->naddrs;
		nl_close(&nl);
	}
	netns_return();
	if (err)
		free_view(v);	/* whichever dump did succeed */
	return err;
}


static const struct nl_link *by_index(const struct ns_view *v, int ifindex)
{
	for (int i = 0; i < v->nlinks; i++)
		if (v->links[i].ifindex == ifindex)
			return &v->links[i];
	return NULL;
}

static int has_addr(const struct ns_view *v, int ifindex, struct in_addr a, int prefixlen)
{
	for (int i = 0; i < v->naddrs; i++)
		if (v->addrs[i].ifindex == ifindex && v->addrs[i].addr.s_addr == a.s_addr &&
		    v->addrs[i].prefixlen == prefixlen)
			return 1;
	return 0;
}

/* Up, address, and for ports the master: what 'up' set. */
static int check_link(FILE *f, const struct ns_view *v, int ifindex, const char *what,
		      const char *where, const struct in_addr *addr, int prefixlen, int master)
{
	const struct nl_link *l = by_index(v, ifindex);
	char a[16];
	int problems = 0;

	if (!ifindex || !l) {
		fprintf(f, "  MISSING %s in %s\n", what, where);
		return 1;
	}
	if (!(l->flags & IFF_UP)) {
		fprintf(f, "  CHANGED %s in %s: administratively down (was up)\n", what, where);
		problems++;
	} else if (!(l->flags & IFF_LOWER_UP)) {
		fprintf(f, "  CHANGED %s in %s: no carrier (its peer is down or gone)\n", what, where);
		problems++;
	}
	if (addr && !has_addr(v, ifindex, *addr, prefixlen)) {
		fprintf(f, "  CHANGED %s in %s: address %s/%d removed\n", what, where,
			ip_str(addr->s_addr, a, sizeof(a)), prefixlen);
		problems++;
	}
	if (master >= 0 && l->master != master) {
		fprintf(f, "  CHANGED %s in %s: %s the bridge\n", what, where,
			l->master ? "moved to another master than" : "detached from");
		problems++;
	}
	return problems;
}

int lab_check(const struct lab *lab, FILE *f)
{
	const char *host = lab->host_ns_name[0] ? lab->host_ns_name : "the root namespace";
	struct ns_view hv;
	char what[64];
	int problems = 0, plen = lab->cfg.subnet.prefixlen;

	if (read_view(lab->host_fd, &hv)) {
		fprintf(f, "  MISSING host namespace %s\n", host);
		return 1;
	}
	snprintf(what, sizeof(what), "bridge %s", lab->cfg.bridge);
	problems += check_link(f, &hv, lab->bridge_ifindex, what, host, &lab->bridge_addr, plen, -1);
	for (int k = 0; k < lab->cfg.namespaces; k++) {
		const struct lab_endpoint *ep = &lab->ep[k];
		struct ns_view v;

		snprintf(what, sizeof(what), "port %s", ep->port);
		problems += check_link(f, &hv, ep->port_ifindex, what, host, NULL, 0, lab->bridge_ifindex);
		if (ep->ns_fd < 0 || read_view(ep->ns_fd, &v)) {
			fprintf(f, "  MISSING namespace %s\n", ep->ns_name);
			problems++;
			continue;
		}
		snprintf(what, sizeof(what), "%s", ep->ifname);
		problems += check_link(f, &v, ep->ifindex, what, ep->ns_name, &ep->addr, plen, -1);
		free_view(&v);
	}
	free_view(&hv);
	return problems;
}
