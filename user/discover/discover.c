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
#include <linux/rtnetlink.h>
#include <sys/stat.h>
#include "discover/discover.h"
#include "discover/internal.h"
#include "model/packet.h"
#include "kernel/netlink.h"
#include "kernel/netns.h"

/*
 * One discovery: the result, the candidates, and a netlink socket per
 * namespace of the result, opened inside it once and kept until the end.
 */
struct walk {
	struct discovery *d;
	struct catalog cat;
	struct nl *nl;		/* parallel to d->ns; .sock NULL until first used */
	int nnl;
};

static void walk_end(struct walk *w)
{
	for (int i = 0; i < w->nnl; i++)
		nl_close(&w->nl[i]);
	free(w->nl);
	catalog_free(&w->cat);
	memset(w, 0, sizeof(*w));
}

/* The socket of namespace ns, opened inside it the first time. */
static int ns_nl(struct walk *w, int ns, struct nl **out)
{
	int err;

	if (ns >= w->nnl) {
		struct nl *p = realloc(w->nl, (ns + 1) * sizeof(*p));

		if (!p)
			return -ENOMEM;
		memset(p + w->nnl, 0, (ns + 1 - w->nnl) * sizeof(*p));
		w->nl = p;
		w->nnl = ns + 1;
	}
	if (!w->nl[ns].sock) {
		err = nl_open_in(&w->nl[ns], w->d->ns[ns].fd);
		if (err)
			return err;
	}
	*out = &w->nl[ns];
	return 0;
}

/* Which candidate namespace ns calls nsid; -1 if none. */
static int resolve_nsid(struct walk *w, int ns, int nsid)
{
	struct nl *nl;
	int found = -1;

	if (ns_nl(w, ns, &nl))
		return -1;
	for (int i = 0; i < w->cat.n && found < 0; i++) {
		int fd = open(w->cat.c[i].path, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			continue;
		if (nl_netnsid_of_fd(nl, fd) == nsid)
			found = i;
		close(fd);
	}
	return found;
}

/* Adds the namespace behind fd (taken over) unless known; its index, or -errno. */
static int ns_add_fd(struct discovery *d, int fd, const struct ns_ref *ref)
{
	uint32_t ino = netns_inode(fd);
	struct ns_handle *p;

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
	int fd = open(c->path, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : ns_add_fd(d, fd, &c->ref);
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
static void fill_addrs(struct walk *w, int ns)
{
	struct discovery *d = w->d;
	struct nl_addr *a;
	struct nl *nl;
	int n;

	if (ns_nl(w, ns, &nl))
		return;
	n = nl_addr_dump(nl, &a);
	for (int i = 0; i < n; i++)
		for (int j = 0; j < d->topo.n; j++)
			if (d->if_ns[j] == ns && d->topo.ifs[j].ifindex == a[i].ifindex &&
			    !d->topo.ifs[j].addr.s_addr) {
				d->topo.ifs[j].addr = a[i].addr;
				d->topo.ifs[j].prefixlen = a[i].prefixlen;
			}
	if (n > 0)
		free(a);
}

static void note_unresolved(struct discovery *d, const char *fmt, const char *a, int b)
{
	if (d->nunresolved < 8)
		snprintf(d->unresolved[d->nunresolved++], sizeof(d->unresolved[0]), fmt, a, b);
}

/* The link with ifindex in namespace ns. */
static int link_in_ns(struct walk *w, int ns, int ifindex, struct nl_link *out)
{
	struct nl *nl;
	int err = ns_nl(w, ns, &nl);

	return err ? err : nl_link_get_index(nl, ifindex, out);
}

/* The far end of a port: an endpoint in whichever namespace holds it. */
static void add_far_end(struct walk *w, int host, int port, const struct nl_link *pl)
{
	struct discovery *d = w->d;
	int ns = host, idx;
	struct nl_link end;

	if (strcmp(pl->kind, "veth") || pl->link <= 0)
		return;
	if (pl->link_netnsid >= 0) {
		int c = resolve_nsid(w, host, pl->link_netnsid);

		if (c < 0) {
			note_unresolved(d, "port %s: its peer is in a namespace with no name and no process (netns id %d): not traced",
					pl->name, pl->link_netnsid);
			return;
		}
		ns = ns_add_cand(d, &w->cat.c[c]);
		if (ns < 0)
			return;
	}
	if (link_in_ns(w, ns, pl->link, &end))
		return;
	idx = topo_add(d, ns, &end, TOPO_ENDPOINT);
	if (idx < 0)
		return;
	d->topo.ifs[idx].peer = port;
	d->topo.ifs[port].peer = idx;
}

/* The bridge and everything on it, from the namespace that holds it. */
static int discover_ports(struct walk *w, int host, int bridge_ifindex)
{
	struct discovery *d = w->d;
	struct nl_link *links;
	struct nl *nl;
	int n, err, br = -1;

	err = ns_nl(w, host, &nl);
	if (err)
		return err;
	n = nl_link_dump(nl, &links);
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
		add_far_end(w, host, port, &links[i]);
	}
	free(links);
	for (int i = 0; i < d->nns; i++)
		fill_addrs(w, i);
	return 0;
}

/* SRC as a path and a reference: a PID, a path (has '/'), or a name under /run/netns. */
static int src_path(const char *src, char *path, int psize, struct ns_ref *ref)
{
	int digits = *src != '\0';

	memset(ref, 0, sizeof(*ref));
	for (const char *p = src; *p; p++)
		digits &= isdigit((unsigned char)*p) != 0;
	if (digits && strlen(src) <= 10) {
		snprintf(path, psize, "/proc/%s/ns/net", src);
		snprintf(ref->label, sizeof(ref->label), "pid %s", src);
		ref->via = NS_VIA_PID;
	} else if (strchr(src, '/')) {
		snprintf(path, psize, "%s", src);
		snprintf(ref->label, sizeof(ref->label), "%s", strrchr(src, '/') + 1);
		ref->via = NS_VIA_PATH;
	} else {
		snprintf(path, psize, NETNS_RUN_DIR "/%s", src);
		snprintf(ref->label, sizeof(ref->label), "%s", src);
		ref->via = NS_VIA_NAME;
	}
	if ((size_t)snprintf(ref->arg, sizeof(ref->arg), "%s", src) >= sizeof(ref->arg))
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Opens what the user named and adds it to d; -ENOENT, -ENOTNAM (not a
 * namespace), -EPROTOTYPE (another kind of namespace) with msg.
 */
static int open_src(struct discovery *d, const char *opt, const char *src, char *msg, int msglen)
{
	char path[PATH_MAX];
	struct ns_ref ref;
	int fd, err = src_path(src, path, sizeof(path), &ref);

	fd = err ? err : netns_open(path);
	err = fd < 0 ? fd : netns_check(fd);
	if (err == -ENOTNAM || err == -EPROTOTYPE) {
		struct stat st;
		const char *what = err == -EPROTOTYPE ? "a namespace of another kind" :
				   fstat(fd, &st) ? "no namespace" : S_ISDIR(st.st_mode) ? "a directory" :
				   S_ISREG(st.st_mode) && !st.st_size ? "an empty file" :
				   S_ISREG(st.st_mode) ? "a regular file" : "not a namespace file";

		snprintf(msg, msglen, "%s '%s' is not a network namespace (%s is %s): give a name under "
			 NETNS_RUN_DIR ", a PID, or a file such as /proc/PID/ns/net", opt, src, path, what);
	} else if (err) {
		snprintf(msg, msglen, "no network namespace %s '%s' (%s: %s): give a name under "
			 NETNS_RUN_DIR ", a PID, or a namespace file", opt, src, path, strerror(-err));
		err = err == -ENAMETOOLONG ? -ENOTNAM : -ENOENT;
	}
	if (err) {
		if (fd >= 0)
			close(fd);
		return err;
	}
	return ns_add_fd(d, fd, &ref);
}

/* The interface namespace ns sends to dst by (RTM_GETROUTE), and the route's type. */
static int route_out(struct walk *w, int ns, struct in_addr dst, struct nl_link *out, int *type)
{
	struct nl *nl;
	int oif, err = ns_nl(w, ns, &nl);

	if (!err)
		err = nl_route_lookup(nl, dst, &oif, type);
	if (!err && (*type == RTN_UNICAST || *type == RTN_LOCAL))
		err = nl_link_get_index(nl, oif, out);
	return err;
}

/* From the source's veth, through its peer, to the bridge and all its ports. */
static int follow_veth(struct walk *w, int sns, const struct nl_link *out, char *msg, int msglen)
{
	struct discovery *d = w->d;
	const char *label = d->ns[sns].ref.label;
	struct nl_link peer;
	int c, host, err;

	c = resolve_nsid(w, sns, out->link_netnsid);
	if (c < 0) {
		snprintf(msg, msglen, "the peer of %s in %s is in a namespace with no name and no process (netns id %d)",
			 out->name, label, out->link_netnsid);
		return -ENOENT;
	}
	host = ns_add_cand(d, &w->cat.c[c]);
	err = host < 0 ? host : link_in_ns(w, host, out->link, &peer);
	if (err) {
		snprintf(msg, msglen, "cannot read the peer of %s: %s", out->name, strerror(-err));
		return err;
	}
	if (!peer.master) {
		snprintf(msg, msglen, "%s's peer %s (in %s) is not a port of any bridge", out->name, peer.name,
			 d->ns[host].ref.label);
		return -EOPNOTSUPP;
	}
	err = discover_ports(w, host, peer.master);
	if (err)
		snprintf(msg, msglen, "cannot read bridge ifindex %d in %s: %s", peer.master, d->ns[host].ref.label,
			 strerror(-err));
	return err;
}

/* dst as the source's routing sees it: one unicast host through a veth, or why not. */
static int check_route(struct walk *w, int sns, struct in_addr dst, struct nl_link *out, char *msg, int msglen)
{
	const char *label = w->d->ns[sns].ref.label;
	char a[16];
	int type = 0, err = route_out(w, sns, dst, out, &type);

	ip_str(dst.s_addr, a, sizeof(a));
	if (err) {
		snprintf(msg, msglen, "%s has no route to %s: %s", label, a, strerror(-err));
		return err;
	}
	if (type != RTN_UNICAST) {
		snprintf(msg, msglen, "--to %s is %s %s (its routes say so): nstrace traces echo requests to one other host",
			 a, type == RTN_BROADCAST ? "a broadcast address for" : type == RTN_LOCAL ? "an address of" :
			 type == RTN_MULTICAST ? "a multicast address for" : "no unicast destination for", label);
		return -EINVAL;
	}
	if (strcmp(out->kind, "veth") || out->link_netnsid < 0) {
		snprintf(msg, msglen, "%s reaches %s through %s, %s: nstrace traces veth pairs into a bridge",
			 label, a, out->name, strcmp(out->kind, "veth") ? "not a veth" : "whose peer is in the same namespace");
		return -EOPNOTSUPP;
	}
	return 0;
}

int discover_from(const char *src, struct in_addr dst, const char *bridge_name,
		  struct discovery *d, char *msg, int msglen)
{
	struct walk w = { .d = d };
	struct nl_link out;
	char a[16];
	int sns, err;

	memset(d, 0, sizeof(*d));
	d->src = d->bridge = -1;
	sns = open_src(d, "--from", src, msg, msglen);
	if (sns < 0)
		return sns;
	catalog_build(&w.cat);
	/* Its route to dst names the interface the probes leave by. */
	err = check_route(&w, sns, dst, &out, msg, msglen);
	if (!err)
		err = follow_veth(&w, sns, &out, msg, msglen);
	if (err)
		goto out;
	if (bridge_name && strcmp(d->topo.ifs[d->bridge].name, bridge_name)) {
		snprintf(msg, msglen, "%s reaches %s through bridge %s, not %s", d->ns[sns].ref.label,
			 ip_str(dst.s_addr, a, sizeof(a)), d->topo.ifs[d->bridge].name, bridge_name);
		err = -EINVAL;
		goto out;
	}
	d->src = topo_find(&d->topo, d->ns[sns].ref.ino, out.ifindex);
	if (d->src < 0) {
		snprintf(msg, msglen, "%s's %s leads to bridge %s, but its own end was not found among the bridge's ports",
			 d->ns[sns].ref.label, out.name, d->topo.ifs[d->bridge].name);
		err = -ENOENT;
	}
out:
	walk_end(&w);
	if (err)
		discovery_free(d);
	return err;
}

/* The bridge to watch: by name, or the only one with ports; its ifindex, or -errno with msg. */
static int pick_bridge(struct walk *w, int host, const char *bridge_name, char *msg, int msglen)
{
	struct nl_link *links = NULL;
	struct nl *nl;
	int n, err, br = 0, bridges = 0;

	err = ns_nl(w, host, &nl);
	n = err ? err : nl_link_dump(nl, &links);
	if (n < 0) {
		snprintf(msg, msglen, "cannot list links: %s", strerror(-n));
		return n;
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
	free(links);
	if (br && bridges <= 1)
		return br;
	snprintf(msg, msglen, bridge_name ? "no bridge named '%s' in %s" :
		 bridges > 1 ? "%s%s holds several bridges with ports: choose one with --bridge" :
		 "%s%s holds no bridge with ports (use --netns and --bridge)",
		 bridge_name ? bridge_name : "", w->d->ns[host].ref.label);
	return bridge_name ? -ENODEV : -EINVAL;
}

int discover_bridge(const char *netns, const char *bridge_name, struct discovery *d,
		    char *msg, int msglen)
{
	struct walk w = { .d = d };
	int host, err, br;

	memset(d, 0, sizeof(*d));
	d->src = d->bridge = -1;
	if (netns) {
		host = open_src(d, "--netns", netns, msg, msglen);
	} else {
		struct ns_ref self = { .label = "root", .via = NS_VIA_SELF };
		struct stat init, own;
		int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

		/* nstrace may itself run inside a namespace: then that is not the root one. */
		if (stat("/proc/1/ns/net", &init) || stat("/proc/self/ns/net", &own) || init.st_ino != own.st_ino)
			snprintf(self.label, sizeof(self.label), "self");
		host = fd < 0 ? -errno : ns_add_fd(d, fd, &self);
		if (host < 0)
			snprintf(msg, msglen, "cannot open our own namespace: %s", strerror(-host));
	}
	if (host < 0)
		return host;
	catalog_build(&w.cat);
	err = br = pick_bridge(&w, host, bridge_name, msg, msglen);
	if (br > 0) {
		err = discover_ports(&w, host, br);
		if (err)
			snprintf(msg, msglen, "cannot read the bridge's ports: %s", strerror(-err));
	}
	walk_end(&w);
	if (err)
		discovery_free(d);
	return err;
}

void discovery_print(FILE *f, const struct discovery *d)
{
	int ports = 0;

	for (int i = 0; i < d->topo.n; i++)
		ports += d->topo.ifs[i].role == TOPO_PORT;
	fprintf(f, "discovered: bridge %s in %s with %d ports, %d namespaces\n", d->topo.ifs[d->bridge].name,
		d->topo.ifs[d->bridge].ns_label, ports, d->nns);
	for (int i = 0; i < d->nunresolved; i++)
		fprintf(f, "  unresolved: %s\n", d->unresolved[i]);
}

void discovery_free(struct discovery *d)
{
	for (int i = 0; i < d->nns; i++)
		close(d->ns[i].fd);
	free(d->ns);
	free(d->topo.ifs);
	free(d->if_ns);
	memset(d, 0, sizeof(*d));
	d->src = d->bridge = -1;
}
