// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include "lab/faults.h"
#include "kernel/netlink.h"
#include "kernel/netns.h"

static int tool(int fd, char *const argv[], char *msg, int msglen)
{
	int rc = netns_run(fd, argv, 1);

	if (rc) {
		snprintf(msg, msglen, "'%s %s %s' failed (exit %d; is %s installed?)", argv[0], argv[1],
			 argv[2] ? argv[2] : "", rc, argv[0]);
		return -EIO;
	}
	return 0;
}

static int forward_drop(const struct lab *lab, int from, int to, char *msg, int msglen)
{
	char *argv[] = { "iptables", "-P", "FORWARD", "DROP", NULL };

	(void)from;
	(void)to;
	return tool(lab->host_fd, argv, msg, msglen);
}

static int arp_forward_drop(const struct lab *lab, int from, int to, char *msg, int msglen)
{
	char *argv[] = { "arptables-legacy", "-P", "FORWARD", "DROP", NULL };

	(void)from;
	(void)to;
	return tool(lab->host_fd, argv, msg, msglen);
}

static int target_firewall(const struct lab *lab, int from, int to, char *msg, int msglen)
{
	char *argv[] = { "iptables", "-A", "INPUT", "-p", "icmp", "--icmp-type", "echo-request",
			 "-j", "DROP", NULL };

	(void)from;
	return tool(lab->ep[to - 1].ns_fd, argv, msg, msglen);
}

static int link_change(int fd, int ifindex, int down, int nomaster, char *msg, int msglen)
{
	struct nl nl;
	int err = nl_open_in(&nl, fd);

	if (!err)
		err = nomaster ? nl_link_set_master(&nl, ifindex, 0) : nl_link_set_up(&nl, ifindex, !down);
	nl_close(&nl);
	if (err)
		snprintf(msg, msglen, "cannot change ifindex %d: %s", ifindex, strerror(-err));
	return err;
}

static int port_detached(const struct lab *lab, int from, int to, char *msg, int msglen)
{
	(void)from;
	return link_change(lab->host_fd, lab->ep[to - 1].port_ifindex, 0, 1, msg, msglen);
}

static int port_down(const struct lab *lab, int from, int to, char *msg, int msglen)
{
	(void)from;
	return link_change(lab->host_fd, lab->ep[to - 1].port_ifindex, 1, 0, msg, msglen);
}

static int target_down(const struct lab *lab, int from, int to, char *msg, int msglen)
{
	(void)from;
	return link_change(lab->ep[to - 1].ns_fd, lab->ep[to - 1].ifindex, 1, 0, msg, msglen);
}

static int readdress(const struct lab *lab, int k, int shift, char *msg, int msglen)
{
	const struct lab_endpoint *ep = &lab->ep[k - 1];
	int plen = lab->cfg.subnet.prefixlen;
	struct nl nl;
	int err = nl_open_in(&nl, ep->ns_fd);

	if (!err)
		err = nl_addr_del(&nl, ep->ifindex, ep->addr, plen);
	if (!err && shift) {
		/* The same host part, one subnet further on. */
		struct in_addr moved = { htonl(ntohl(ep->addr.s_addr) + (plen ? (1u << (32 - plen)) : 0)) };

		err = nl_addr_add(&nl, ep->ifindex, moved, plen);
	}
	nl_close(&nl);
	if (err)
		snprintf(msg, msglen, "cannot change the address of %s: %s", ep->ifname, strerror(-err));
	return err;
}

static int address_missing(const struct lab *lab, int from, int to, char *msg, int msglen)
{
	(void)from;
	return readdress(lab, to, 0, msg, msglen);
}

static int wrong_subnet(const struct lab *lab, int from, int to, char *msg, int msglen)
{
	(void)from;
	return readdress(lab, to, 1, msg, msglen);
}

static int source_wrong_subnet(const struct lab *lab, int from, int to, char *msg, int msglen)
{
	(void)to;
	return readdress(lab, from, 1, msg, msglen);
}

/* /proc/sys/net resolves to the namespace of whoever opens it: runs inside it. */
static int ignore_echo_here(void *arg)
{
	int fd = open("/proc/sys/net/ipv4/icmp_echo_ignore_all", O_WRONLY | O_CLOEXEC), err = 0;

	(void)arg;
	if (fd < 0 || write(fd, "1", 1) != 1)
		err = -errno;
	if (fd >= 0)
		close(fd);
	return err;
}

static int echo_ignored(const struct lab *lab, int from, int to, char *msg, int msglen)
{
	int err = netns_call(lab->ep[to - 1].ns_fd, ignore_echo_here, NULL);

	(void)from;
	if (err)
		snprintf(msg, msglen, "cannot set icmp_echo_ignore_all: %s", strerror(-err));
	return err;
}

const struct fault faults[] = {
	{ "forward-drop", "iptables FORWARD policy DROP on the bridge side; br_netfilter sends bridged IPv4 there",
	  "br-netfilter-iptables-drop", forward_drop },
	{ "arp-forward-drop", "arptables (legacy) FORWARD policy DROP; br_netfilter sends bridged ARP there",
	  "br-netfilter-arp-drop", arp_forward_drop },
	{ "port-detached", "the target's bridge port taken off the bridge (ip link set veth-br2 nomaster)",
	  "port-detached", port_detached },
	{ "port-down", "the target's bridge port set down", "link-down", port_down },
	{ "target-down", "the target's own interface set down", "link-down", target_down },
	{ "address-missing", "the target's address removed", "target-address-missing", address_missing },
	{ "wrong-subnet", "the target's address moved to the next subnet", "target-wrong-subnet", wrong_subnet },
	{ "source-wrong-subnet", "the source's address moved to the next subnet", "source-wrong-subnet",
	  source_wrong_subnet },
	{ "target-firewall", "the target's INPUT chain drops echo requests", "endpoint-firewall-drop",
	  target_firewall },
	{ "echo-ignored", "the target ignores pings (net.ipv4.icmp_echo_ignore_all=1)", "target-ignores-echo",
	  echo_ignored },
};
const int nfaults = sizeof(faults) / sizeof(faults[0]);

const struct fault *fault_find(const char *name)
{
	for (int i = 0; i < nfaults; i++)
		if (!strcmp(faults[i].name, name))
			return &faults[i];
	return NULL;
}

void faults_print(FILE *f)
{
	for (int i = 0; i < nfaults; i++)
		fprintf(f, "%-20s %s\n", faults[i].name, faults[i].summary);
}
