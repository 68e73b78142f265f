// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Values users type: subnets (a parsed one prints back the same and stays
 * inside its own arithmetic), interface names and lab names.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lab/config.h"
#include "model/cidr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), msg[256], back[32];
	struct cidr c, c2;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (!cidr_parse(s, &c)) {
		uint32_t n = cidr_host_count(&c);

		if (c.prefixlen < 0 || c.prefixlen > 32 || cidr_parse(cidr_str(&c, back, sizeof(back)), &c2) ||
		    c2.net.s_addr != c.net.s_addr || c2.prefixlen != c.prefixlen)
			abort();
		if (n && (!cidr_contains(&c, cidr_host(&c, 1)) || !cidr_contains(&c, cidr_host(&c, n))))
			abort();
		subnet_validate(&c, msg, sizeof(msg));
	}
	ifname_validate(s, 0, msg, sizeof(msg));
	if (!ifname_validate(s, 1, msg, sizeof(msg)) && (!*s || strlen(s) > 15 || strpbrk(s, "/: \t\n%")))
		abort();
	if (!lab_name_validate(s, msg, sizeof(msg)) && (!*s || strlen(s) > LAB_NAME_MAX))
		abort();
	free(s);
	return 0;
}
