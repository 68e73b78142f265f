// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "model/state.h"

const char *fw_family_name(int family)
{
	switch (family) {
	case FW_INET: return "inet";
	case FW_IPV4: return "ip";
	case FW_ARP: return "arp";
	case FW_NETDEV: return "netdev";
	case FW_BRIDGE: return "bridge";
	case FW_IPV6: return "ip6";
	}
	return "?";
}
