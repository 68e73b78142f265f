// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* /proc/sys/net resolves to the namespace of whoever opens it: these run inside it. */
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "audit/internal.h"

/* The value, or -1 when the sysctl does not exist here (module not loaded, older kernel). */
static int read_int(const char *path)
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

void sysctl_read_conf(const char *dev, struct ipv4_conf *c)
{
	static const struct {
		const char *dir, *key;
		size_t offset;
	} keys[] = {
		{ "conf", "forwarding", offsetof(struct ipv4_conf, forwarding) },
		{ "conf", "rp_filter", offsetof(struct ipv4_conf, rp_filter) },
		{ "conf", "arp_ignore", offsetof(struct ipv4_conf, arp_ignore) },
		{ "conf", "arp_filter", offsetof(struct ipv4_conf, arp_filter) },
		{ "conf", "arp_announce", offsetof(struct ipv4_conf, arp_announce) },
		{ "conf", "arp_accept", offsetof(struct ipv4_conf, arp_accept) },
		{ "conf", "proxy_arp", offsetof(struct ipv4_conf, proxy_arp) },
		{ "conf", "accept_local", offsetof(struct ipv4_conf, accept_local) },
		{ "conf", "route_localnet", offsetof(struct ipv4_conf, route_localnet) },
		{ "conf", "disable_policy", offsetof(struct ipv4_conf, disable_policy) },
		/* Per device only: "all" has no neigh directory (-1). */
		{ "neigh", "mcast_solicit", offsetof(struct ipv4_conf, mcast_solicit) },
		{ "neigh", "app_solicit", offsetof(struct ipv4_conf, app_solicit) },
	};
	char path[128];

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(path, sizeof(path), "/proc/sys/net/ipv4/%s/%s/%s", keys[i].dir, dev, keys[i].key);
		*(int *)((char *)c + keys[i].offset) = read_int(path);
	}
}

void sysctl_read_ns(struct ns_state *ns)
{
	ns->ip_forward = read_int("/proc/sys/net/ipv4/ip_forward");
	ns->sysctl_known = ns->ip_forward >= 0;
	ns->icmp_echo_ignore_all = read_int("/proc/sys/net/ipv4/icmp_echo_ignore_all");
	ns->icmp_echo_ignore_broadcasts = read_int("/proc/sys/net/ipv4/icmp_echo_ignore_broadcasts");
	/* Present only with br_netfilter loaded: -1 then means "off", not "unknown". */
	ns->bridge_nf_call_iptables = read_int("/proc/sys/net/bridge/bridge-nf-call-iptables");
	ns->bridge_nf_call_arptables = read_int("/proc/sys/net/bridge/bridge-nf-call-arptables");
	ns->bridge_nf_call_ip6tables = read_int("/proc/sys/net/bridge/bridge-nf-call-ip6tables");
	sysctl_read_conf("all", &ns->all);
}
