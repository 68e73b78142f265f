// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Address dumps through nl_addr_dump()'s callback and policy: IFA_LOCAL/IFA_ADDRESS only as 4 bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kernel/netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nl_addr *addrs;
	uint8_t *copy = malloc(size ? size : 1);
	int n;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	n = nl_addr_replay(copy, size, &addrs);
	for (int i = 0; i < n; i++)
		if (addrs[i].prefixlen < 0 || addrs[i].prefixlen > 255)
			abort();
	if (n > 0)
		free(addrs);
	free(copy);
	return 0;
}
