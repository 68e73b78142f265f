// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "kernel/ksyms.h"

#define DROP_PREFIX "SKB_DROP_REASON_"

static int cmp_ksym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int load_kallsyms(struct kernel_names *kn)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	char line[512], name[256], type;
	unsigned long long addr;
	/* stdio would read /proc in 1 KiB steps (its st_blksize): 5,000 system calls. */
	char *iobuf = malloc(1 << 17);
	int cap = 0, err = 0;

	if (!f) {
		free(iobuf);
		return -errno;
	}
	if (iobuf)
		setvbuf(f, iobuf, _IOFBF, 1 << 17);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3)
			continue;
		if (type != 't' && type != 'T')
			continue;
		if (kn->nsyms == cap) {
			int ncap = cap ? cap * 2 : 65536;
			struct ksym *p = realloc(kn->syms, ncap * sizeof(*p));

			if (!p) {
				err = -ENOMEM;
				break;
			}
			kn->syms = p;
			cap = ncap;
		}
		kn->syms[kn->nsyms].addr = addr;
		kn->syms[kn->nsyms].name = strdup(name);
		if (!kn->syms[kn->nsyms].name) {
			err = -ENOMEM;
			break;
		}
		kn->nsyms++;
	}
	fclose(f);
	free(iobuf);
	/* Whatever was read stays usable: sorted, like a full table. */
	qsort(kn->syms, kn->nsyms, sizeof(*kn->syms), cmp_ksym);
	return err;
}

static int load_drop_reasons(struct kernel_names *kn)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int id, err = 0;
	const struct btf_type *t;
	const struct btf_enum *e;

	if (!btf)
		return -errno;
	id = btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM);
	if (id < 0) {
		err = id;
		goto out;
	}
	t = btf__type_by_id(btf, id);
	e = btf_enum(t);
	kn->reasons = calloc(btf_vlen(t), sizeof(*kn->reasons));
	if (!kn->reasons) {
		err = -ENOMEM;
		goto out;
	}
	for (int i = 0; i < btf_vlen(t); i++) {
		const char *name = btf__name_by_offset(btf, e[i].name_off);

		if (!strncmp(name, DROP_PREFIX, strlen(DROP_PREFIX)))
			name += strlen(DROP_PREFIX);
		kn->reasons[kn->nreasons].value = (uint32_t)e[i].val;
		kn->reasons[kn->nreasons].name = strdup(name);
		if (!kn->reasons[kn->nreasons].name) {
			err = -ENOMEM;
			goto out;
		}
		kn->nreasons++;
	}
out:
	btf__free(btf);
	return err;
}

static int give(struct ksym **arr, int *n, uint64_t key, const char *name, size_t len)
{
	struct ksym *p = realloc(*arr, (*n + 1) * sizeof(**arr));

	if (!p)
		return -ENOMEM;
	*arr = p;
	p[*n].addr = key;
	p[*n].name = strndup(name, len);
	if (!p[*n].name)
		return -ENOMEM;
	(*n)++;
	return 0;
}

int kernel_names_give_site(struct kernel_names *kn, uint64_t addr, const char *name)
{
	/* "func+0x5ad/0x7a0 [mod]": kallsyms' form is "func+0x5ad". */
	return give(&kn->given_sites, &kn->ngiven_sites, addr, name, strcspn(name, "/ "));
}

int kernel_names_give_reason(struct kernel_names *kn, uint32_t reason, const char *name)
{
	if (!strncmp(name, DROP_PREFIX, strlen(DROP_PREFIX)))
		name += strlen(DROP_PREFIX);
	return give(&kn->given_reasons, &kn->ngiven_reasons, reason, name, strcspn(name, " \n"));
}

static const char *given(const struct ksym *arr, int n, uint64_t key)
{
	for (int i = 0; i < n; i++)
		if (arr[i].addr == key)
			return arr[i].name;
	return NULL;
}

void kernel_names_free(struct kernel_names *kn)
{
	for (int i = 0; i < kn->ngiven_sites; i++)
		free(kn->given_sites[i].name);
	free(kn->given_sites);
	for (int i = 0; i < kn->ngiven_reasons; i++)
		free(kn->given_reasons[i].name);
	free(kn->given_reasons);
	for (int i = 0; i < kn->nsyms; i++)
		free(kn->syms[i].name);
	free(kn->syms);
	for (int i = 0; i < kn->nreasons; i++)
		free(kn->reasons[i].name);
	free(kn->reasons);
	memset(kn, 0, sizeof(*kn));
}

const char *kernel_drop_reason(struct kernel_names *kn, uint32_t reason)
{
	const char *g = given(kn->given_reasons, kn->ngiven_reasons, reason);

	if (g)
		return g;
	if (!kn->reasons_tried) {
		kn->reasons_tried = 1;
		load_drop_reasons(kn);
	}
	for (int i = 0; i < kn->nreasons; i++)
		if (kn->reasons[i].value == reason)
			return kn->reasons[i].name;
	return NULL;
}

const char *kernel_symbol(struct kernel_names *kn, uint64_t addr, char *buf, int size)
{
	const char *g = given(kn->given_sites, kn->ngiven_sites, addr);
	int lo, hi, best = -1;

	if (g) {
		snprintf(buf, size, "%s", g);
		return buf;
	}
	if (!kn->syms_tried) {
		kn->syms_tried = 1;
		load_kallsyms(kn);
	}
	lo = 0;
	hi = kn->nsyms - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (kn->syms[mid].addr <= addr) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	if (best < 0 || !addr)
		snprintf(buf, size, "0x%" PRIx64, addr);
	else
		snprintf(buf, size, "%s+0x%" PRIx64, kn->syms[best].name, addr - kn->syms[best].addr);
	return buf;
}
