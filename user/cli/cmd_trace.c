// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* nstrace trace: observe and diagnose a topology nstrace did not build, read-only. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "cli/cli.h"
#include "discover/discover.h"
#include "lab/config.h"
#include "lab/lab.h"
#include "model/packet.h"
#include "observe/observers.h"
#include "report/output.h"
#include "session/trace.h"

static const char trace_usage[] =
	"Usage: nstrace trace --from SRC --to IP [OPTIONS]\n"
	"       nstrace trace --passive [--bridge BR] [--netns NS] [--duration S]\n"
	"\n"
	"Trace a topology that already exists (docker0, cni0, a bridge made by hand)\n"
	"without changing it: discover the path's parts through rtnetlink, attach\n"
	"observers (tcx links and netfilter links, gone when nstrace exits), then\n"
	"send probes from SRC, or watch the ARP and ICMP that others send.\n"
	"\n"
	"Options:\n"
	"  --from SRC         source: a name under /run/netns, a PID (a container's,\n"
	"                     or an 'unshare --net' shell), or a namespace file\n"
	"  --to IP            destination address, in any namespace on the bridge\n"
	PROBE_OPTIONS_HELP
	"  --passive          send nothing: trace what others send\n"
	"  --duration S       passive: stop after S seconds, 1 to 86400 (default: Ctrl-C)\n"
	"  --bridge BR        the bridge to trace (passive), or to insist on (--from)\n"
	"  --netns NS         passive: the namespace holding the bridge (default: ours)\n"
	"  --lab NAME         an nstrace lab: --from takes nsK, passive watches its bridge\n"
	"  --fix              apply the verdict's first fix and trace again (needs --yes:\n"
	"                     it changes a topology nstrace did not build)\n"
	"  --yes              allow --fix to change it\n"
	"  -h, --help         this help\n"
	"\n"
	"Exit codes: 0 every probe (passive: every echo request seen) answered, 1 not,\n"
	"2 usage error, 3 environment error (not root, no BPF, nothing to trace).\n"
	"\n"
	"EXAMPLES:\n"
	"  sudo nstrace trace --from c1 --to 172.18.0.3\n"
	"  sudo nstrace trace --from 4242 --to 172.18.0.2      # by PID\n"
	"  sudo nstrace trace --passive --bridge docker0 --duration 10\n"
	"  sudo nstrace trace --lab demo --from ns1 --to 10.200.0.3\n";

struct trace_opts {
	const char *from, *bridge, *netns, *lab;
	char lab_from[LAB_NS_NAME_MAX], lab_netns[LAB_NS_NAME_MAX], lab_bridge[IFNAMSIZ];
	struct in_addr to;
	struct probe_opts probe;
	int have_to, passive, duration_s, fix, yes;
};

/*
 * --to: one host that can answer. Which addresses are broadcast depends on the
 * source's subnet (checked against its routes later); these never are unicast.
 */
static int check_to(const char *arg, struct in_addr *to)
{
	static const struct {
		const char *net, *what;
	} never[] = {
		{ "255.255.255.255/32", "the broadcast address" },
		{ "0.0.0.0/8", "in 0.0.0.0/8 ('this network')" },
		{ "127.0.0.0/8", "a loopback address (127.0.0.0/8)" },
		{ "224.0.0.0/4", "a multicast address (224.0.0.0/4)" },
		{ "240.0.0.0/4", "reserved (240.0.0.0/4)" },
	};

	if (inet_pton(AF_INET, arg, to) != 1) {
		err_msg("trace: invalid --to '%s': expected an IPv4 address", arg);
		return -1;
	}
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
		struct cidr c;

		cidr_parse(never[i].net, &c);
		if (!cidr_contains(&c, *to))
			continue;
		err_msg("trace: invalid --to '%s': it is %s; nstrace traces echo requests to one other host", arg,
			never[i].what);
		return -1;
	}
	return 0;
}

/* Options that only make sense together, checked once all are read. */
static int check_trace(const struct trace_opts *o)
{
	if (o->passive && (o->from || o->have_to)) {
		err_msg("trace: --passive sends nothing: drop --from/--to, or drop --passive");
		return EXIT_USAGE;
	}
	if (!o->passive && (!o->from || !o->have_to)) {
		err_msg("trace: give --from SRC and --to IP, or --passive");
		return EXIT_USAGE;
	}
	if (o->lab && (o->netns || o->bridge)) {
		err_msg("trace: --lab names the bridge and its namespace: drop --netns/--bridge");
		return EXIT_USAGE;
	}
	if (!o->passive && (o->duration_s || o->netns)) {
		err_msg("trace: --duration and --netns go with --passive");
		return EXIT_USAGE;
	}
	if (o->fix && (o->passive || !o->yes)) {
		err_msg(o->passive ? "trace: --fix goes with --from/--to: a passive trace changes nothing" :
				     "trace: --fix changes a topology nstrace did not build: add --yes");
		return EXIT_USAGE;
	}
	return 0;
}

static int parse_trace(int argc, char **argv, struct trace_opts *o)
{
	enum { OPT_FROM = 3000, OPT_TO, OPT_PASSIVE, OPT_DURATION, OPT_BRIDGE, OPT_NETNS, OPT_LAB, OPT_FIX, OPT_YES };
	static const struct option opts[] = {
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ "count", required_argument, NULL, 'c' },
		{ "interval", required_argument, NULL, 'i' },
		{ "passive", no_argument, NULL, OPT_PASSIVE },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "bridge", required_argument, NULL, OPT_BRIDGE },
		{ "netns", required_argument, NULL, OPT_NETNS },
		{ "lab", required_argument, NULL, OPT_LAB },
		{ "fix", no_argument, NULL, OPT_FIX },
		{ "yes", no_argument, NULL, OPT_YES },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	char msg[256];
	int opt;
	long v;

	memset(o, 0, sizeof(*o));
	o->probe = (struct probe_opts)PROBE_OPTS_DEFAULT;
	while ((opt = getopt_long(argc, argv, "c:i:h", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_FROM:
			o->from = optarg;
			break;
		case OPT_TO:
			if (check_to(optarg, &o->to))
				return EXIT_USAGE;
			o->have_to = 1;
			break;
		case 'c':
		case 'i':
			if (parse_probe_option(opt, optarg, &o->probe))
				return EXIT_USAGE;
			break;
		case OPT_PASSIVE:
		case OPT_FIX:
		case OPT_YES:
			*(opt == OPT_PASSIVE ? &o->passive : opt == OPT_FIX ? &o->fix : &o->yes) = 1;
			break;
		case OPT_DURATION:
			if (parse_int("--duration", optarg, 1, 86400, &v))
				return EXIT_USAGE;
			o->duration_s = (int)v;
			break;
		case OPT_BRIDGE:
			/* Someone else's name: what the kernel accepts, nothing stricter. */
			if (ifname_validate(optarg, 0, msg, sizeof(msg))) {
				err_msg("trace: invalid --bridge: %s", msg);
				return EXIT_USAGE;
			}
			o->bridge = optarg;
			break;
		case OPT_NETNS:
			o->netns = optarg;
			break;
		case OPT_LAB:
			if (check_lab_name(optarg))
				return EXIT_USAGE;
			o->lab = optarg;
			break;
		case 'h':
			fputs(trace_usage, stdout);
			return -1;
		default:
			fputs(trace_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		err_msg("trace: unexpected argument '%s' (see '%s trace --help')", argv[optind], prog);
		return EXIT_USAGE;
	}
	return check_trace(o);
}

/* --lab: nsK, the bridge and its namespace from the lab's marks. */
static int resolve_lab(struct trace_opts *o)
{
	struct lab lab;
	char msg[512];

	if (lab_load(&lab, o->lab, msg, sizeof(msg))) {
		err_msg("trace: %s (see '%s status')", msg, prog);
		return EXIT_USAGE;
	}
	snprintf(o->lab_bridge, sizeof(o->lab_bridge), "%s", lab.cfg.bridge);
	o->bridge = o->lab_bridge;
	if (lab.host_ns_name[0]) {
		snprintf(o->lab_netns, sizeof(o->lab_netns), "%s", lab.host_ns_name);
		o->netns = o->lab_netns;
	}
	if (o->from && !strncmp(o->from, "ns", 2)) {
		int k = lab_endpoint_number(&lab, o->from);

		if (!k) {
			err_msg("trace: lab '%s' has ns1..ns%d, not '%s'", o->lab, lab.cfg.namespaces, o->from);
			lab_release(&lab);
			return EXIT_USAGE;
		}
		snprintf(o->lab_from, sizeof(o->lab_from), "%s", lab.ep[k - 1].ns_name);
		o->from = o->lab_from;
	}
	lab_release(&lab);
	return 0;
}

/* The discovered topology's links, hooks and namespaces, as the observers and the report want them. */
struct trace_parts {
	struct observe_link *links;
	struct observe_nf *nf;
};

static int trace_parts(const struct discovery *d, struct trace_parts *tp)
{
	tp->links = calloc(d->topo.n ? d->topo.n : 1, sizeof(*tp->links));
	tp->nf = calloc(d->nns ? d->nns : 1, sizeof(*tp->nf));
	if (!tp->links || !tp->nf)
		return -ENOMEM;
	for (int i = 0; i < d->topo.n; i++)
		tp->links[i] = (struct observe_link){ d->ns[d->if_ns[i]].fd, d->topo.ifs[i].netns_ino,
						      d->topo.ifs[i].ifindex };
	for (int i = 0; i < d->nns; i++) {
		int holds_bridge = d->ns[i].ref.ino == d->topo.ifs[d->bridge].netns_ino;

		tp->nf[i] = (struct observe_nf){ d->ns[i].fd, holds_bridge ? OBSERVE_NF_BRIDGE_HOOKS :
								       OBSERVE_NF_ENDPOINT_HOOKS };
	}
	return 0;
}

static int trace_passive(const struct trace_opts *o, struct observers *obs, const struct trace_target *tg)
{
	int verdicts;

	printf("watching; %s\n", o->duration_s ? "until the duration ends (Ctrl-C stops early)" : "Ctrl-C stops");
	observers_watch(obs, o->duration_s * 1000);
	observers_stop(obs);
	verdicts = session_report(obs, tg, NULL, 0, NULL, NULL);
	return verdicts < 0 ? EXIT_ENV : verdicts ? EXIT_FAIL : EXIT_PASS;
}

static int trace_probe(const struct trace_opts *o, struct observers *obs, const struct discovery *d,
		       const struct trace_target *tg, struct verdict *v)
{
	struct probe_summary sum = {};
	struct flow flow;
	char a[16];
	int err, verdicts;

	/* Read-only: no neighbour flush, so ARP shows only if the entry had expired. */
	err = observers_probe(obs, d->ns[d->if_ns[d->src]].fd, 0, o->to, o->probe.count, o->probe.interval_ms, &sum);
	observers_stop(obs);
	if (err) {
		err_msg("trace: cannot send probes from %s: %s", d->topo.ifs[d->src].ns_label, strerror(-err));
		return EXIT_ENV;
	}
	observers_filter_icmp_id(obs, sum.id, NULL);
	printf("probes: %d ICMP echo request(s) %s → %s, id 0x%04x\n", sum.sent,
	       d->topo.ifs[d->src].ns_label, ip_str(o->to.s_addr, a, sizeof(a)), sum.id);
	flow = (struct flow){ .src = d->src, .dst = o->to, .sent = sum.sent, .received = sum.received,
			      .send_errno = sum.send_errno, .icmp_id = sum.id };
	verdicts = session_report(obs, tg, &flow, 1, &sum, v);
	if (verdicts < 0)
		err_msg("trace: cannot analyse the trace: %s", strerror(-verdicts));
	if (verdicts <= 0)
		v->id[0] = '\0';
	return stop_requested || sum.received < sum.sent ? EXIT_FAIL : EXIT_PASS;
}

/* Observers up, the trace (probes, or watching), observers down; v: the first verdict, id "" if none. */
static int trace_once(const struct trace_opts *o, const struct discovery *d, const struct trace_parts *tp,
		      struct verdict *v)
{
	struct trace_target tg = { &d->topo, d->ns, d->nns };
	struct observers obs;
	char msg[512];
	int err, ret = EXIT_ENV;

	v->id[0] = '\0';
	err = observers_start(&obs, tp->links, d->topo.n, tp->nf, d->nns, 0, &stop_requested, msg, sizeof(msg));
	if (err) {
		err_msg("trace: %s", msg);
		goto out;
	}
	printf("observers: %s ingress+egress on %d links, tp_btf/kfree_skb, netfilter hooks in %d namespaces (removed when nstrace exits)\n",
	       observers_tc_mode(&obs), d->topo.n, obs.nf_hooks);
	ret = o->passive ? trace_passive(o, &obs, &tg) : trace_probe(o, &obs, d, &tg, v);
out:
	observers_free(&obs);
	return ret;
}

int cmd_trace(int argc, char **argv)
{
	struct trace_opts o;
	struct discovery d = { .src = -1, .bridge = -1 };
	struct trace_parts tp = {};
	struct verdict *v = NULL;
	char msg[1024];
	int ret, err;

	ret = parse_trace(argc, argv, &o);
	if (ret)
		return ret < 0 ? EXIT_PASS : ret;
	if ((ret = require_root("trace", "it loads BPF programs and enters namespaces")))
		return ret;
	install_stop_handlers();
	if (o.lab && (ret = resolve_lab(&o)))
		return ret;

	err = o.passive ? discover_bridge(o.netns, o.bridge, &d, msg, sizeof(msg)) :
			  discover_from(o.from, o.to, o.bridge, &d, msg, sizeof(msg));
	if (err) {
		err_msg("trace: %s", msg);
		return err == -ENOENT || err == -EINVAL || err == -ENODEV || err == -ENOTNAM ||
		       err == -EPROTOTYPE ? EXIT_USAGE : EXIT_ENV;
	}
	discovery_print(stdout, &d);
	print_topology(stdout, &d.topo);

	ret = EXIT_ENV;
	v = malloc(sizeof(*v));
	if (!v || trace_parts(&d, &tp)) {
		err_msg("trace: out of memory");
		goto cleanup;
	}
	ret = trace_once(&o, &d, &tp, v);
	if (o.fix && !stop_requested && ret == EXIT_FAIL && v->id[0] && !apply_fix(v, d.ns, d.nns, 1)) {
		printf("\n== after the fix ==\n");
		ret = trace_once(&o, &d, &tp, v);
	}
cleanup:
	free(v);
	free(tp.links);
	free(tp.nf);
	discovery_free(&d);
	return ret;
}
