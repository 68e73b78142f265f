// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "discover/discover.h"
#include "discover/names.h"
#include "model/packet.h"
#include "kernel/netlink.h"
#include "discover/internal.h"
#include "kernel/netns.h"

static int ns_add(struct discovery *d, const char *path, const struct ns_ref *ref)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	uint32_t ino;
	struct ns_handle *p;

	if (fd < 0)
		return -errno;
	ino = netns_inode(fd);
	for (int i = 0; i < d->nns; i++) {
		if (d->ns[i].ref.ino == ino) {
			close(fd);
			return i;
		}
	}
	p = realloc(d->ns, (d->nns + 1) * sizeof(*p));
	if (!p) {
		close(fd);
		return -ENOMEM;
	}
	d->ns = p;
	p = &d->ns[d->nns];
	p->fd = fd;
	p->ref = *ref;
	p->ref.ino = ino;
	return d->nns++;
}

static int ns_add_cand(struct discovery *d, const struct ns_cand *c)
{
	return ns_add(d, c->path, &c->ref);
}

static int topo_add(struct discovery *d, int ns, const struct nl_link *l, int role)
{
	struct topo_if *t;
	int *m;

	t = realloc(d->topo.ifs, (d->topo.n + 1) * sizeof(*t));
	if (!t)
		return -ENOMEM;
	d->topo.ifs = t;
	m = realloc(d->if_ns, (d->topo.n + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	d->if_ns = m;
	t = &d->topo.ifs[d->topo.n];
	memset(t, 0, sizeof(*t));
	t->netns_ino = d->ns[ns].ref.ino;
	t->ifindex = l->ifindex;
	snprintf(t->name, sizeof(t->name), "%s", l->name);
	snprintf(t->ns_label, sizeof(t->ns_label), "%s", d->ns[ns].ref.label);
	t->role = role;
	t->peer = t->master = -1;
	memcpy(t->mac, l->mac, 6);
	d->if_ns[d->topo.n] = ns;
	return d->topo.n++;
}

/* First IPv4 address of each topo interface in namespace ns. */
static void fill_addrs(struct discovery *d, int ns)
{
	struct nl_addr *a;
	struct nl nl;
	int n;

	if (netns_enter(d->ns[ns].fd))
		return;
	if (!nl_open(&nl)) {
		n = nl_addr_dump(&nl, &a);
		for (int i = 0; i < n; i++)
			for (int j = 0; j < d->topo.n; j++)
				if (d->if_ns[j] == ns && d->topo.ifs[j].ifindex == a[i].ifindex &&
				    !d->topo.ifs[j].addr.s_addr) {
					d->topo.ifs[j].addr = a[i].addr;
					d->topo.ifs[j].prefixlen = a[i].prefixlen;
				}
		if (n > 0)
			free(a);
		nl_close(&nl);
	}
	netns_return();
}

static void note_unresolved(struct discovery *d, const char *fmt, const char *a, int b)
{
	if (d->nunresolved < 8)
		snprintf(d->unresolved[d->nunresolved++], sizeof(d->unresolved[0]), fmt, a, b);
}

/* The link with ifindex in the namespace behind fd. */
static int link_in_ns(int fd, int ifindex, struct nl_link *out)
{
	struct nl nl;
	int err = netns_enter(fd);

	if (err)
		return err;
	err = nl_open(&nl);
	if (!err) {
		err = nl_link_get_index(&nl, ifindex, out);
		nl_close(&nl);
	}
	netns_return();
	return err;
}

/* The far end of a port: an endpoint in whichever namespace holds it. */
static void add_far_end(struct discovery *d, const struct catalog *cat, int host, int port,
			const struct nl_link *pl)
{
	int ns = host, idx;
	struct nl_link end;

	if (strcmp(pl->kind, "veth") || pl->link <= 0)
		return;
	if (pl->link_netnsid >= 0) {
		int c = resolve_nsid(cat, d->ns[host].fd, pl->link_netnsid);

		if (c < 0) {
			note_unresolved(d, "port %s: its peer is in a namespace with no name and no process (netns id %d): not traced",
					pl->name, pl->link_netnsid);
			return;
		}
		ns = ns_add_cand(d, &cat->c[c]);
		if (ns < 0)
			return;
	}
	if (link_in_ns(d->ns[ns].fd, pl->link, &end))
		return;
	idx = topo_add(d, ns, &end, TOPO_ENDPOINT);
	if (idx < 0)
		return;
	d->topo.ifs[idx].peer = port;
	d->topo.ifs[port].peer = idx;
}

/* The bridge and everything on it, from the namespace that holds it. */
static int discover_ports(struct discovery *d, const struct catalog *cat, int host, int bridge_ifindex)
{
	struct nl_link *links;
	struct nl nl;
	int n, err, br = -1;

	err = netns_enter(d->ns[host].fd);
	if (err)
		return err;
	err = nl_open(&nl);
	if (err) {
		netns_return();
		return err;
	}
	n = nl_link_dump(&nl, &links);
	nl_close(&nl);
	netns_return();
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++)
		if (links[i].ifindex == bridge_ifindex)
			br = topo_add(d, host, &links[i], TOPO_BRIDGE);
	if (br < 0) {
		free(links);
		return -ENODEV;
	}
	d->bridge = br;
	for (int i = 0; i < n; i++) {
		int port;

		if (links[i].master != bridge_ifindex)
			continue;
		port = topo_add(d, host, &links[i], TOPO_PORT);
		if (port < 0)
			break;
		d->topo.ifs[port].master = br;
		add_far_end(d, cat, host, port, &links[i]);
	}
	free(links);
	for (int i = 0; i < d->nns; i++)
		fill_addrs(d, i);
	return 0;
}

/* SRC as a PID, comm:PID, a container's name, a namespace file or a /run/netns name. */
static int open_src(const char *src, const struct ns_owners *ow, char *path, int psize, struct ns_ref *ref)
{
	int digits = *src != '\0', pid;

	memset(ref, 0, sizeof(*ref));
	for (const char *p = src; *p; p++)
		digits &= isdigit((unsigned char)*p) != 0;
	snprintf(path, psize, NETNS_RUN_DIR "/%s", src);
	pid = digits ? atoi(src) : strchr(src, '/') || !access(path, F_OK) ? 0 : ns_owners_find(ow, src);
	if (pid > 0) {
		char comm[16] = "?", container[CONTAINER_NAME_MAX];

		/* The process given names it (comm:PID), or its container. */
		snprintf(path, psize, "/proc/%d/ns/net", pid);
		container_of_pid(pid, container, sizeof(container));
		process_comm(pid, comm);
		if (container[0])
			snprintf(ref->label, sizeof(ref->label), "%s", container);
		else
			snprintf(ref->label, sizeof(ref->label), "%s:%d", comm, pid);
		ref->via = NS_VIA_PID;
		snprintf(ref->arg, sizeof(ref->arg), "%d", pid);
	} else if (strchr(src, '/')) {
		snprintf(path, psize, "%s", src);
		snprintf(ref->label, sizeof(ref->label), "%s", strrchr(src, '/') + 1);
		ref->via = NS_VIA_PATH;
		snprintf(ref->arg, sizeof(ref->arg), "%s", src);
	} else {
		snprintf(ref->label, sizeof(ref->label), "%s", src);
		ref->via = NS_VIA_NAME;
		snprintf(ref->arg, sizeof(ref->arg), "%s", src);
	}
	return access(path, R_OK) ? -errno : 0;
}

/* The interface the namespace behind fd sends to dst by (RTM_GETROUTE). */
static int route_out(int fd, struct in_addr dst, struct nl_link *out)
{
	struct nl nl;
	int oif, err = netns_enter(fd);

	if (err)
		return err;
	err = nl_open(&nl);
	if (!err) {
		oif = nl_route_get_oif(&nl, dst);
		err = oif < 0 ? oif : nl_link_get_index(&nl, oif, out);
		nl_close(&nl);
	}
	netns_return();
	return err;
}

/* From the source's veth, through its peer, to the bridge and all its ports. */
static int follow_veth(struct discovery *d, const struct catalog *cat, int sns, const struct nl_link *out,
		       char *msg, int msglen)
{
	const char *label = d->ns[sns].ref.label;
	struct nl_link peer;
	int c, host, err;

	c = resolve_nsid(cat, d->ns[sns].fd, out->link_netnsid);
	if (c < 0) {
		snprintf(msg, msglen, "the peer of %s in %s is in a namespace with no name and no process (netns id %d)",
			 out->name, label, out->link_netnsid);
		return -ENOENT;
	}
	host = ns_add_cand(d, &cat->c[c]);
	err = host < 0 ? host : link_in_ns(d->ns[host].fd, out->link, &peer);
	if (err) {
		snprintf(msg, msglen, "cannot read the peer of %s: %s", out->name, strerror(-err));
		return err;
	}
	if (!peer.master) {
		snprintf(msg, msglen, "%s's peer %s (in %s) is not a port of any bridge", out->name, peer.name,
			 d->ns[host].ref.label);
		return -EOPNOTSUPP;
	}
	err = discover_ports(d, cat, host, peer.master);
	if (err)
		snprintf(msg, msglen, "cannot read bridge ifindex %d in %s: %s", peer.master, d->ns[host].ref.label,
			 strerror(-err));
	return err;
}

/* The links of the namespace behind fd; count or -errno. */
static int links_in_ns(int fd, struct nl_link **out)
{
	struct nl nl;
	int n = nl_open_in(&nl, fd);

	if (n)
		return n;
	n = nl_link_dump(&nl, out);
	nl_close(&nl);
	return n;
}

/*
 * The source's one veth whose peer is a bridge port: where its packets would
 * go if its routing let them. Used when the route lookup is refused, so the
 * refusal is diagnosed rather than reported as a usage error.
 */
static int only_bridged_veth(struct discovery *d, const struct catalog *cat, int sns, struct nl_link *out)
{
	struct nl_link *l, peer;
	int n = links_in_ns(d->ns[sns].fd, &l), found = 0;

	for (int i = 0; i < n; i++) {
		int c;

		if (strcmp(l[i].kind, "veth") || l[i].link_netnsid < 0)
			continue;
		c = resolve_nsid(cat, d->ns[sns].fd, l[i].link_netnsid);
		if (c < 0)
			continue;
		{
			int fd = open(cat->c[c].path, O_RDONLY | O_CLOEXEC);
			int ok = fd >= 0 && !link_in_ns(fd, l[i].link, &peer) && peer.master;

			if (fd >= 0)
				close(fd);
			if (ok && !found++)
				*out = l[i];
		}
	}
	if (n > 0)
		free(l);
	return found == 1 ? 0 : -ENOENT;
}

/* ifindex holding addr in the namespace behind fd, 0 if none. */
static int addr_in_ns(int fd, struct in_addr addr)
{
	struct nl_addr *a;
	struct nl nl;
	int n, found = 0;

	if (nl_open_in(&nl, fd))
		return 0;
	n = nl_addr_dump(&nl, &a);
	nl_close(&nl);
	for (int i = 0; i < n && !found; i++)
		if (a[i].addr.s_addr == addr.s_addr)
			found = a[i].ifindex;
	if (n > 0)
		free(a);
	return found;
}

/* The target's interface and its veth peer, from namespace ns, added to the topology. */
static void add_elsewhere(struct discovery *d, const struct catalog *cat, int ns, int ifindex)
{
	struct nl_link end, peer;
	int idx, pns, pidx, c;

	if (link_in_ns(d->ns[ns].fd, ifindex, &end) || (idx = topo_add(d, ns, &end, TOPO_ENDPOINT)) < 0)
		return;
	d->elsewhere = idx;
	fill_addrs(d, ns);
	if (strcmp(end.kind, "veth") || end.link_netnsid < 0 ||
	    (c = resolve_nsid(cat, d->ns[ns].fd, end.link_netnsid)) < 0 || (pns = ns_add_cand(d, &cat->c[c])) < 0 ||
	    link_in_ns(d->ns[pns].fd, end.link, &peer) || (pidx = topo_add(d, pns, &peer, TOPO_PORT)) < 0)
		return;
	/* Where it would have to be for the source to reach it: a port of the source's bridge. */
	d->topo.ifs[pidx].master = d->bridge;
	d->topo.ifs[pidx].peer = idx;
	d->topo.ifs[idx].peer = pidx;
}

/* The namespace that has dst although nothing on the bridge does (a port detached, say). */
static void find_elsewhere(struct discovery *d, const struct catalog *cat, struct in_addr dst)
{
	if (topo_find_addr(&d->topo, dst) >= 0)
		return;
	for (int i = 0; i < d->nns; i++) {
		int ifindex = addr_in_ns(d->ns[i].fd, dst);

		if (ifindex) {
			add_elsewhere(d, cat, i, ifindex);
			return;
		}
	}
	for (int c = 0; c < cat->n; c++) {
		int fd = open(cat->c[c].path, O_RDONLY | O_CLOEXEC), ifindex, ns;

		if (fd < 0)
			continue;
		ifindex = addr_in_ns(fd, dst);
		close(fd);
		if (ifindex && (ns = ns_add_cand(d, &cat->c[c])) >= 0) {
			add_elsewhere(d, cat, ns, ifindex);
			return;
		}
	}
}

int discover_from(const char *src, struct in_addr dst, const char *bridge_name,
		  struct discovery *d, char *msg, int msglen)
{
	struct catalog cat = {};
	struct ns_owners ow = {};
	char path[256], a[16];
	struct ns_ref ref;
	struct nl_link out;
	int sns, err;

	memset(d, 0, sizeof(*d));
	d->src = d->bridge = d->elsewhere = -1;
	ns_owners_scan(&ow);
	err = open_src(src, &ow, path, sizeof(path), &ref);
	if (err) {
		snprintf(msg, msglen, "no network namespace '%s' (%s): give a name under /run/netns, a PID, comm:PID, "
			 "a container's name or a namespace file", src, strerror(-err));
		ns_owners_free(&ow);
		return -ENOENT;
	}
	catalog_build(&cat, &ow);
	sns = ns_add(d, path, &ref);
	if (sns < 0) {
		err = sns;
		snprintf(msg, msglen, "cannot open %s: %s", path, strerror(-err));
		goto out;
	}
	/* Its route to dst names the interface the probes leave by. */
	err = route_out(d->ns[sns].fd, dst, &out);
	if (err && only_bridged_veth(d, &cat, sns, &out)) {
		snprintf(msg, msglen, "%s has no route to %s (%s) and no single veth into a bridge to trace instead",
			 ref.label, ip_str(dst.s_addr, a, sizeof(a)), strerror(-err));
		/* The answer to the question, not a usage error: it cannot reach it. */
		err = -ENETUNREACH;
		goto out;
	}
	if (err) {
		/* A refused lookup is the finding: trace where its packets would have gone. */
		d->route_err = -err;
		err = 0;
	}
	if (strcmp(out.kind, "veth") || out.link_netnsid < 0) {
		snprintf(msg, msglen, "%s reaches %s through %s, %s: nstrace traces veth pairs into a bridge",
			 ref.label, ip_str(dst.s_addr, a, sizeof(a)), out.name,
			 strcmp(out.kind, "veth") ? "not a veth" : "whose peer is in the same namespace");
		err = -EOPNOTSUPP;
		goto out;
	}
	err = follow_veth(d, &cat, sns, &out, msg, msglen);
	if (err)
		goto out;
	if (bridge_name && strcmp(d->topo.ifs[d->bridge].name, bridge_name)) {
		snprintf(msg, msglen, "%s reaches %s through bridge %s, not %s", ref.label,
			 ip_str(dst.s_addr, a, sizeof(a)), d->topo.ifs[d->bridge].name, bridge_name);
		err = -EINVAL;
		goto out;
	}
	find_elsewhere(d, &cat, dst);
	d->src = topo_find(&d->topo, d->ns[sns].ref.ino, out.ifindex);
	if (d->src < 0) {
		snprintf(msg, msglen, "%s's %s leads to bridge %s, but its own end was not found among the bridge's ports",
			 ref.label, out.name, d->topo.ifs[d->bridge].name);
		err = -ENOENT;
	}
out:
	free(cat.c);
	ns_owners_free(&ow);
	if (err)
		discovery_free(d);
	return err;
}

/* The namespace nstrace runs in: "root", or "self" when that is not the root one. */
static int ns_add_self(struct discovery *d)
{
	struct ns_ref self = { .label = "root", .via = NS_VIA_SELF };
	struct stat init, own;

	if (stat("/proc/1/ns/net", &init) || stat("/proc/self/ns/net", &own) || init.st_ino != own.st_ino)
		snprintf(self.label, sizeof(self.label), "self");
	return ns_add(d, "/proc/self/ns/net", &self);
}

int discover_bridge(const char *netns, const char *bridge_name, struct discovery *d,
		    char *msg, int msglen)
{
	struct catalog cat = {};
	struct ns_owners ow = {};
	char path[256];
	struct ns_ref ref;
	struct nl_link *links = NULL;
	struct nl nl;
	int host, n = 0, err, br = 0, bridges = 0;

	memset(d, 0, sizeof(*d));
	d->src = d->bridge = d->elsewhere = -1;
	ns_owners_scan(&ow);
	catalog_build(&cat, &ow);
	if (netns && open_src(netns, &ow, path, sizeof(path), &ref)) {
		snprintf(msg, msglen, "no network namespace '%s'", netns);
		err = -ENOENT;
		goto out;
	}
	host = netns ? ns_add(d, path, &ref) : ns_add_self(d);
	err = host < 0 ? host : netns_enter(d->ns[host].fd);
	if (!err) {
		err = nl_open(&nl);
		if (!err) {
			n = nl_link_dump(&nl, &links);
			err = n < 0 ? n : 0;
			nl_close(&nl);
		}
		netns_return();
	}
	if (err) {
		snprintf(msg, msglen, "cannot list links: %s", strerror(-err));
		goto out;
	}
	for (int i = 0; i < n; i++) {
		int ports = 0;

		if (strcmp(links[i].kind, "bridge"))
			continue;
		if (bridge_name) {
			if (!strcmp(links[i].name, bridge_name))
				br = links[i].ifindex;
			continue;
		}
		for (int j = 0; j < n; j++)
			ports += links[j].master == links[i].ifindex;
		if (ports) {
			bridges++;
			br = links[i].ifindex;
		}
	}
	if (!br || bridges > 1) {
		snprintf(msg, msglen, bridge_name ? "no bridge named '%s' in %s" :
			 bridges > 1 ? "%s%s holds several bridges with ports: choose one with --bridge" :
			 "%s%s holds no bridge with ports (use --netns and --bridge)",
			 bridge_name ? bridge_name : "", d->ns[host].ref.label);
		err = bridge_name ? -ENODEV : -EINVAL;
		goto out;
	}
	err = discover_ports(d, &cat, host, br);
	if (err)
		snprintf(msg, msglen, "cannot read the bridge's ports: %s", strerror(-err));
out:
	if (n > 0)
		free(links);
	free(cat.c);
	ns_owners_free(&ow);
	if (err)
		discovery_free(d);
	return err;
}

void discovery_free(struct discovery *d)
{
	for (int i = 0; i < d->nns; i++)
		close(d->ns[i].fd);
	free(d->ns);
	free(d->topo.ifs);
	free(d->if_ns);
	memset(d, 0, sizeof(*d));
	d->src = d->bridge = d->elsewhere = -1;
}
