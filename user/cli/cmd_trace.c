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
	"      --nftrace      let nftables name the rule that drops: while nstrace runs,\n"
	"                     adds a table of its own in each namespace whose nft chains\n"
	"                     can drop, with a chain that marks packets for nftables'\n"
	"                     trace; the kernel removes it when nstrace exits, even\n"
	"                     killed (on by default for nstrace's own labs, --lab)\n"
	"      --fix          apply the verdict's first fix and trace again (needs --yes:\n"
	"                     it changes a topology nstrace did not build)\n"
	"      --yes          allow --fix to change it\n"
	OUTPUT_OPTIONS_HELP
	"\n"
	"Passive mode observes each hop once (tc ingress of every link: what leaves\n"
	"one end of a veth enters the other) and arms its netfilter observers while\n"
	"ICMP is seen; filtered-out packets cost no event (the BPF programs drop them):\n"
	"  --full             tc ingress and egress of every link (twice the hooks)\n"
	"  --host IP          only ARP/ICMP from or to IP\n"
	"  --icmp-id ID       only ICMP with this echo id (0 to 65535; ARP still shows)\n"
	"  --proto P          only arp, or only icmp\n"
	"  --interface IF     observe only the links named IF\n"
	"  --namespace NS     observe only the links in NS (a label or name shown\n"
	"                     under 'topology:')\n"
	"  --attach MODE      tc observers as tcx links (tcx: the default; clsact where\n"
	"                     the kernel has none) or as clsact filters (clsact)\n"
	"  --stats            the kernel's run time per BPF program, at the end\n"
	"  --buffer KB        ring buffer for events, 4 to 1048576 KiB (default 4096)\n"
	"  -h, --help         this help\n"
	"\n"
	"Environment: NSTRACE_FORCE=clsact,no-nflink,no-drop-reason (or old) takes the\n"
	"older kernels' paths on this one (see README, Kernels).\n"
	"\n"
	"Exit codes: 0 every probe (passive: every echo request seen) answered, 1 not,\n"
	"2 usage error, 3 environment error (not root, no BPF, nothing to trace).\n"
	"\n"
	"EXAMPLES:\n"
	"  sudo nstrace trace --from c1 --to 172.18.0.3\n"
	"  sudo nstrace trace --from 4242 --to 172.18.0.2      # by PID\n"
	"  sudo nstrace trace --passive --bridge docker0 --duration 10s\n"
	"  sudo nstrace trace --passive --bridge docker0 --duration 24h --summary\n"
	"  sudo nstrace trace --passive --bridge docker0 --host 172.17.0.2 --proto icmp\n"
	"  sudo nstrace trace --lab demo --from ns1 --to 10.200.0.3\n";

struct trace_opts {
	struct output_opts out;
	const char *from, *bridge, *netns, *lab, *only_if, *only_ns;
	struct observe_opts observe;
	int full, filtered;
	char lab_from[LAB_NS_NAME_MAX], lab_netns[LAB_NS_NAME_MAX], lab_bridge[IFNAMSIZ];
	struct in_addr to;
	struct probe_params probe;
	int have_to, passive, duration_ms, nftrace, fix, yes;
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
	if (!o->passive && (o->duration_ms || o->netns || o->full || o->filtered)) {
		err_msg("trace: --duration, --netns, --full and the filters go with --passive");
		return EXIT_USAGE;
	}
	if (o->fix && (o->passive || !o->yes)) {
		err_msg(o->passive ? "trace: --fix goes with --from/--to: a passive trace changes nothing" :
				     "trace: --fix changes a topology nstrace did not build: add --yes");
		return EXIT_USAGE;
	}
	return 0;
}

enum { OPT_FULL = 3100, OPT_HOST, OPT_ICMP_ID, OPT_PROTO, OPT_INTERFACE, OPT_NAMESPACE };
#define PASSIVE_LONG_OPTIONS \
	{ "full", no_argument, NULL, OPT_FULL }, \
	{ "host", required_argument, NULL, OPT_HOST }, \
	{ "icmp-id", required_argument, NULL, OPT_ICMP_ID }, \
	{ "proto", required_argument, NULL, OPT_PROTO }, \
	{ "interface", required_argument, NULL, OPT_INTERFACE }, \
	{ "namespace", required_argument, NULL, OPT_NAMESPACE }

/* Passive mode's options: -1 bad value (printed), 0 handled, 1 not one of them. */
static int parse_passive_option(int opt, const char *arg, struct trace_opts *o)
{
	struct observe_filter *f = &o->observe.filter;
	struct in_addr a;
	long v;

	switch (opt) {
	case OPT_FULL:
		o->full = 1;
		return 0;
	case OPT_HOST:
		if (inet_pton(AF_INET, arg, &a) != 1 || !a.s_addr) {
			err_msg("trace: invalid --host '%s': expected an IPv4 address other than 0.0.0.0", arg);
			return -1;
		}
		f->host = a.s_addr;
		break;
	case OPT_ICMP_ID:
		if (parse_int("--icmp-id", arg, 0, 65535, &v))
			return -1;
		f->icmp_id = (uint16_t)v;
		f->has_icmp_id = 1;
		break;
	case OPT_PROTO:
		if (strcmp(arg, "arp") && strcmp(arg, "icmp")) {
			err_msg("trace: invalid --proto '%s': expected arp or icmp", arg);
			return -1;
		}
		f->protos = !strcmp(arg, "arp") ? OBSERVE_PROTO_ARP : OBSERVE_PROTO_ICMP;
		break;
	case OPT_INTERFACE:
	case OPT_NAMESPACE:
		*(opt == OPT_INTERFACE ? &o->only_if : &o->only_ns) = arg;
		break;
	default:
		return 1;
	}
	o->filtered = 1;
	return 0;
}

enum { OPT_FROM = 3000, OPT_TO, OPT_PASSIVE, OPT_DURATION, OPT_TRACE_BRIDGE, OPT_NETNS, OPT_TRACE_LAB, OPT_NFTRACE, OPT_FIX,
       OPT_YES };

/* What to trace and where: -1 bad value (printed), 0 handled, 1 not one of them. */
static int parse_where_option(int opt, const char *arg, struct trace_opts *o)
{
	char msg[256];

	switch (opt) {
	case OPT_FROM:
		o->from = arg;
		return 0;
	case OPT_TO:
		if (check_to(arg, &o->to))
			return -1;
		o->have_to = 1;
		return 0;
	case OPT_TRACE_BRIDGE:
		/* Someone else's name: what the kernel accepts, nothing stricter. */
		if (ifname_validate(arg, 0, msg, sizeof(msg))) {
			err_msg("trace: invalid --bridge: %s", msg);
			return -1;
		}
		o->bridge = arg;
		return 0;
	case OPT_NETNS:
		o->netns = arg;
		return 0;
	case OPT_TRACE_LAB:
		if (check_lab_name(arg))
			return -1;
		o->lab = arg;
		return 0;
	default:
		return 1;
	}
}

static int parse_trace(int argc, char **argv, struct trace_opts *o)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		PROBE_LONG_OPTIONS,
		{ "passive", no_argument, NULL, OPT_PASSIVE },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "bridge", required_argument, NULL, OPT_TRACE_BRIDGE },
		{ "netns", required_argument, NULL, OPT_NETNS },
		{ "lab", required_argument, NULL, OPT_TRACE_LAB },
		{ "nftrace", no_argument, NULL, OPT_NFTRACE },
		{ "fix", no_argument, NULL, OPT_FIX },
		{ "yes", no_argument, NULL, OPT_YES },
		{ "help", no_argument, NULL, 'h' },
		PASSIVE_LONG_OPTIONS,
		OBSERVE_LONG_OPTIONS,
		OUTPUT_LONG_OPTIONS,
		{}
	};
	int opt, r;
	long v;

	memset(o, 0, sizeof(*o));
	o->probe = (struct probe_params)PROBE_OPTS_DEFAULT;
	while ((opt = getopt_long(argc, argv, PROBE_SHORT_OPTIONS "hqv", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
		case 'i':
		case 's':
		case OPT_DF:
			if (parse_probe_option(opt, optarg, &o->probe))
				return EXIT_USAGE;
			break;
		case OPT_PASSIVE:
		case OPT_NFTRACE:
		case OPT_FIX:
		case OPT_YES:
			*(opt == OPT_PASSIVE ? &o->passive : opt == OPT_NFTRACE ? &o->nftrace : opt == OPT_FIX ? &o->fix : &o->yes) = 1;
			break;
		case OPT_DURATION:
			if (parse_duration("--duration", optarg, 1000, 1000, 86400000, &v))
				return EXIT_USAGE;
			o->duration_ms = (int)v;
			break;
		case 'h':
			fputs(trace_usage, stdout);
			return -1;
		default:
			r = parse_where_option(opt, optarg, o);
			if (r > 0)
				r = parse_passive_option(opt, optarg, o);
			if (r > 0)
				r = parse_observe_option(opt, optarg, &o->observe);
			if (r > 0)
				r = parse_output_option(opt, optarg, &o->out);
			if (r == 0)
				break;
			if (r > 0)
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

/* The discovered topology's links and hooks, as the observers want them (--interface/--namespace applied). */
struct trace_parts {
	struct observe_link *links;
	struct observe_nf *nf;
	int nlinks, nnf;
};

static int ns_matches(const struct ns_ref *r, const char *want)
{
	return !want || !strcmp(r->label, want) || (r->via != NS_VIA_SELF && !strcmp(r->arg, want));
}

static int trace_parts(const struct trace_opts *o, const struct discovery *d, struct trace_parts *tp)
{
	tp->links = calloc(d->topo.n ? d->topo.n : 1, sizeof(*tp->links));
	tp->nf = calloc(d->nns ? d->nns : 1, sizeof(*tp->nf));
	if (!tp->links || !tp->nf)
		return -ENOMEM;
	for (int i = 0; i < d->topo.n; i++) {
		if ((o->only_if && strcmp(d->topo.ifs[i].name, o->only_if)) || !ns_matches(&d->ns[d->if_ns[i]].ref, o->only_ns))
			continue;
		tp->links[tp->nlinks++] = (struct observe_link){ d->ns[d->if_ns[i]].fd, d->topo.ifs[i].netns_ino,
								 d->topo.ifs[i].ifindex };
	}
	for (int i = 0; i < d->nns; i++) {
		int holds_bridge = d->ns[i].ref.ino == d->topo.ifs[d->bridge].netns_ino, nifs = 0;
		unsigned int hooks = holds_bridge ? OBSERVE_NF_BRIDGE_HOOKS : OBSERVE_NF_ENDPOINT_HOOKS;

		if (!ns_matches(&d->ns[i].ref, o->only_ns))
			continue;
		/* Two interfaces on the way: it may route between them (a gateway), so its forwarding hooks too. */
		for (int j = 0; j < d->topo.n; j++)
			nifs += d->topo.ifs[j].netns_ino == d->ns[i].ref.ino;
		if (!holds_bridge && nifs > 1)
			hooks |= OBSERVE_NF_BRIDGE_HOOKS;
		tp->nf[tp->nnf++] = (struct observe_nf){ d->ns[i].fd, hooks };
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
	if (d->route_err && d->src >= 0)
		feed_say(fd, FEED_HEADER,
			 "  the source's route lookup was refused (%s): traced through %s, its only veth into a bridge\n",
			 strerror(d->route_err), d->topo.ifs[d->src].name);
	if (d->route_dev[0] && d->src >= 0)
		feed_say(fd, FEED_HEADER, "  the source's route leaves by %s, not a veth: traced through %s, its only veth into a bridge\n",
			 d->route_dev, d->topo.ifs[d->src].name);
	if (d->elsewhere >= 0)
		feed_say(fd, FEED_HEADER, "  the target's address is on %s in %s, which is not on bridge %s\n",
			 d->topo.ifs[d->elsewhere].name, d->topo.ifs[d->elsewhere].ns_label, d->topo.ifs[d->bridge].name);
}

static int trace_passive(struct feed *fd, const struct trace_opts *o, struct observers *obs,
			 const struct trace_target *tg)
{
	struct trace_before *before = session_before(fd, tg);
	int ret;

	feed_say(fd, FEED_HEADER, "watching; packets print as they finish; %s\n",
		 o->duration_ms ? "until the duration ends (Ctrl-C stops early)" : "Ctrl-C stops");
	ret = session_passive(fd, obs, tg, before, o->duration_ms);
	session_before_free(before);
	say_lost(fd, obs);
	say_stats(fd, obs);
	return ret;
}

static int trace_probe(struct feed *fd, const struct trace_opts *o, struct observers *obs, const struct discovery *d,
		       const struct trace_target *tg, uint16_t id, struct verdict *v)
{
	struct probe_summary sum = {};
	struct trace_before *before = session_before(fd, tg);
	struct flow flow;
	char a[16];
	int err, verdicts, ret;

	/* Read-only: no neighbour flush, so ARP shows only if the entry had expired. */
	err = observers_probe(obs, d->ns[d->if_ns[d->src]].fd, 0, o->to, id, &o->probe, &sum);
	observers_stop(obs);
	if (err) {
		err_msg("trace: cannot send probes from %s: %s", d->topo.ifs[d->src].ns_label, strerror(-err));
		session_before_free(before);
		return EXIT_ENV;
	}
	observers_filter_icmp_id(obs, sum.id, NULL);
	feed_say(fd, FEED_HEADER, "probes: %d ICMP echo request(s) %s \u2192 %s, id 0x%04x\n", sum.sent,
		 d->topo.ifs[d->src].ns_label, ip_str(o->to.s_addr, a, sizeof(a)), sum.id);
	flow = (struct flow){ .src = d->src, .dst = o->to, .sent = sum.sent, .received = sum.received,
			      .send_errno = sum.send_errno, .icmp_id = sum.id };
	/* Interrupted after every probe sent was answered: the path works. */
	ret = sum.sent > 0 && sum.received == sum.sent ? EXIT_PASS : EXIT_FAIL;
	verdicts = session_report(fd, obs, tg, &flow, 1, &sum, before, ret, v);
	session_before_free(before);
	if (verdicts < 0)
		err_msg("trace: cannot analyse the trace: %s", strerror(-verdicts));
	if (verdicts <= 0)
		v->id[0] = '\0';
	say_lost(fd, obs);
	say_stats(fd, obs);
	return ret;
}

/*
 * Passive: one hook per hop (--full: both directions), netfilter hooks only
 * while ICMP is seen (they run for every IPv4 packet that crosses them).
 * Probing: everything, our id only.
 */
static void observe_mode(struct trace_opts *o, uint16_t id)
{
	o->observe.tc_dirs = o->passive && !o->full ? TC_INGRESS : TC_INGRESS | TC_EGRESS;
	o->observe.nf_on_demand = o->passive;
	if (!o->passive) {
		o->observe.filter.icmp_id = id;
		o->observe.filter.has_icmp_id = 1;
	}
}

/* Observers up, the trace (probes, or watching), observers down; v: the first verdict, id "" if none. */
static int trace_once(struct feed *fd, struct trace_opts *o, const struct discovery *d, const struct trace_parts *tp,
		      const struct trace_target *tg, struct verdict *v)
{
	struct observers obs;
	uint16_t id = observers_probe_id();
	char msg[512];
	int err, ret = EXIT_ENV;

	memset(&obs, 0, sizeof(obs));
	v->id[0] = '\0';
	observe_mode(o, id);
	err = observers_start(&obs, tp->links, tp->nlinks, tp->nf, tp->nnf, &o->observe, &stop_requested, msg,
			      sizeof(msg));
	if (err) {
		err_msg("trace: %s", msg);
		goto out;
	}
	say_observers(fd, &obs, " (removed when nstrace exits)");
	if (tg->partial)
		feed_say(fd, FEED_HEADER, "note: --interface/--namespace observe part of the topology: a path ends where "
			 "observation ends, and 'not delivered' there is no evidence of loss\n");
	ret = o->passive ? trace_passive(fd, o, &obs, tg) : trace_probe(fd, o, &obs, d, tg, id, v);
out:
	observers_free(&obs);
	return ret;
}

/* Discovery, the trace, and with --fix the fix and the trace again; everything it opened closed again. */
static int trace_run(struct feed *fd, struct trace_opts *o)
{
	struct discovery d = { .src = -1, .bridge = -1 };
	struct trace_parts tp = {};
	struct trace_target tg;
	struct netview net = {};
	struct ns_ref *refs = NULL;
	struct verdict *v = malloc(sizeof(*v));
	char msg[1024];
	int ret, err;

	err = v ? (o->passive ? discover_bridge(o->netns, o->bridge, &d, msg, sizeof(msg)) :
				discover_from(o->from, o->to, o->bridge, &d, msg, sizeof(msg))) : -ENOMEM;
	if (err) {
		err_msg("trace: %s", v ? msg : "out of memory");
		free(v);
		if (err == -ENETUNREACH)
			return EXIT_FAIL;
		return err == -ENOENT || err == -EINVAL || err == -ENODEV || err == -ENOTNAM || err == -EPROTOTYPE ?
			       EXIT_USAGE : EXIT_ENV;
	}
	if (o->lab)
		lab_labels(o, &d);
	say_discovery(fd, &d);
	tg = (struct trace_target){ .topo = &d.topo, .ns = d.ns, .nns = d.nns, .nftrace = o->nftrace || o->lab,
				    .partial = o->only_if || o->only_ns };
	ret = EXIT_ENV;
	refs = session_refs(&tg);
	if (!refs || session_read_links(&tg, &net) || trace_parts(o, &d, &tp))
		goto cleanup;
	feed_topology(fd, &d.topo, refs, d.nns, &net);
	if (!tp.nlinks) {
		err_msg("trace: no link matches --interface/--namespace (the links are listed under 'topology:')");
		ret = EXIT_USAGE;
		goto cleanup;
	}
	ret = trace_once(fd, o, &d, &tp, &tg, v);
	if (o->fix && !stop_requested && ret == EXIT_FAIL && v->id[0] && !apply_fix(fd, v, d.ns, d.nns, 1)) {
		feed_say(fd, FEED_ALWAYS, "\n== after the fix ==\n");
		ret = trace_once(fd, o, &d, &tp, &tg, v);
	}
cleanup:
	free(v);
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
	if ((ret = require_root("trace", "it loads BPF programs and enters namespaces")))
		return ret;
	install_stop_handlers();
	if (o.lab && (ret = resolve_lab(&o)))
		return ret;
	if ((ret = outputs_open(&out, &o.out, "trace", 1)))
		return ret;
	ret = trace_run(&out.feed, &o);
	return outputs_close(&out, ret);
}
