// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stddef.h>
#include "model/netview.h"

const char *netview_if_name(const struct netview *v, uint32_t netns_ino, int ifindex)
{
	if (!v)
		return NULL;
	for (int i = 0; i < v->nseen; i++)
		if (v->seen[i].netns_ino == netns_ino && v->seen[i].ifindex == ifindex)
			return v->seen[i].name;
	return NULL;
}
