// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "kernel/ksyms.h"
#include "observe/features.h"
#include "observe/nflink.h"

static const struct {
	const char *word;
	unsigned int bits;
} force_words[] = {
	{ "clsact", FORCE_CLSACT },
	{ "no-nflink", FORCE_NO_NFLINK },
	{ "no-drop-reason", FORCE_NO_DROP_REASON },
	{ "old", FORCE_CLSACT | FORCE_NO_NFLINK | FORCE_NO_DROP_REASON },
};

int features_parse_force(const char *value, unsigned int *forced, char *msg, int msglen)
{
	const char *p = value;

	*forced = 0;
	while (p && *p) {
		size_t len = strcspn(p, ",");
		size_t i;

		for (i = 0; i < sizeof(force_words) / sizeof(force_words[0]); i++)
			if (len == strlen(force_words[i].word) && !strncmp(p, force_words[i].word, len))
				break;
		if (len && i == sizeof(force_words) / sizeof(force_words[0])) {
			snprintf(msg, msglen, "unknown word '%.*s' in %s=%s (known: clsact, no-nflink, no-drop-reason, old)",
				 (int)len, p, FORCE_ENV, value);
			return -EINVAL;
		}
		if (len)
			*forced |= force_words[i].bits;
		p += len + (p[len] == ',');
	}
	return 0;
}

/* A netfilter program loads only where the kernel has the type (6.4+, CONFIG_NETFILTER_BPF_LINK). */
static int probe_nflink(void)
{
	const struct bpf_insn insns[] = {
		{ .code = 0xb7, .dst_reg = 0, .imm = 1 },	/* r0 = NF_ACCEPT */
		{ .code = 0x95 },				/* exit */
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = NSTRACE_BPF_NETFILTER);
	int fd = bpf_prog_load(NSTRACE_BPF_PROG_TYPE_NETFILTER, "nstrace_probe", "GPL", insns, 2, &opts);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/*
 * The tracepoint's prototype in BTF: btf_trace_kfree_skb is a pointer to
 * void (void *ctx, struct sk_buff *skb, void *location, enum skb_drop_reason
 * reason, ...). Before 5.17 it stops after location.
 */
static int probe_drop_reasons(void)
{
	return kernel_btf_fn_params("btf_trace_kfree_skb") >= 4;
}

void features_probe(struct observe_features *f, unsigned int forced)
{
	memset(f, 0, sizeof(*f));
	f->forced = forced;
	f->nflink = !(forced & FORCE_NO_NFLINK) && probe_nflink();
	f->drop_reasons = !(forced & FORCE_NO_DROP_REASON) && probe_drop_reasons();
}
