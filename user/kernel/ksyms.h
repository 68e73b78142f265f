/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Names from the running kernel: drop reasons (BTF) and text symbols (kallsyms). */
#ifndef NSTRACE_KERNEL_KSYMS_H
#define NSTRACE_KERNEL_KSYMS_H

#include <stdint.h>

struct ksym {
	uint64_t addr;
	char *name;
};

struct kernel_names {
	struct ksym *syms;
	int nsyms;
	struct {
		uint32_t value;
		char *name;	/* without the SKB_DROP_REASON_ prefix */
	} *reasons;
	int nreasons;
	int syms_tried, reasons_tried;	/* loaded on first use, once, failed or not */
	/* Names the kernel gave for exact addresses and reasons (the drop programs' maps): asked first. */
	struct ksym *given_sites, *given_reasons;	/* addr: the address, or the reason value */
	int ngiven_sites, ngiven_reasons;
};

/*
 * Names are read on first use, not at start: /proc/kallsyms is some 8,000
 * reads and BTF some 20 ms, and most traces name no drop at all. Start with
 * a zeroed struct kernel_names.
 */
void kernel_names_free(struct kernel_names *kn);
/*
 * Records a name the kernel gave: a site as %pS prints it ("nft_do_chain+0x5ad/0x7a0
 * [nf_tables]"), a reason as BTF prints it ("SKB_DROP_REASON_NO_SOCKET").
 */
int kernel_names_give_site(struct kernel_names *kn, uint64_t addr, const char *name);
int kernel_names_give_reason(struct kernel_names *kn, uint32_t reason, const char *name);
/* "NETFILTER_DROP", or NULL when the running kernel has no such value (or no BTF). */
const char *kernel_drop_reason(struct kernel_names *kn, uint32_t reason);
/* "nft_do_chain+0x2b5", or the hex address when unknown. */
const char *kernel_symbol(struct kernel_names *kn, uint64_t addr, char *buf, int size);

/*
 * The number of parameters of the function type behind a BTF typedef of a
 * function pointer, such as btf_trace_kfree_skb (a tracepoint's prototype:
 * void *ctx first), in the running kernel's BTF; -errno if it is not there.
 * A single pass over the raw BTF: a few ms where a full parse takes 20.
 */
int kernel_btf_fn_params(const char *typedef_name);

#endif
