// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "audit/audit.h"
#include "kernel/netlink.h"
#include "kernel/netns.h"

/* /proc/sys/net resolves to the namespace of whoever opens it: call after setns. */
static int read_sysctl(const char *path)
{
	char buf[32];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return atoi(buf);
}

static int holds_bridge(const struct topo *t, uint32_t ino)
{
	for (int i = 0; i < t->n; i++)
		if (t->ifs[i].role == TOPO_BRIDGE && t->ifs[i].netns_ino == ino)
			return 1;
	return 0;
}

static void read_links(struct nl *nl, struct ns_state *ns, const struct topo *t, struct link_state *links)
{
	struct nl_link *l = NULL;
	struct nl_addr *a = NULL;
	int nl_count = nl_link_dump_ports(nl, &l), na = nl_addr_dump(nl, &a);

	ns->links_known = nl_count >= 0;
	ns->addrs_known = na >= 0;
	for (int i = 0; i < t->n; i++) {
		struct link_state *s = &links[i];

		if (t->ifs[i].netns_ino != ns->ref.ino)
			continue;
		s->known = ns->links_known;
		for (int j = 0; j < nl_count; j++) {
			if (l[j].ifindex != t->ifs[i].ifindex)
				continue;
			s->exists = 1;
			s->flags = l[j].flags;
			s->master_ifindex = l[j].master;
			s->port_state = l[j].port_state;
			s->port_isolated = l[j].port_isolated;
			s->br_nf_call_iptables = l[j].br_nf_call_iptables;
			s->br_nf_call_arptables = l[j].br_nf_call_arptables;
		}
		for (int j = 0; j < na && s->naddrs < STATE_MAX_ADDRS; j++) {
			if (a[j].ifindex != t->ifs[i].ifindex)
				continue;
			s->addrs[s->naddrs] = a[j].addr;
			s->prefixlens[s->naddrs++] = a[j].prefixlen;
		}
	}
	if (nl_count > 0)
		free(l);
	if (na > 0)
		free(a);
}

/*
 * The FORWARD chain as iptables shows it, run in the current namespace.
 * Optional: without iptables the fields stay unknown.
 */
static void read_forward_chain(struct ns_state *s)
{
	char line[256];
	FILE *f;

	s->forward_drop_rules = -1;
	if (access("/usr/sbin/iptables", X_OK) && access("/sbin/iptables", X_OK))
		return;
	fflush(stdout);
	f = popen("iptables -w -S FORWARD 2>/dev/null", "r");
	if (!f)
		return;
	s->forward_drop_rules = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "-P FORWARD %11s", s->forward_policy) == 1)
			continue;
		if (strstr(line, "-j DROP") || strstr(line, "-j REJECT"))
			s->forward_drop_rules++;
	}
	if (pclose(f) != 0) {
		s->forward_policy[0] = '\0';
		s->forward_drop_rules = -1;
	}
}

int audit_read(const struct ns_handle *nss, int nns, const struct topo *t,
	       struct ns_state *ns, struct link_state *links)
{
	for (int i = 0; i < t->n; i++) {
		memset(&links[i], 0, sizeof(links[i]));
		links[i].port_state = links[i].port_isolated = -1;
		links[i].br_nf_call_iptables = links[i].br_nf_call_arptables = -1;
	}
	for (int i = 0; i < nns; i++) {
		struct ns_state *s = &ns[i];
		struct nl nl;
		int err = netns_enter(nss[i].fd);

		memset(s, 0, sizeof(*s));
		s->ref = nss[i].ref;
		if (err)
			return err;
		s->bridge_nf_call_iptables = read_sysctl("/proc/sys/net/bridge/bridge-nf-call-iptables");
		s->bridge_nf_call_arptables = read_sysctl("/proc/sys/net/bridge/bridge-nf-call-arptables");
		s->bridge_nf_call_ip6tables = read_sysctl("/proc/sys/net/bridge/bridge-nf-call-ip6tables");
		s->icmp_echo_ignore_all = read_sysctl("/proc/sys/net/ipv4/icmp_echo_ignore_all");
		s->ip_forward = read_sysctl("/proc/sys/net/ipv4/ip_forward");
		s->forward_drop_rules = -1;
		if (holds_bridge(t, s->ref.ino))
			read_forward_chain(s);
		/* No socket: every link of this namespace stays unknown, not missing. */
		if (!nl_open(&nl)) {
			read_links(&nl, s, t, links);
			nl_close(&nl);
		}
		netns_return();
	}
	return 0;
}
