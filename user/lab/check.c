// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "model/packet.h"
#include "lab/check.h"
#include "kernel/netlink.h"
#include "kernel/netns.h"
#include "lab/mark.h"

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
	int err;

	memset(v, 0, sizeof(*v));
	err = nl_open_in(&nl, fd);
	if (!err) {
		v->nlinks = nl_link_dump(&nl, &v->links);
		v->naddrs = nl_addr_dump(&nl, &v->addrs);
		if (v->nlinks < 0)
			err = v->nlinks;
		else if (v->naddrs < 0)
			err = v->naddrs;
		nl_close(&nl);
	}
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

/* /run/netns/NAME still names the namespace with inode ino. */
static int same_ns(const char *name, uint32_t ino)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	return !stat(path, &st) && (uint32_t)st.st_ino == ino;
}

int lab_verify(const struct lab *lab, char *msg, int msglen)
{
	struct nl_link br;
	struct nl nl;
	int err;

	if (lab->host_ns_name[0] && !same_ns(lab->host_ns_name, lab->host_ino)) {
		snprintf(msg, msglen, "namespace %s is gone", lab->host_ns_name);
		return -ENOENT;
	}
	for (int k = 0; k < lab->cfg.namespaces; k++) {
		if (lab->ep[k].ns_fd >= 0 && !same_ns(lab->ep[k].ns_name, lab->ep[k].ns_ino)) {
			snprintf(msg, msglen, "namespace %s is gone", lab->ep[k].ns_name);
			return -ENOENT;
		}
	}
	err = nl_open_in(&nl, lab->host_fd);
	if (!err) {
		err = nl_link_get_index(&nl, lab->bridge_ifindex, &br);
		nl_close(&nl);
	}
	if (err == -ENODEV || (!err && !mark_is_of(br.alias, lab->cfg.name, "bridge"))) {
		snprintf(msg, msglen, "bridge %s is gone", lab->cfg.bridge);
		return -ENOENT;
	}
	return 0;
}
