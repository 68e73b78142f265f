/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The running kernel's names for drop reasons and text addresses, as an
 * interface: observe/ fills it from BTF and kallsyms, tests from tables.
 */
#ifndef NSTRACE_MODEL_NAMES_H
#define NSTRACE_MODEL_NAMES_H

#include <stdint.h>

struct namer {
	/* "NETFILTER_DROP", or NULL when the kernel has no name for it. */
	const char *(*reason)(const void *ctx, uint32_t reason);
	/* "nft_do_chain+0x2b5" into buf. */
	const char *(*symbol)(const void *ctx, uint64_t addr, char *buf, int size);
	const void *ctx;
};

#endif
