// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "lab/config.h"

void lab_config_default(struct lab_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->name, sizeof(cfg->name), "%s", LAB_DEFAULT_NAME);
	cfg->namespaces = 2;
	cidr_parse(LAB_DEFAULT_SUBNET, &cfg->subnet);
	snprintf(cfg->bridge, sizeof(cfg->bridge), "%s", LAB_DEFAULT_BRIDGE);
}

int lab_name_validate(const char *name, char *msg, int msglen)
{
	if (!name[0]) {
		snprintf(msg, msglen, "lab name is empty");
		return -EINVAL;
	}
	if (strlen(name) > LAB_NAME_MAX) {
		snprintf(msg, msglen, "lab name '%s' is longer than %d characters", name, LAB_NAME_MAX);
		return -EINVAL;
	}
	for (const char *p = name; *p; p++) {
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-') {
			snprintf(msg, msglen, "lab name '%s' has '%c': use only a-z, 0-9 and '-'", name, *p);
			return -EINVAL;
		}
	}
	return 0;
}

int lab_config_validate(const struct lab_config *cfg, char *msg, int msglen)
{
	char buf[32], name[64];

	if (lab_name_validate(cfg->name, msg, msglen))
		return -EINVAL;
	if (cfg->namespaces < 2 || cfg->namespaces > LAB_MAX_NAMESPACES) {
		snprintf(msg, msglen, "--namespaces %d is out of range (2 to %d)",
			 cfg->namespaces, LAB_MAX_NAMESPACES);
		return -EINVAL;
	}
	/* N endpoints plus the bridge's own address. */
	if (cidr_host_count(&cfg->subnet) < (uint32_t)cfg->namespaces + 1) {
		snprintf(msg, msglen, "subnet %s has %u host addresses, too few for %d namespaces and the bridge",
			 cidr_str(&cfg->subnet, buf, sizeof(buf)), cidr_host_count(&cfg->subnet),
			 cfg->namespaces);
		return -EINVAL;
	}
	if (!cfg->bridge[0] || strchr(cfg->bridge, '/') || strchr(cfg->bridge, ' ')) {
		snprintf(msg, msglen, "bridge name '%s' is not a valid interface name", cfg->bridge);
		return -EINVAL;
	}
	snprintf(name, sizeof(name), "%s%d", LAB_PORT_PREFIX, cfg->namespaces);
	if (strlen(name) >= IFNAMSIZ) {
		snprintf(msg, msglen, "interface name '%s' exceeds %d characters", name, IFNAMSIZ - 1);
		return -EINVAL;
	}
	return 0;
}
