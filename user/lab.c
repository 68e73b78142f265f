// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <arpa/inet.h>
#include "decode.h"
#include "lab.h"
#include "netlink.h"
#include "netns.h"

void lab_config_default(struct lab_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->name, sizeof(cfg->name), "%s", LAB_DEFAULT_NAME);
	cfg->namespaces = 2;
	cidr_parse(LAB_DEFAULT_SUBNET, &cfg->subnet);
	snprintf(cfg->bridge, sizeof(cfg->bridge), "%s", LAB_DEFAULT_BRIDGE);
}

int lab_name_validate(const char *name, char *msg, int msglen)
{
	if (!name[0]) {
		snprintf(msg, msglen, "lab name is empty");
		return -EINVAL;
	}
	if (strlen(name) > LAB_NAME_MAX) {
		snprintf(msg, msglen, "lab name '%s' is longer than %d characters", name, LAB_NAME_MAX);
		return -EINVAL;
	}
	for (const char *p = name; *p; p++) {
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-') {
			snprintf(msg, msglen, "lab name '%s' has '%c': use only a-z, 0-9 and '-'", name, *p);
			return -EINVAL;
		}
	}
	return 0;
}

int lab_config_validate(const struct lab_config *cfg, char *msg, int msglen)
{
	char buf[32], name[64];

	if (lab_name_validate(cfg->name, msg, msglen))
		return -EINVAL;
	if (cfg->namespaces < 2 || cfg->namespaces > LAB_MAX_NAMESPACES) {
		snprintf(msg, msglen, "--namespaces %d is out of range (2 to %d)",
			 cfg->namespaces, LAB_MAX_NAMESPACES);
		return -EINVAL;
	}
	/* N endpoints plus the bridge's own address. */
	if (cidr_host_count(&cfg->subnet) < (uint32_t)cfg->namespaces + 1) {
		snprintf(msg, msglen, "subnet %s has %u host addresses, too few for %d namespaces and the bridge",
			 cidr_str(&cfg->subnet, buf, sizeof(buf)), cidr_host_count(&cfg->subnet),
			 cfg->namespaces);
		return -EINVAL;
	}
	if (!cfg->bridge[0] || strchr(cfg->bridge, '/') || strchr(cfg->bridge, ' ')) {
		snprintf(msg, msglen, "bridge name '%s' is not a valid interface name", cfg->bridge);
		return -EINVAL;
	}
	snprintf(name, sizeof(name), "%s%d", LAB_PORT_PREFIX, cfg->namespaces);
	if (strlen(name) >= IFNAMSIZ) {
		snprintf(msg, msglen, "interface name '%s' exceeds %d characters", name, IFNAMSIZ - 1);
		return -EINVAL;
	}
	return 0;
}

/* ---- marks ---- */

static void mark(char *buf, int size, const char *lab, const char *role, int k)
{
	if (k > 0)
		snprintf(buf, size, LAB_MARK "%s:%s %d", lab, role, k);
	else
		snprintf(buf, size, LAB_MARK "%s:%s", lab, role);
}

/* "nstrace:LAB:ROLE ..." -> copies LAB and returns ROLE, or NULL. */
static const char *parse_mark(const char *alias, char *lab, int size)
{
	const char *p, *colon;

	if (strncmp(alias, LAB_MARK, strlen(LAB_MARK)))
		return NULL;
	p = alias + strlen(LAB_MARK);
	colon = strchr(p, ':');
	if (!colon || colon - p >= size)
		return NULL;
	memcpy(lab, p, colon - p);
	lab[colon - p] = '\0';
	return colon + 1;
}

static int is_mark_of(const char *alias, const char *lab, const char *role)
{
	char name[LAB_NAME_MAX + 1];
	const char *r = parse_mark(alias, name, sizeof(name));

	return r && !strcmp(name, lab) && !strncmp(r, role, strlen(role));
}

struct lo_mark {
	const char *alias;
};

/* A new namespace's loopback always has this ifindex (LOOPBACK_IFINDEX). */
#define LO_IFINDEX 1

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

/* The alias on lo inside a namespace fd: that is where nstrace marks namespaces. */
static int read_lo_mark(int fd, char *alias, int size)
{
	struct nl_link lo;
	struct nl nl;
	int err = netns_enter(fd);

	if (err)
		return err;
	err = nl_open(&nl);
	if (!err) {
		err = nl_link_get(&nl, "lo", &lo);
		nl_close(&nl);
	}
	netns_return();
	if (!err)
		snprintf(alias, size, "%s", lo.alias);
	return err;
}

static int ns_marked(const char *ns_name, const char *lab, const char *role)
{
	char alias[NL_ALIAS_MAX];
	int fd = netns_open(ns_name);
	int ok;

	if (fd < 0)
		return 0;
	ok = !read_lo_mark(fd, alias, sizeof(alias)) && is_mark_of(alias, lab, role);
	close(fd);
	return ok;
}

/* ---- build ---- */

static void endpoint_names(struct lab *lab, int k)
{
	struct lab_endpoint *ep = &lab->ep[k - 1];

	/* k <= LAB_MAX_NAMESPACES: three digits at most. */
	snprintf(ep->ns_name, sizeof(ep->ns_name), "%s-ns%u", lab->cfg.name, (unsigned char)k);
	snprintf(ep->ifname, sizeof(ep->ifname), LAB_END_PREFIX "%u", (unsigned char)k);
	snprintf(ep->port, sizeof(ep->port), LAB_PORT_PREFIX "%u", (unsigned char)k);
	ep->addr = cidr_host(&lab->cfg.subnet, k);
	ep->ns_fd = -1;
}

static int lab_alloc(struct lab *lab, const struct lab_config *cfg)
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

/* Nothing may be taken: namespace names, and in the root namespace links and the subnet. */
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
			snprintf(msg, msglen, "lab '%s' already exists (use --lab NAME, or 'nstrace down --lab %s')",
				 lab->cfg.name, lab->cfg.name);
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

		if (is_mark_of(links[i].alias, lab->cfg.name, "")) {
			snprintf(msg, msglen, "lab '%s' already exists (use --lab NAME, or 'nstrace down --lab %s')",
				 lab->cfg.name, lab->cfg.name);
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
				 parse_mark(links[i].alias, buf, sizeof(buf)) ? ", made by another nstrace lab" : "",
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

	mark(ns_alias, sizeof(ns_alias), lab->cfg.name, "ns", k);
	mark(port_alias, sizeof(port_alias), lab->cfg.name, "port", k);
	mark(end_alias, sizeof(end_alias), lab->cfg.name, "end", k);
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

static int open_host(struct lab *lab)
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
static int host_nl(struct lab *lab, struct nl *nl)
{
	int err = netns_enter(lab->host_fd);

	if (err)
		return err;
	err = nl_open(nl);
	netns_return();
	return err;
}

/*
 * One nstrace at a time may check names and build, or remove: without it two
 * runs of the same lab both pass the preflight, and the loser's undo (which
 * removes by mark) would tear down the winner's objects.
 */
static int lab_lock(void)
{
	int fd = open(LAB_LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX))
		if (errno != EINTR) {
			close(fd);
			return -errno;
		}
	return fd;
}

static void lab_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

static int lab_build_locked(struct lab *lab, const struct lab_config *cfg, char *msg, int msglen);
static int remove_marked_locked(const char *name);

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
		mark(host_alias, sizeof(host_alias), cfg->name, "host", 0);
		err = netns_create(lab->host_ns_name, mark_lo, &lo);
		if (err) {
			snprintf(msg, msglen, "cannot create namespace '%s': %s", lab->host_ns_name,
				 strerror(-err));
			lab->host_ns_name[0] = '\0';	/* not ours to remove */
			goto fail;
		}
	}
	err = open_host(lab);
	if (!err)
		err = host_nl(lab, &host);
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

/* ---- load, list, remove ---- */

static int parse_bridge_mark(const char *alias, struct lab_config *cfg)
{
	const char *n = strstr(alias, " n="), *s = strstr(alias, " subnet=");
	char sub[32];

	if (!n || !s || sscanf(s + 8, "%31s", sub) != 1)
		return -EINVAL;
	cfg->namespaces = atoi(n + 3);
	if (cfg->namespaces < 1 || cfg->namespaces > LAB_MAX_NAMESPACES)
		return -EINVAL;
	return cidr_parse(sub, &cfg->subnet);
}

int lab_load(struct lab *lab, const char *name, char *msg, int msglen)
{
	struct lab_config cfg;
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
	err = open_host(lab);
	if (!err)
		err = host_nl(lab, &host);
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
		if (is_mark_of(links[i].alias, name, "bridge"))
			found = i;
	if (found < 0 || parse_bridge_mark(links[found].alias, &cfg)) {
		snprintf(msg, msglen, "no lab named '%s' (see 'nstrace status')", name);
		err = -ENOENT;
		goto fail;
	}
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
	lab->bridge_ifindex = links[found].ifindex;
	memcpy(lab->bridge_mac, links[found].mac, 6);
	for (int k = 1; k <= cfg.namespaces; k++) {
		struct lab_endpoint *ep = &lab->ep[k - 1];
		char alias[NL_ALIAS_MAX];

		mark(alias, sizeof(alias), name, "port", k);
		for (int i = 0; i < n; i++)
			if (!strcmp(links[i].alias, alias)) {
				ep->port_ifindex = links[i].ifindex;
				memcpy(ep->port_mac, links[i].mac, 6);
				snprintf(ep->port, sizeof(ep->port), "%s", links[i].name);
			}
		ep->ns_fd = netns_open(ep->ns_name);
		if (ep->ns_fd >= 0) {
			struct nl nl;
			struct nl_link l;

			ep->ns_ino = netns_inode(ep->ns_fd);
			if (!netns_enter(ep->ns_fd) && !nl_open(&nl)) {
				if (!nl_link_get(&nl, ep->ifname, &l)) {
					ep->ifindex = l.ifindex;
					memcpy(ep->mac, l.mac, 6);
				}
				nl_close(&nl);
			}
			netns_return();
		}
	}
	free(links);
	return 0;
fail:
	free(links);
	lab_release(lab);
	return err;
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

int lab_teardown(struct lab *lab)
{
	char name[LAB_NAME_MAX + 1];

	snprintf(name, sizeof(name), "%s", lab->cfg.name);
	/* Our own fds would keep the namespaces alive: drop them first. */
	lab_release(lab);
	return lab_remove_marked(name);
}

/*
 * Calls fn for each namespace under /run/netns that carries a mark; with
 * only_lab, only names "LAB-..." are opened (a lab names its namespaces so),
 * which keeps 'down --lab' from reading every namespace on the machine.
 */
static int for_each_marked_ns(const char *only_lab,
			      int (*fn)(const char *ns, const char *lab, const char *role, void *arg),
			      void *arg)
{
	size_t plen = only_lab ? strlen(only_lab) : 0;

	DIR *d = opendir(NETNS_RUN_DIR);
	struct dirent *de;
	int count = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		char alias[NL_ALIAS_MAX], lab[LAB_NAME_MAX + 1];
		const char *role;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		if (only_lab && (strncmp(de->d_name, only_lab, plen) || de->d_name[plen] != '-'))
			continue;
		fd = netns_open(de->d_name);
		if (fd < 0)
			continue;
		if (!read_lo_mark(fd, alias, sizeof(alias)) &&
		    (role = parse_mark(alias, lab, sizeof(lab)))) {
			close(fd);
			fd = -1;
			count++;
			if (fn(de->d_name, lab, role, arg))
				break;
		}
		if (fd >= 0)
			close(fd);
	}
	closedir(d);
	return count;
}

struct remove_ctx {
	const char *lab;
	int err;
	int removed;
};

static int remove_ns_cb(const char *ns, const char *lab, const char *role, void *arg)
{
	struct remove_ctx *ctx = arg;
	int err;

	(void)role;
	if (strcmp(lab, ctx->lab))
		return 0;
	err = netns_delete(ns);
	if (err && !ctx->err)
		ctx->err = err;
	ctx->removed += !err;
	return 0;
}

/* Root-namespace links marked for lab, ports before the bridge; counts them in *removed. */
static int remove_root_links(const char *lab, int *removed)
{
	struct nl_link *links;
	struct nl nl;
	int n, err = netns_return();

	if (!err)
		err = nl_open(&nl);
	if (err)
		return err;
	n = nl_link_dump(&nl, &links);
	if (n < 0) {
		nl_close(&nl);
		return n;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < n; i++) {
			int is_bridge = is_mark_of(links[i].alias, lab, "bridge");

			if (!is_mark_of(links[i].alias, lab, "") || is_bridge != pass)
				continue;
			int e = nl_link_del(&nl, links[i].ifindex);

			if (e && e != -ENODEV && !err)
				err = e;
			*removed += !e;
		}
	}
	free(links);
	nl_close(&nl);
	return err;
}

static int remove_marked_locked(const char *name)
{
	struct remove_ctx ctx = { name, 0, 0 };
	int err;

	/* Links first: deleting a veth in a namespace that dies later is asynchronous. */
	err = remove_root_links(name, &ctx.removed);
	for_each_marked_ns(name, remove_ns_cb, &ctx);
	if (err || ctx.err)
		return err ? err : ctx.err;
	return ctx.removed;
}

int lab_remove_marked(const char *name)
{
	int lock = lab_lock(), n;

	if (lock < 0)
		return lock;
	n = remove_marked_locked(name);
	lab_unlock(lock);
	return n;
}

struct list_ctx {
	char (*names)[LAB_NAME_MAX + 1];
	int max, count;
};

static void list_add(struct list_ctx *ctx, const char *lab)
{
	for (int i = 0; i < ctx->count; i++)
		if (!strcmp(ctx->names[i], lab))
			return;
	if (ctx->count < ctx->max)
		snprintf(ctx->names[ctx->count++], LAB_NAME_MAX + 1, "%s", lab);
}

static int list_ns_cb(const char *ns, const char *lab, const char *role, void *arg)
{
	(void)ns;
	(void)role;
	list_add(arg, lab);
	return 0;
}

int lab_list(char names[][LAB_NAME_MAX + 1], int max)
{
	struct list_ctx ctx = { names, max, 0 };
	struct nl_link *links;
	struct nl nl;
	int n;

	for_each_marked_ns(NULL, list_ns_cb, &ctx);
	if (netns_return() || nl_open(&nl))
		return ctx.count;
	n = nl_link_dump(&nl, &links);
	for (int i = 0; i < n; i++) {
		char lab[LAB_NAME_MAX + 1];

		if (parse_mark(links[i].alias, lab, sizeof(lab)))
			list_add(&ctx, lab);
	}
	if (n > 0)
		free(links);
	nl_close(&nl);
	return ctx.count;
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
	snprintf(br->ns_label, sizeof(br->ns_label), "host");
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
		snprintf(port->ns_label, sizeof(port->ns_label), "host");
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

struct exists_ctx {
	const char *lab;
	int found;
};

static int exists_ns_cb(const char *ns, const char *lab, const char *role, void *arg)
{
	struct exists_ctx *ctx = arg;

	(void)ns;
	(void)role;
	ctx->found = !strcmp(lab, ctx->lab);
	return ctx->found;	/* found: stop */
}

int lab_exists(const char *name)
{
	struct exists_ctx ctx = { name, 0 };
	struct nl_link *links;
	struct nl nl;
	int n;

	for_each_marked_ns(name, exists_ns_cb, &ctx);
	if (ctx.found)
		return 1;
	if (netns_return() || nl_open(&nl))
		return 0;
	n = nl_link_dump(&nl, &links);
	for (int i = 0; i < n && !ctx.found; i++)
		ctx.found = is_mark_of(links[i].alias, name, "");
	if (n > 0)
		free(links);
	nl_close(&nl);
	return ctx.found;
}
