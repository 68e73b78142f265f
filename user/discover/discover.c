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
#include "discover/names.h"
#include "model/packet.h"
#include "kernel/netlink.h"
#include "kernel/netns.h"

/* The far end of a port: an endpoint in whichever namespace holds it. */
static void add_far_end(struct walk *w, int host, int port, const struct nl_link *pl)
{
	struct discovery *d = w->d;
	int ns = host, idx;
	struct nl_link end;

	if (strcmp(pl->kind, "veth") || pl->link <= 0)
		return;
	if (pl->link_netnsid >= 0) {
		int c = walk_resolve_nsid(w, host, pl->link_netnsid);

		if (c < 0) {
			walk_note_unresolved(d, "port %s: its peer is in a namespace with no name and no process (netns id %d): not traced",
					pl->name, pl->link_netnsid);
			return;
		}
		ns = walk_add_cand(d, &w->cat.c[c]);
		if (ns < 0)
			return;
	}
	if (walk_link(w, ns, pl->link, &end))
		return;
	idx = walk_add_if(d, ns, &end, TOPO_ENDPOINT);
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

	err = walk_nl(w, host, &nl);
	if (err)
		return err;
	n = nl_link_dump(nl, &links);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++)
		if (links[i].ifindex == bridge_ifindex)
			br = walk_add_if(d, host, &links[i], TOPO_BRIDGE);
	if (br < 0) {
		free(links);
		return -ENODEV;
	}
	d->bridge = br;
	for (int i = 0; i < n; i++) {
		int port;

		if (links[i].master != bridge_ifindex)
			continue;
		port = walk_add_if(d, host, &links[i], TOPO_PORT);
		if (port < 0)
			break;
		d->topo.ifs[port].master = br;
		add_far_end(w, host, port, &links[i]);
	}
	free(links);
	for (int i = 0; i < d->nns; i++)
		walk_fill_addrs(w, i);
	return 0;
}

/* A process's namespace, named after its container, or as comm:PID. */
static void pid_path(int pid, char *path, int psize, struct ns_ref *ref)
{
	char comm[16] = "?", container[CONTAINER_NAME_MAX];

	snprintf(path, psize, "/proc/%d/ns/net", pid);
	container_of_pid(pid, container, sizeof(container));
	process_comm(pid, comm);
	if (container[0])
		snprintf(ref->label, sizeof(ref->label), "%s", container);
	else
		snprintf(ref->label, sizeof(ref->label), "%s:%d", comm, pid);
	ref->via = NS_VIA_PID;
}

/*
 * SRC as a path and a reference: a PID, comm:PID or a container's name (by
 * the owners), a path (has '/'), or a name under /run/netns.
 */
static int src_path(const char *src, const struct ns_owners *ow, char *path, int psize, struct ns_ref *ref)
{
	int digits = *src != '\0', pid = 0;

	memset(ref, 0, sizeof(*ref));
	for (const char *p = src; *p; p++)
		digits &= isdigit((unsigned char)*p) != 0;
	if (digits && strlen(src) <= 10)
		pid = atoi(src);
	else if (!strchr(src, '/') && (size_t)snprintf(path, psize, NETNS_RUN_DIR "/%s", src) < (size_t)psize &&
		 access(path, F_OK))
		pid = ns_owners_find(ow, src);	/* not a /run/netns name: comm:PID, or a container */
	if (pid > 0) {
		pid_path(pid, path, psize, ref);
		if ((size_t)snprintf(ref->arg, sizeof(ref->arg), "%d", pid) >= sizeof(ref->arg))
			return -ENAMETOOLONG;
		return 0;
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
static int open_src(struct walk *w, const char *opt, const char *src, char *msg, int msglen)
{
	struct discovery *d = w->d;
	char path[PATH_MAX];
	struct ns_ref ref;
	int fd, err = src_path(src, &w->owners, path, sizeof(path), &ref);

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
			 NETNS_RUN_DIR ", a PID, comm:PID, a container's name, or a namespace file", opt, src, path,
			 strerror(-err));
		err = err == -ENAMETOOLONG ? -ENOTNAM : -ENOENT;
	}
	if (err) {
		if (fd >= 0)
			close(fd);
		return err;
	}
	return walk_add_ns_fd(d, fd, &ref);
}

/* The interface namespace ns sends to dst by (RTM_GETROUTE), and the route's type. */
static int route_out(struct walk *w, int ns, struct in_addr dst, struct nl_link *out, int *type)
{
	struct nl *nl;
	int oif, err = walk_nl(w, ns, &nl);

	if (!err)
		err = nl_route_out(nl, dst, &oif, type);
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

	c = walk_resolve_nsid(w, sns, out->link_netnsid);
	if (c < 0) {
		snprintf(msg, msglen, "the peer of %s in %s is in a namespace with no name and no process (netns id %d)",
			 out->name, label, out->link_netnsid);
		return -ENOENT;
	}
	host = walk_add_cand(d, &w->cat.c[c]);
	err = host < 0 ? host : walk_link(w, host, out->link, &peer);
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

/* Link ifindex in candidate namespace c, read through a socket opened there for this alone. */
static int cand_link(const struct walk *w, int c, int ifindex, struct nl_link *out)
{
	int fd = open(w->cat.c[c].path, O_RDONLY | O_CLOEXEC), err;
	struct nl nl;

	if (fd < 0)
		return -errno;
	err = nl_open_in(&nl, fd);
	close(fd);
	if (err)
		return err;
	err = nl_link_get_index(&nl, ifindex, out);
	nl_close(&nl);
	return err;
}

/*
 * The source's one veth whose peer is a bridge port: where its packets would
 * go if its routing let them. Used when the route lookup is refused, so the
 * refusal is diagnosed rather than reported as a usage error.
 */
static int only_bridged_veth(struct walk *w, int sns, struct nl_link *out)
{
	struct nl_link *l = NULL, peer;
	struct nl *nl;
	int n, found = 0;

	n = walk_nl(w, sns, &nl) ? -1 : nl_link_dump(nl, &l);
	for (int i = 0; i < n; i++) {
		int c;

		if (strcmp(l[i].kind, "veth") || l[i].link_netnsid < 0)
			continue;
		c = walk_resolve_nsid(w, sns, l[i].link_netnsid);
		if (c >= 0 && !cand_link(w, c, l[i].link, &peer) && peer.master && !found++)
			*out = l[i];
	}
	if (n > 0)
		free(l);
	return found == 1 ? 0 : -ENOENT;
}

/* dst as the source's routing sees it: one unicast host through a veth, or why not (*refused: the lookup's errno). */
static int check_route(struct walk *w, int sns, struct in_addr dst, struct nl_link *out, int *refused, char *msg,
		       int msglen)
{
	const char *label = w->d->ns[sns].ref.label;
	char a[16];
	int type = 0, err = route_out(w, sns, dst, out, &type);

	ip_str(dst.s_addr, a, sizeof(a));
	*refused = 0;
	if (err) {
		snprintf(msg, msglen, "%s has no route to %s: %s", label, a, strerror(-err));
		*refused = -err;
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

/* ifindex holding addr in namespace ns (-1: candidate c instead), 0 if none. */
static int addr_in(struct walk *w, int ns, int c, struct in_addr addr)
{
	struct nl_addr *a = NULL;
	struct nl tmp, *nl = &tmp;
	int n, found = 0, fd = -1;

	if (ns >= 0 ? walk_nl(w, ns, &nl) : (fd = open(w->cat.c[c].path, O_RDONLY | O_CLOEXEC)) < 0 || nl_open_in(nl, fd)) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	n = nl_addr_dump(nl, &a);
	if (ns < 0) {
		nl_close(nl);
		close(fd);
	}
	for (int i = 0; i < n && !found; i++)
		if (a[i].addr.s_addr == addr.s_addr)
			found = a[i].ifindex;
	if (n > 0)
		free(a);
	return found;
}

/* The target's interface and its veth peer, from namespace ns, added to the topology. */
static void add_elsewhere(struct walk *w, int ns, int ifindex)
{
	struct discovery *d = w->d;
	struct nl_link end, peer;
	int idx, pns, pidx, c, bridge_side;

	if (walk_link(w, ns, ifindex, &end) || (idx = walk_add_if(d, ns, &end, TOPO_ENDPOINT)) < 0)
		return;
	d->elsewhere = idx;
	walk_fill_addrs(w, ns);
	if (strcmp(end.kind, "veth") || end.link_netnsid < 0 || (c = walk_resolve_nsid(w, ns, end.link_netnsid)) < 0 ||
	    (pns = walk_add_cand(d, &w->cat.c[c])) < 0 || walk_link(w, pns, end.link, &peer))
		return;
	bridge_side = d->ns[pns].ref.ino == d->topo.ifs[d->bridge].netns_ino;
	if ((pidx = walk_add_if(d, pns, &peer, bridge_side ? TOPO_PORT : TOPO_OTHER)) < 0)
		return;
	/*
	 * In the bridge's namespace, it is where it would have to be for the source
	 * to reach it: a port of the source's bridge. Elsewhere (a router's second
	 * link, say) it is a link of that namespace, reached by routing.
	 */
	if (bridge_side)
		d->topo.ifs[pidx].master = d->bridge;
	d->topo.ifs[pidx].peer = idx;
	d->topo.ifs[idx].peer = pidx;
}

/*
 * A veth of namespace ns, outside the topology, whose far end has dst; 1 if
 * found and added. In the bridge's namespace that is a port detached (or
 * moved to another bridge); in another's, a link it routes over.
 */
static int behind_veth(struct walk *w, int ns, struct in_addr dst)
{
	struct discovery *d = w->d;
	struct nl_link *links = NULL;
	struct nl *nl;
	int n, found = 0;

	if (walk_nl(w, ns, &nl) || (n = nl_link_dump(nl, &links)) < 0)
		return 0;
	for (int i = 0; i < n && !found; i++) {
		int c, far, ifindex;

		if (strcmp(links[i].kind, "veth") || topo_find(&d->topo, d->ns[ns].ref.ino, links[i].ifindex) >= 0 ||
		    links[i].link_netnsid < 0 || (c = walk_resolve_nsid(w, ns, links[i].link_netnsid)) < 0 ||
		    (ifindex = addr_in(w, -1, c, dst)) != links[i].link || (far = walk_add_cand(d, &w->cat.c[c])) < 0)
			continue;
		add_elsewhere(w, far, ifindex);
		found = 1;
	}
	free(links);
	return found;
}

/*
 * One veth away from what was found: the bridge's namespace first, then the
 * others. Looked at before any other namespace, because other namespaces on
 * the machine (other labs) may hold the same address.
 */
static int find_connected(struct walk *w, struct in_addr dst)
{
	struct discovery *d = w->d;
	int host = d->if_ns[d->bridge], known = d->nns;

	if (behind_veth(w, host, dst))
		return 1;
	for (int i = 0; i < known; i++)
		if (i != host && behind_veth(w, i, dst))
			return 1;
	return 0;
}

/* The namespace that has dst although nothing on the bridge does (a port detached, say). */
static void find_elsewhere(struct walk *w, struct in_addr dst)
{
	struct discovery *d = w->d;
	int ifindex, ns;

	if (topo_find_addr(&d->topo, dst) >= 0 || find_connected(w, dst))
		return;
	for (int i = 0; i < d->nns; i++) {
		if ((ifindex = addr_in(w, i, -1, dst))) {
			add_elsewhere(w, i, ifindex);
			return;
		}
	}
	for (int c = 0; c < w->cat.n; c++) {
		if ((ifindex = addr_in(w, -1, c, dst)) && (ns = walk_add_cand(d, &w->cat.c[c])) >= 0) {
			add_elsewhere(w, ns, ifindex);
			return;
		}
	}
}

/*
 * Its route to dst names the interface the probes leave by. A lookup the
 * kernel refuses is the finding, not a usage error: the probes are traced
 * through the source's only veth into a bridge, or it cannot send at all
 * (-ENETUNREACH).
 */
static int route_or_fallback(struct walk *w, int sns, struct in_addr dst, struct nl_link *out, char *msg, int msglen)
{
	char a[16], why[64], dev[IFNAMSIZ];
	int refused, err = check_route(w, sns, dst, out, &refused, msg, msglen);

	/* Out of a device that is not a veth (lo, a dummy): a misroute, judged on the source's veth if it has one. */
	if (err == -EOPNOTSUPP && strcmp(out->kind, "veth")) {
		snprintf(dev, sizeof(dev), "%s", out->name);
		if (only_bridged_veth(w, sns, out))
			return err;
		snprintf(w->d->route_dev, sizeof(w->d->route_dev), "%s", dev);
		return 0;
	}
	if (!err || !refused)
		return err;
	if (only_bridged_veth(w, sns, out)) {
		snprintf(why, sizeof(why), "%s", strerror(refused));
		snprintf(msg, msglen, "%s has no route to %s (%s) and no single veth into a bridge to trace instead",
			 w->d->ns[sns].ref.label, ip_str(dst.s_addr, a, sizeof(a)), why);
		return -ENETUNREACH;
	}
	w->d->route_err = refused;
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
	d->src = d->bridge = d->elsewhere = -1;
	ns_owners_scan(&w.owners);
	sns = open_src(&w, "--from", src, msg, msglen);
	if (sns < 0) {
		walk_end(&w);
		return sns;
	}
	catalog_build(&w.cat, &w.owners);
	err = route_or_fallback(&w, sns, dst, &out, msg, msglen);
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
	find_elsewhere(&w, dst);
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

	err = walk_nl(w, host, &nl);
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
	d->src = d->bridge = d->elsewhere = -1;
	ns_owners_scan(&w.owners);
	if (netns) {
		host = open_src(&w, "--netns", netns, msg, msglen);
	} else {
		struct ns_ref self = { .label = "root", .via = NS_VIA_SELF };
		struct stat init, own;
		int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

		/* nstrace may itself run inside a namespace: then that is not the root one. */
		if (stat("/proc/1/ns/net", &init) || stat("/proc/self/ns/net", &own) || init.st_ino != own.st_ino)
			snprintf(self.label, sizeof(self.label), "self");
		host = fd < 0 ? -errno : walk_add_ns_fd(d, fd, &self);
		if (host < 0)
			snprintf(msg, msglen, "cannot open our own namespace: %s", strerror(-host));
	}
	if (host < 0) {
		walk_end(&w);
		return host;
	}
	catalog_build(&w.cat, &w.owners);
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
