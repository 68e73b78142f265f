// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One discovery's state and its primitives: the namespaces found (each with
 * a netlink socket opened inside it once), the interfaces added to the
 * topology, what could not be resolved.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "discover/internal.h"
#include "kernel/netlink.h"
#include "kernel/netns.h"

void walk_end(struct walk *w)
{
	for (int i = 0; i < w->nnl; i++)
		nl_close(&w->nl[i]);
	free(w->nl);
	catalog_free(&w->cat);
	ns_owners_free(&w->owners);
	memset(w, 0, sizeof(*w));
}

/* The socket of namespace ns, opened inside it the first time. */
int walk_nl(struct walk *w, int ns, struct nl **out)
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
int walk_resolve_nsid(struct walk *w, int ns, int nsid)
{
	struct nl *nl;
	int found = -1;

	if (walk_nl(w, ns, &nl))
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
int walk_add_ns_fd(struct discovery *d, int fd, const struct ns_ref *ref)
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

int walk_add_cand(struct discovery *d, const struct ns_cand *c)
{
	int fd = open(c->path, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : walk_add_ns_fd(d, fd, &c->ref);
}

int walk_add_if(struct discovery *d, int ns, const struct nl_link *l, int role)
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
void walk_fill_addrs(struct walk *w, int ns)
{
	struct discovery *d = w->d;
	struct nl_addr *a;
	struct nl *nl;
	int n;

	if (walk_nl(w, ns, &nl))
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

void walk_note_unresolved(struct discovery *d, const char *fmt, const char *a, int b)
{
	if (d->nunresolved < 8)
		snprintf(d->unresolved[d->nunresolved++], sizeof(d->unresolved[0]), fmt, a, b);
}

/* The link with ifindex in namespace ns. */
int walk_link(struct walk *w, int ns, int ifindex, struct nl_link *out)
{
	struct nl *nl;
	int err = walk_nl(w, ns, &nl);

	return err ? err : nl_link_get_index(nl, ifindex, out);
}

