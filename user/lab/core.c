// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kernel/netlink.h"
#include "kernel/netns.h"
#include "lab/internal.h"

static void endpoint_names(struct lab *lab, int k)
{
	struct lab_endpoint *ep = &lab->ep[k - 1];

	/* k <= LAB_MAX_NAMESPACES: three digits at most. */
	snprintf(ep->ns_name, sizeof(ep->ns_name), "%s-ns%u", lab->cfg.name, (unsigned char)k);
	snprintf(ep->ifname, sizeof(ep->ifname), LAB_END_PREFIX "%u", (unsigned char)k);
	lab_port_name(&lab->cfg, (unsigned char)k, ep->port, sizeof(ep->port));
	ep->addr = cidr_host(&lab->cfg.subnet, k);
	ep->ns_fd = -1;
}

int lab_alloc(struct lab *lab, const struct lab_config *cfg)
{
	memset(lab, 0, sizeof(*lab));
	lab->cfg = *cfg;
	lab->host_fd = -1;
	lab->ep = calloc(cfg->namespaces, sizeof(*lab->ep));
	if (!lab->ep)
		return -ENOMEM;
	for (int k = 1; k <= cfg->namespaces; k++)
		endpoint_names(lab, k);
	lab->bridge_addr = cidr_host(&cfg->subnet, cidr_host_count(&cfg->subnet));
	if (cfg->isolated)
		snprintf(lab->host_ns_name, sizeof(lab->host_ns_name), "%s-host", cfg->name);
	return 0;
}


int lab_open_host(struct lab *lab)
{
	if (!lab->host_ns_name[0]) {
		lab->host_fd = fcntl(netns_origin_fd(), F_DUPFD_CLOEXEC, 0);
		if (lab->host_fd < 0)
			return -errno;
	} else {
		lab->host_fd = netns_open(lab->host_ns_name);
		if (lab->host_fd < 0)
			return lab->host_fd;
	}
	lab->host_ino = netns_inode(lab->host_fd);
	return 0;
}

/* A netlink socket bound in the lab's host namespace. */
int lab_host_nl(struct lab *lab, struct nl *nl)
{
	return nl_open_in(nl, lab->host_fd);
}

void lab_release(struct lab *lab)
{
	if (lab->ep) {
		for (int k = 0; k < lab->cfg.namespaces; k++)
			if (lab->ep[k].ns_fd >= 0)
				close(lab->ep[k].ns_fd);
		free(lab->ep);
		lab->ep = NULL;
	}
	if (lab->host_fd >= 0)
		close(lab->host_fd);
	lab->host_fd = -1;
}

int lab_endpoint_number(const struct lab *lab, const char *nsk)
{
	char *end;
	long k;

	if (strncmp(nsk, "ns", 2))
		return 0;
	k = strtol(nsk + 2, &end, 10);
	return *end || end == nsk + 2 || k < 1 || k > lab->cfg.namespaces ? 0 : (int)k;
}
