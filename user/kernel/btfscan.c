// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* One question to the running kernel's BTF, answered from the raw file. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/btf.h>
#include "kernel/ksyms.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"

static int read_all(const char *path, uint8_t **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	size_t got = 0;
	uint8_t *buf;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size <= 0 || !(buf = malloc(st.st_size))) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, st.st_size - got);

		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	*out = buf;
	*len = got;
	return 0;
}

/* Bytes that follow a type's header, by kind (see Documentation/bpf/btf.rst). */
static size_t extra_size(const struct btf_type *t)
{
	unsigned int vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return 12;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_DATASEC:
	case BTF_KIND_ENUM64:
		return 12 * vlen;
	case BTF_KIND_ENUM:
	case BTF_KIND_FUNC_PROTO:
		return 8 * vlen;
	default:
		return 0;
	}
}

/* Offsets of every type by id (id 0 is void), so a type's target can be followed. */
static int index_types(const uint8_t *types, size_t len, uint32_t **offs, uint32_t *n)
{
	size_t cap = 1 << 16, pos = 0;
	uint32_t *o = malloc(cap * sizeof(*o));

	if (!o)
		return -ENOMEM;
	*n = 1;
	while (pos + sizeof(struct btf_type) <= len) {
		if (*n == cap) {
			uint32_t *g = realloc(o, 2 * cap * sizeof(*o));

			if (!g) {
				free(o);
				return -ENOMEM;
			}
			o = g;
			cap *= 2;
		}
		o[(*n)++] = pos;
		pos += sizeof(struct btf_type) + extra_size((const void *)(types + pos));
	}
	*offs = o;
	return 0;
}

static int fn_params(const uint8_t *buf, size_t len, const char *name)
{
	const struct btf_header *h = (const void *)buf;
	const uint8_t *types, *strs;
	uint32_t *offs, n;
	int ret = -ENOENT;

	if (len < sizeof(*h) || h->magic != BTF_MAGIC || (size_t)h->hdr_len + h->type_off + h->type_len > len ||
	    (size_t)h->hdr_len + h->str_off + h->str_len > len)
		return -EINVAL;
	types = buf + h->hdr_len + h->type_off;
	strs = buf + h->hdr_len + h->str_off;
	if (index_types(types, h->type_len, &offs, &n))
		return -ENOMEM;
	for (uint32_t id = 1; id < n && ret == -ENOENT; id++) {
		const struct btf_type *t = (const void *)(types + offs[id]);
		const char *tn = (const char *)strs + t->name_off;

		if (BTF_INFO_KIND(t->info) != BTF_KIND_TYPEDEF || t->name_off >= h->str_len ||
		    strnlen(tn, h->str_len - t->name_off) == h->str_len - t->name_off || strcmp(tn, name))
			continue;
		/* typedef -> pointer -> function prototype */
		for (int hop = 0; hop < 2 && t; hop++)
			t = t->type > 0 && t->type < n ? (const void *)(types + offs[t->type]) : NULL;
		ret = t && BTF_INFO_KIND(t->info) == BTF_KIND_FUNC_PROTO ? (int)BTF_INFO_VLEN(t->info) : -EINVAL;
	}
	free(offs);
	return ret;
}

int kernel_btf_fn_params(const char *typedef_name)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret = read_all(VMLINUX_BTF, &buf, &len);

	if (ret)
		return ret;
	ret = fn_params(buf, len, typedef_name);
	free(buf);
	return ret;
}
