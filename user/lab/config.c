// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
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

int ifname_validate(const char *name, int create, char *msg, int msglen)
{
	const char *rule = NULL;

	if (!name[0])
		rule = "an interface name is 1 to 15 bytes long";
	else if (strlen(name) >= IFNAMSIZ)
		rule = "an interface name is at most 15 bytes long";
	else if (!strcmp(name, ".") || !strcmp(name, ".."))
		rule = "'.' and '..' are not interface names";
	for (const char *p = name; *p && !rule; p++) {
		if (*p == '/' || *p == ':')
			rule = "an interface name has no '/' or ':'";
		else if (isspace((unsigned char)*p))
			rule = "an interface name has no white space";
		else if (*p == '%' && create)
			rule = "'%' would make the kernel pick a number for it";
	}
	if (!rule)
		return 0;
	snprintf(msg, msglen, "'%s' is not a valid interface name: %s", name, rule);
	return -EINVAL;
}

/* Ranges no lab can route between its namespaces as plain unicast. */
static const struct {
	const char *net;
	const char *what;
} special[] = {
	{ "0.0.0.0/8", "'this network'" },
	{ "127.0.0.0/8", "loopback" },
	{ "169.254.0.0/16", "link-local" },
	{ "224.0.0.0/4", "multicast" },
	{ "240.0.0.0/4", "reserved, with the broadcast address" },
};

int subnet_validate(const struct cidr *c, char *msg, int msglen)
{
	char s[32], r[32];

	cidr_str(c, s, sizeof(s));
	if (c->prefixlen < LAB_MIN_PREFIX || c->prefixlen > LAB_MAX_PREFIX) {
		snprintf(msg, msglen, "subnet %s: a lab's prefix is /%d to /%d (two namespaces and the bridge, no more than a /8)",
			 s, LAB_MIN_PREFIX, LAB_MAX_PREFIX);
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
		struct cidr sp;

		cidr_parse(special[i].net, &sp);
		if (!cidr_overlaps(c, &sp))
			continue;
		snprintf(msg, msglen, "subnet %s overlaps %s (%s): a lab needs ordinary unicast addresses, e.g. %s",
			 s, cidr_str(&sp, r, sizeof(r)), special[i].what, LAB_DEFAULT_SUBNET);
		return -EINVAL;
	}
	return 0;
}

void lab_port_name(const struct lab_config *cfg, unsigned int k, char *buf, size_t size)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	if (cfg->isolated || !strcmp(cfg->name, LAB_DEFAULT_NAME)) {
		snprintf(buf, size, LAB_PORT_PREFIX "%u", k);
		return;
	}
	if ((size_t)snprintf(buf, size, "%s-b%u", cfg->name, k) < size)
		return;
	for (const char *p = cfg->name; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	snprintf(buf, size, "nst%06xb%u", h & 0xffffff, k);
}

/* The bridge shares its namespace with lo and the lab's ports: none may carry its name. */
static int bridge_validate(const struct lab_config *cfg, char *msg, int msglen)
{
	char port[IFNAMSIZ + 8];

	if (ifname_validate(cfg->bridge, 1, msg, msglen))
		return -EINVAL;
	if (!strcmp(cfg->bridge, "lo")) {
		snprintf(msg, msglen, "bridge name 'lo' is taken: it is every namespace's loopback");
		return -EINVAL;
	}
	for (int k = 1; k <= cfg->namespaces; k++) {
		lab_port_name(cfg, k, port, sizeof(port));
		if (strcmp(cfg->bridge, port))
			continue;
		snprintf(msg, msglen, "bridge name '%s' is the name of the lab's port for ns%d: pick another", cfg->bridge, k);
		return -EINVAL;
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
	if (subnet_validate(&cfg->subnet, msg, msglen))
		return -EINVAL;
	/* N endpoints plus the bridge's own address. */
	if (cidr_host_count(&cfg->subnet) < (uint32_t)cfg->namespaces + 1) {
		snprintf(msg, msglen, "subnet %s has %u host addresses, too few for %d namespaces and the bridge",
			 cidr_str(&cfg->subnet, buf, sizeof(buf)), cidr_host_count(&cfg->subnet),
			 cfg->namespaces);
		return -EINVAL;
	}
	if (bridge_validate(cfg, msg, msglen))
		return -EINVAL;
	snprintf(name, sizeof(name), "%s%d", LAB_PORT_PREFIX, cfg->namespaces);
	if (strlen(name) >= IFNAMSIZ) {
		snprintf(msg, msglen, "interface name '%s' exceeds %d characters", name, IFNAMSIZ - 1);
		return -EINVAL;
	}
	return 0;
}
