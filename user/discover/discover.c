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
#include "discover.h"
#include "netlink.h"
#include "netns.h"

#define DOCKER_NETNS_DIR "/var/run/docker/netns"

/* A namespace that could be the far end of a veth, and how to name it. */
struct ns_cand {
	uint32_t ino;
	char path[96];
	char label[48];
	char prefix[160];
};

struct catalog {
	struct ns_cand *c;
	int n, cap;
};

static void cand_add(struct catalog *cat, const char *path, const char *label, const char *prefix)
{
	struct stat st;

	if (stat(path, &st))
		return;
	for (int i = 0; i < cat->n; i++)
		if (cat->c[i].ino == (uint32_t)st.st_ino)
			return;	/* the first, friendliest name wins */
	if (cat->n == cat->cap) {
		int cap = cat->cap ? cat->cap * 2 : 64;
		struct ns_cand *p = realloc(cat->c, cap * sizeof(*p));

		if (!p)
			return;
		cat->c = p;
		cat->cap = cap;
	}
	cat->c[cat->n].ino = (uint32_t)st.st_ino;
	snprintf(cat->c[cat->n].path, sizeof(cat->c[0].path), "%s", path);
	snprintf(cat->c[cat->n].label, sizeof(cat->c[0].label), "%s", label);
	snprintf(cat->c[cat->n].prefix, sizeof(cat->c[0].prefix), "%s", prefix);
	cat->n++;
}

static void cand_dir(struct catalog *cat, const char *dir, int iproute_names)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[96], prefix[160];

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%.40s", dir, de->d_name);
		if (iproute_names)
			snprintf(prefix, sizeof(prefix), "ip netns exec %.40s ", de->d_name);
		else
			snprintf(prefix, sizeof(prefix), "nsenter --net=%s ", path);
		cand_add(cat, path, de->d_name, prefix);
	}
	closedir(d);
}

/* Named namespaces first, Docker's next, the root namespace, then every process's. */
static void catalog_build(struct catalog *cat)
{
	DIR *d;
	struct dirent *de;
	char path[96], label[48], prefix[160];

	cand_dir(cat, NETNS_RUN_DIR, 1);
	cand_dir(cat, DOCKER_NETNS_DIR, 0);
	cand_add(cat, "/proc/1/ns/net", "host", "");
	d = opendir("/proc");
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/ns/net", de->d_name);
		snprintf(label, sizeof(label), "pid %.20s", de->d_name);
		snprintf(prefix, sizeof(prefix), "nsenter -t %.20s -n ", de->d_name);
		cand_add(cat, path, label, prefix);
	}
	closedir(d);
}

/* Which candidate the namespace behind via_fd calls nsid; -1 if none. */
static int resolve_nsid(const struct catalog *cat, int via_fd, int nsid)
{
	struct nl nl;
	int found = -1;

	if (netns_enter(via_fd))
		return -1;
	if (nl_open(&nl)) {
		netns_return();
		return -1;
	}
	for (int i = 0; i < cat->n && found < 0; i++) {
		int fd = open(cat->c[i].path, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			continue;
		if (nl_netnsid_of_fd(&nl, fd) == nsid)
			found = i;
		close(fd);
	}
	nl_close(&nl);
	netns_return();
	return found;
}

static int ns_add(struct discovery *d, const char *path, const char *label, const char *prefix)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	uint32_t ino;
	struct disc_ns *p;

	if (fd < 0)
		return -errno;
	ino = netns_inode(fd);
	for (int i = 0; i < d->nns; i++) {
		if (d->ns[i].ino == ino) {
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
	p->ino = ino;
	snprintf(p->label, sizeof(p->label), "%s", label);
	snprintf(p->exec_prefix, sizeof(p->exec_prefix), "%s", prefix);
	return d->nns++;
}

static int ns_add_cand(struct discovery *d, const struct ns_cand *c)
{
	return ns_add(d, c->path, c->label, c->prefix);
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
	t->netns_ino = d->ns[ns].ino;
	t->ifindex = l->ifindex;
	snprintf(t->name, sizeof(t->name), "%s", l->name);
	snprintf(t->ns_label, sizeof(t->ns_label), "%s", d->ns[ns].label);
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

/* The far end of a port: an endpoint in whichever namespace holds it. */
static void add_far_end(struct discovery *d, const struct catalog *cat, int host, int port,
			const struct nl_link *pl)
{
	int ns = host, idx, err;
	struct nl_link end;
	struct nl nl;

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
	if (netns_enter(d->ns[ns].fd))
		return;
	err = nl_open(&nl);
	if (!err) {
		err = nl_link_get_index(&nl, pl->link, &end);
		nl_close(&nl);
	}
	netns_return();
	if (err)
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

static int open_src(const char *src, char *path, int psize, char *label, int lsize, char *prefix, int xsize)
{
	int digits = *src != '\0';

	for (const char *p = src; *p; p++)
		digits &= isdigit((unsigned char)*p) != 0;
	if (digits) {
		snprintf(path, psize, "/proc/%s/ns/net", src);
		snprintf(label, lsize, "pid %s", src);
		snprintf(prefix, xsize, "nsenter -t %s -n ", src);
	} else if (strchr(src, '/')) {
		snprintf(path, psize, "%s", src);
		snprintf(label, lsize, "%s", strrchr(src, '/') + 1);
		snprintf(prefix, xsize, "nsenter --net=%s ", src);
	} else {
		snprintf(path, psize, NETNS_RUN_DIR "/%s", src);
		snprintf(label, lsize, "%s", src);
		snprintf(prefix, xsize, "ip netns exec %s ", src);
	}
	return access(path, R_OK) ? -errno : 0;
}

int discover_from(const char *src, struct in_addr dst, const char *bridge_name,
		  struct discovery *d, char *msg, int msglen)
{
	struct catalog cat = {};
	char path[256], label[48], prefix[160], a[16];
	struct nl_link out, peer;
	struct nl nl;
	int sns, host, oif, err;

	memset(d, 0, sizeof(*d));
	d->src = d->bridge = -1;
	err = open_src(src, path, sizeof(path), label, sizeof(label), prefix, sizeof(prefix));
	if (err) {
		snprintf(msg, msglen, "no network namespace '%s' (%s): give a name under /run/netns, a PID or a namespace file",
			 src, strerror(-err));
		return -ENOENT;
	}
	catalog_build(&cat);
	sns = ns_add(d, path, label, prefix);
	if (sns < 0) {
		err = sns;
		snprintf(msg, msglen, "cannot open %s: %s", path, strerror(-err));
		goto out;
	}
	/* Its route to dst names the interface the probes leave by. */
	err = netns_enter(d->ns[sns].fd);
	if (!err) {
		err = nl_open(&nl);
		if (!err) {
			oif = nl_route_get_oif(&nl, dst);
			err = oif < 0 ? oif : nl_link_get_index(&nl, oif, &out);
			nl_close(&nl);
		}
		netns_return();
	}
	if (err) {
		snprintf(msg, msglen, "%s has no route to %s: %s", label, ip_str(dst.s_addr, a, sizeof(a)), strerror(-err));
		goto out;
	}
	if (strcmp(out.kind, "veth") || out.link_netnsid < 0) {
		snprintf(msg, msglen, "%s reaches %s through %s, %s: nstrace traces veth pairs into a bridge",
			 label, ip_str(dst.s_addr, a, sizeof(a)), out.name,
			 strcmp(out.kind, "veth") ? "not a veth" : "whose peer is in the same namespace");
		err = -EOPNOTSUPP;
		goto out;
	}
	{
		int c = resolve_nsid(&cat, d->ns[sns].fd, out.link_netnsid);

		if (c < 0) {
			snprintf(msg, msglen, "the peer of %s in %s is in a namespace with no name and no process (netns id %d)",
				 out.name, label, out.link_netnsid);
			err = -ENOENT;
			goto out;
		}
		host = ns_add_cand(d, &cat.c[c]);
	}
	err = host < 0 ? host : netns_enter(d->ns[host].fd);
	if (!err) {
		err = nl_open(&nl);
		if (!err) {
			err = nl_link_get_index(&nl, out.link, &peer);
			nl_close(&nl);
		}
		netns_return();
	}
	if (err) {
		snprintf(msg, msglen, "cannot read the peer of %s: %s", out.name, strerror(-err));
		goto out;
	}
	if (!peer.master) {
		snprintf(msg, msglen, "%s's peer %s (in %s) is not a port of any bridge", out.name, peer.name,
			 d->ns[host].label);
		err = -EOPNOTSUPP;
		goto out;
	}
	err = discover_ports(d, &cat, host, peer.master);
	if (err) {
		snprintf(msg, msglen, "cannot read bridge ifindex %d in %s: %s", peer.master, d->ns[host].label,
			 strerror(-err));
		goto out;
	}
	if (bridge_name && strcmp(d->topo.ifs[d->bridge].name, bridge_name)) {
		snprintf(msg, msglen, "%s reaches %s through bridge %s, not %s", label,
			 ip_str(dst.s_addr, a, sizeof(a)), d->topo.ifs[d->bridge].name, bridge_name);
		err = -EINVAL;
		goto out;
	}
	d->src = topo_find(&d->topo, d->ns[sns].ino, out.ifindex);
	if (d->src < 0) {
		snprintf(msg, msglen, "%s's %s leads to bridge %s, but its own end was not found among the bridge's ports",
			 label, out.name, d->topo.ifs[d->bridge].name);
		err = -ENOENT;
	}
out:
	free(cat.c);
	if (err)
		discovery_free(d);
	return err;
}

int discover_bridge(const char *netns, const char *bridge_name, struct discovery *d,
		    char *msg, int msglen)
{
	struct catalog cat = {};
	char path[256], label[48], prefix[160];
	struct nl_link *links = NULL;
	struct nl nl;
	int host, n = 0, err, br = 0, bridges = 0;

	memset(d, 0, sizeof(*d));
	d->src = d->bridge = -1;
	catalog_build(&cat);
	if (netns) {
		err = open_src(netns, path, sizeof(path), label, sizeof(label), prefix, sizeof(prefix));
		if (err) {
			snprintf(msg, msglen, "no network namespace '%s'", netns);
			err = -ENOENT;
			goto out;
		}
		host = ns_add(d, path, label, prefix);
	} else {
		host = ns_add(d, "/proc/self/ns/net", "host", "");
	}
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
			 bridge_name ? bridge_name : "", d->ns[host].label);
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
