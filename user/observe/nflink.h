/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BPF netfilter links (kernel 6.4+) through the raw bpf() syscall: libbpf
 * 1.1 and the installed 6.1 UAPI headers know neither the program type nor
 * the link_create fields, so their layout is defined here, and only here.
 */
#ifndef NSTRACE_OBSERVE_NFLINK_H
#define NSTRACE_OBSERVE_NFLINK_H

#define NSTRACE_BPF_PROG_TYPE_NETFILTER 32
#define NSTRACE_BPF_NETFILTER 45
#define NSTRACE_BPF_TCX_INGRESS 46
#define NSTRACE_BPF_TCX_EGRESS 47
#define NSTRACE_NFPROTO_IPV4 2

/* Lowest and highest priorities the kernel accepts for a BPF hook. */
#define NSTRACE_NF_PRIO_FIRST (-2147483647)
#define NSTRACE_NF_PRIO_LAST 2147483646

/* Link fd, or -errno. Binds to the namespace of the calling thread. */
int nflink_create(int prog_fd, int pf, int hooknum, int priority);

#endif
