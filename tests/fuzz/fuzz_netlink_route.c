// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Route dumps through nl_route_dump()'s callback and policy: RTA_DST and RTA_GATEWAY only as 4 bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nl_route *routes;
	uint8_t *copy = malloc(size ? size : 1);
	int n;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	n = nl_route_replay(copy, size, &routes);
	for (int i = 0; i < n; i++)
		if (routes[i].dst_len < 0 || routes[i].dst_len > 32)
			abort();
	if (n > 0)
		free(routes);
	free(copy);
	return 0;
}
