// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The lab mark codec on any alias a link can carry (someone else's too): no
 * overrun, and a bridge mark that parses formats back to one that parses the
 * same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lab/config.h"
#include "lab/mark.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *alias = malloc(size + 1), lab[LAB_NAME_MAX + 1], again[512];
	struct bridge_mark m, m2;
	const char *role;

	if (!alias)
		return 0;
	memcpy(alias, data, size);
	alias[size] = '\0';
	role = mark_parse(alias, lab, sizeof(lab));
	if (role) {
		if (strlen(lab) > LAB_NAME_MAX || !mark_is_of(alias, lab, "") || !mark_is_of(alias, lab, role))
			abort();
		if (!mark_parse_bridge(alias, lab, &m)) {
			if (m.namespaces < 1 || m.namespaces > LAB_MAX_NAMESPACES || m.subnet.prefixlen > 32 || m.owner.pid < 0)
				abort();
			if (!mark_format_bridge(again, sizeof(again), lab, &m) &&
			    (mark_parse_bridge(again, lab, &m2) || m2.namespaces != m.namespaces ||
			     m2.subnet.net.s_addr != m.subnet.net.s_addr || m2.subnet.prefixlen != m.subnet.prefixlen ||
			     m2.owner.pid != m.owner.pid || (m.owner.pid && m2.owner.start != m.owner.start)))
				abort();
		}
	}
	(void)mark_is_build_group(mark_build_group(alias));
	free(alias);
	return 0;
}
