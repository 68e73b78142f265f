/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What a lab is asked to be: names, size, subnet, and their validation (pure). */
#ifndef NSTRACE_LAB_CONFIG_H
#define NSTRACE_LAB_CONFIG_H

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

struct lab_config {
	char name[LAB_NAME_MAX + 1];
	int namespaces;
	struct cidr subnet;
	char bridge[IFNAMSIZ];
	int isolated;
};

/* a-z, 0-9 and '-', 1 to LAB_NAME_MAX characters; -EINVAL with msg. */
int lab_name_validate(const char *name, char *msg, int msglen);
/* Defaults for every field. */
void lab_config_default(struct lab_config *cfg);
/* Checks names, sizes and the subnet; -EINVAL with a one-line reason in msg. */
int lab_config_validate(const struct lab_config *cfg, char *msg, int msglen);

#endif
