/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What a lab is asked to be: names, size, subnet, and their validation (pure). */
#ifndef NSTRACE_LAB_CONFIG_H
#define NSTRACE_LAB_CONFIG_H

#include <stddef.h>
#include <net/if.h>
#include "model/cidr.h"

#define LAB_NAME_MAX 32
#define LAB_NS_NAME_MAX (LAB_NAME_MAX + 16)
#define LAB_MAX_NAMESPACES 250
#define LAB_DEFAULT_NAME "nstrace"
#define LAB_DEFAULT_BRIDGE "br0"
#define LAB_DEFAULT_SUBNET "10.200.0.0/24"
#define LAB_PORT_PREFIX "veth-br"
#define LAB_END_PREFIX "veth-ns"
/* A lab's subnet: room for two namespaces and the bridge, and no wider than a /8. */
#define LAB_MIN_PREFIX 8
#define LAB_MAX_PREFIX 30

struct lab_config {
	char name[LAB_NAME_MAX + 1];
	int namespaces;
	struct cidr subnet;
	char bridge[IFNAMSIZ];
	int isolated;
};

/* a-z, 0-9 and '-', 1 to LAB_NAME_MAX characters; -EINVAL with msg. */
int lab_name_validate(const char *name, char *msg, int msglen);
/*
 * An interface name the kernel accepts (1 to 15 bytes, not "." or "..", no
 * '/', ':' or white space); create also refuses '%' (the kernel would pick a
 * number for it). -EINVAL with msg naming the value and the rule.
 */
int ifname_validate(const char *name, int create, char *msg, int msglen);
/* A subnet a lab can use: /8 to /30, ordinary unicast (not loopback, link-local, multicast...). */
int subnet_validate(const struct cidr *c, char *msg, int msglen);
/* Defaults for every field. */
void lab_config_default(struct lab_config *cfg);
/* Checks names, sizes and the subnet; -EINVAL with a one-line reason in msg. */
int lab_config_validate(const struct lab_config *cfg, char *msg, int msglen);
/*
 * The name of port k, next to the bridge. In a namespace of the lab's own,
 * and for the tutorial's lab, veth-brK as the tutorial names it; in the root
 * namespace every other lab names its ports after itself (LAB-bK, or a hash
 * of LAB when that is too long), so two labs never clash there.
 */
void lab_port_name(const struct lab_config *cfg, unsigned int k, char *buf, size_t size);

#endif
