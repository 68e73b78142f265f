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
#include "lab/lab.h"
#include "model/packet.h"
#include "observe/observers.h"
#include "session/trace.h"

static const char trace_usage[] =
	"Usage: nstrace trace --from SRC --to IP [OPTIONS]\n"
	"       nstrace trace --passive [--bridge BR] [--netns NS] [--duration T] [--summary]\n"
	"\n"
	"Trace a topology that already exists (docker0, cni0, a bridge made by hand)\n"
	"without changing it: discover the path's parts through rtnetlink, attach\n"
	"observers (tcx links and netfilter links, gone when nstrace exits), then\n"
	"send probes from SRC, or watch the ARP and ICMP that others send.\n"
	"\n"
	"Options:\n"
	"      --from SRC     source: a name under /run/netns, a PID (a container's,\n"
	"                     or an 'unshare --net' shell), a process as comm:PID, a\n"
	"                     container's name, or a namespace file; with --lab, ns1\n"
	"                     or just 1\n"
	"      --to IP        destination address, in any namespace on the bridge\n"
	PROBE_OPTIONS_HELP
	"      --passive      send nothing: trace what others send; each packet is\n"
	"                     printed once it arrived (or went quiet), a summary at exit\n"
	"      --duration T   passive: stop after T (10s, 5m, 24h; a bare number is in\n"
	"                     seconds), 1s to 24h (default: Ctrl-C)\n"
	"      --bridge BR    the bridge to trace (passive), or to insist on (--from)\n"
	"      --netns NS     passive: the namespace holding the bridge (default: ours)\n"
	"      --lab NAME     an nstrace lab: --from takes nsK, passive watches its bridge\n"
	OUTPUT_OPTIONS_HELP
	"  -h, --help         this help\n"
	"\n"
	"Exit codes: 0 every probe (passive: every echo request seen) answered, 1 not,\n"
	"2 usage error, 3 environment error (not root, no BPF, nothing to trace).\n"
	"\n"
	"EXAMPLES:\n"
	"  sudo nstrace trace --from c1 --to 172.18.0.3\n"
	"  sudo nstrace trace --from 4242 --to 172.18.0.2      # by PID\n"
	"  sudo nstrace trace --passive --bridge docker0 --duration 10s\n"
	"  sudo nstrace trace --passive --bridge docker0 --duration 24h --summary\n"
	"  sudo nstrace trace --lab demo --from ns1 --to 10.200.0.3\n";

struct trace_opts {
	struct output_opts out;
	const char *from, *bridge, *netns, *lab;
	char lab_from[LAB_NS_NAME_MAX], lab_netns[LAB_NS_NAME_MAX], lab_bridge[IFNAMSIZ];
	struct in_addr to;
	struct probe_opts probe;
	int have_to, passive, duration_ms;
};

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
	if (!o->passive && (o->duration_ms || o->netns)) {
		err_msg("trace: --duration and --netns go with --passive");
		return EXIT_USAGE;
	}
	return 0;
}

static int parse_trace(int argc, char **argv, struct trace_opts *o)
{
	enum { OPT_FROM = 3000, OPT_TO, OPT_PASSIVE, OPT_DURATION, OPT_BRIDGE, OPT_NETNS, OPT_LAB };
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
		{ "help", no_argument, NULL, 'h' },
		OUTPUT_LONG_OPTIONS,
		{}
	};
	int opt;
	long v;

	memset(o, 0, sizeof(*o));
	o->probe = (struct probe_opts)PROBE_OPTS_DEFAULT;
	while ((opt = getopt_long(argc, argv, "c:i:hqv", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_FROM:
			o->from = optarg;
			break;
		case OPT_TO:
			if (inet_pton(AF_INET, optarg, &o->to) != 1) {
				err_msg("trace: invalid --to '%s': expected an IPv4 address", optarg);
				return EXIT_USAGE;
			}
			o->have_to = 1;
			break;
		case 'c':
		case 'i':
			if (parse_probe_option(opt, optarg, &o->probe))
				return EXIT_USAGE;
			break;
		case OPT_PASSIVE:
			o->passive = 1;
			break;
		case OPT_DURATION:
			if (parse_duration("--duration", optarg, 1000, 1000, 86400000, &v))
				return EXIT_USAGE;
			o->duration_ms = (int)v;
			break;
		case OPT_BRIDGE:
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
			if (!parse_output_option(opt, optarg, &o->out))
				break;
			fprintf(stderr, "see '%s trace --help'\n", prog);
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
	if (o->from && (!strncmp(o->from, "ns", 2) || (o->from[0] >= '1' && o->from[0] <= '9'))) {
		char nsk[16];
		int k;

		/* One spelling everywhere: ns1, or its number. */
		snprintf(nsk, sizeof(nsk), "%s%.8s", strncmp(o->from, "ns", 2) ? "ns" : "", o->from);
		k = lab_endpoint_number(&lab, nsk);
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

/* An nstrace lab's namespaces by the names run uses: nsK and host, one spelling everywhere. */
static void lab_labels(const struct trace_opts *o, struct discovery *d)
{
	size_t len = strlen(o->lab);

	for (int i = 0; o->lab && i < d->nns; i++) {
		struct ns_ref *r = &d->ns[i].ref;
		const char *rest = !strncmp(r->label, o->lab, len) && r->label[len] == '-' ? r->label + len + 1 : NULL;

		if (rest && (!strcmp(rest, "host") || (!strncmp(rest, "ns", 2) && rest[2] >= '1' && rest[2] <= '9')))
			memmove(r->label, rest, strlen(rest) + 1);
	}
	for (int i = 0; i < d->topo.n; i++)
		snprintf(d->topo.ifs[i].ns_label, sizeof(d->topo.ifs[i].ns_label), "%s", d->ns[d->if_ns[i]].ref.label);
}

static void say_discovery(struct feed *fd, const struct discovery *d)
{
	int ports = 0;

	for (int i = 0; i < d->topo.n; i++)
		ports += d->topo.ifs[i].role == TOPO_PORT;
	feed_say(fd, FEED_HEADER, "discovered: bridge %s in %s with %d ports, %d namespaces\n",
		 d->topo.ifs[d->bridge].name, d->topo.ifs[d->bridge].ns_label, ports, d->nns);
	for (int i = 0; i < d->nunresolved; i++)
		feed_say(fd, FEED_HEADER, "  unresolved: %s\n", d->unresolved[i]);
}

static int trace_passive(struct feed *fd, const struct trace_opts *o, struct observers *obs,
			 const struct trace_target *tg)
{
	feed_say(fd, FEED_HEADER, "watching; packets print as they finish; %s\n",
		 o->duration_ms ? "until the duration ends (Ctrl-C stops early)" : "Ctrl-C stops");
	return session_passive(fd, obs, tg, o->duration_ms);
}

static int trace_probe(struct feed *fd, const struct trace_opts *o, struct observers *obs, const struct discovery *d,
		       const struct trace_target *tg)
{
	struct probe_summary sum = {};
	struct flow flow;
	char a[16];
	int err, verdicts, ret;

	/* Read-only: no neighbour flush, so ARP shows only if the entry had expired. */
	err = observers_probe(obs, d->ns[d->if_ns[d->src]].fd, 0, o->to, o->probe.count, o->probe.interval_ms, &sum);
	observers_stop(obs);
	if (err) {
		err_msg("trace: cannot send probes from %s: %s", d->topo.ifs[d->src].ns_label, strerror(-err));
		return EXIT_ENV;
	}
	observers_filter_icmp_id(obs, sum.id, NULL);
	feed_say(fd, FEED_HEADER, "probes: %d ICMP echo request(s) %s \u2192 %s, id 0x%04x\n", sum.sent,
		 d->topo.ifs[d->src].ns_label, ip_str(o->to.s_addr, a, sizeof(a)), sum.id);
	flow = (struct flow){ .src = d->src, .dst = o->to, .sent = sum.sent, .received = sum.received,
			      .send_errno = sum.send_errno, .icmp_id = sum.id };
	/* Interrupted after every probe sent was answered: the path works. */
	ret = sum.sent > 0 && sum.received == sum.sent ? EXIT_PASS : EXIT_FAIL;
	verdicts = session_report(fd, obs, tg, &flow, 1, &sum, ret, NULL);
	if (verdicts < 0)
		err_msg("trace: cannot analyse the trace: %s", strerror(-verdicts));
	return ret;
}

/* Discovery, observers, the trace; everything it opened closed again. */
static int trace_run(struct feed *fd, struct trace_opts *o)
{
	struct discovery d = { .src = -1, .bridge = -1 };
	struct observers obs;
	struct trace_parts tp = {};
	struct trace_target tg;
	struct netview net = {};
	struct ns_ref *refs = NULL;
	char msg[512];
	int ret, err;

	memset(&obs, 0, sizeof(obs));
	err = o->passive ? discover_bridge(o->netns, o->bridge, &d, msg, sizeof(msg)) :
			   discover_from(o->from, o->to, o->bridge, &d, msg, sizeof(msg));
	if (err) {
		err_msg("trace: %s", msg);
		return err == -ENOENT || err == -EINVAL || err == -ENODEV ? EXIT_USAGE : EXIT_ENV;
	}
	if (o->lab)
		lab_labels(o, &d);
	say_discovery(fd, &d);
	tg = (struct trace_target){ &d.topo, d.ns, d.nns };
	ret = EXIT_ENV;
	refs = session_refs(&tg);
	if (!refs || session_read_links(&tg, &net) || trace_parts(&d, &tp))
		goto cleanup;
	feed_topology(fd, &d.topo, refs, d.nns, &net);
	err = observers_start(&obs, tp.links, d.topo.n, tp.nf, d.nns, 0, &stop_requested, msg, sizeof(msg));
	if (err) {
		err_msg("trace: %s", msg);
		goto cleanup;
	}
	feed_say(fd, FEED_HEADER, "observers: %s ingress+egress on %d links, tp_btf/kfree_skb, netfilter hooks in %d namespaces\n",
		 observers_tc_mode(&obs), d.topo.n, obs.nf_hooks);
	feed_say(fd, FEED_HEADER, "           (removed when nstrace exits)\n");
	ret = o->passive ? trace_passive(fd, o, &obs, &tg) : trace_probe(fd, o, &obs, &d, &tg);
cleanup:
	observers_free(&obs);
	free(tp.links);
	free(tp.nf);
	free(refs);
	session_netview_free(&net);
	discovery_free(&d);
	return ret;
}

int cmd_trace(int argc, char **argv)
{
	struct trace_opts o;
	struct outputs out;
	int ret;

	ret = parse_trace(argc, argv, &o);
	if (ret)
		return ret < 0 ? EXIT_PASS : ret;
	if ((ret = require_root("trace")))
		return ret;
	install_stop_handlers();
	if (o.lab && (ret = resolve_lab(&o)))
		return ret;
	if ((ret = outputs_open(&out, &o.out, "trace", 1)))
		return ret;
	ret = trace_run(&out.feed, &o);
	return outputs_close(&out, ret);
}
