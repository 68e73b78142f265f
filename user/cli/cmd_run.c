// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* nstrace run: build (or reuse) a lab, observe it, probe it, show the path. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "lab/check.h"
#include "lab/faults.h"
#include "kernel/netlink.h"
#include "lab/lab.h"
#include "model/packet.h"
#include "observe/observers.h"
#include "report/output.h"
#include "report/verdict.h"
#include "session/trace.h"

static const char run_usage[] =
	"Usage: nstrace run [OPTIONS]\n"
	"\n"
	"Build the tutorial's topology through netlink (or use an existing lab with\n"
	"--lab), attach eBPF observers on tc ingress and egress of every veth end and\n"
	"of the bridge plus the kernel's drop tracepoint, send ICMP echo probes from\n"
	"ns1, print each packet's hops and path, then remove what was built.\n"
	"\n"
	"Options:\n"
	PROBE_OPTIONS_HELP
	"      --from NS      send from this namespace: ns1, ns2... or 1, 2... (default ns1)\n"
	"      --to NS        to that namespace's address (default ns2)\n"
	"      --new          build the lab --lab names (without it, --lab NAME must exist)\n"
	"  -k, --keep         leave the lab in place ('nstrace down' removes it)\n"
	"      --break FAULT  inject a fault first (implies --isolated; see 'nstrace faults')\n"
	"      --fix          apply the verdict's first fix and trace again\n"
	"      --yes          allow --fix to change the real host (not --isolated)\n"
	LAB_OPTIONS_HELP
	OUTPUT_OPTIONS_HELP
	"      --attach MODE  tc observers as clsact filters (clsact: the default, the\n"
	"                     links are run's own) or as tcx links (tcx)\n"
	"      --stats        the kernel's run time per BPF program, at the end\n"
	"      --buffer KB    ring buffer for events, 4 to 1048576 KiB (default 4096)\n"
	"  -h, --help         this help\n"
	"\n"
	"Environment: NSTRACE_FORCE=clsact,no-nflink,no-drop-reason (or old) takes the\n"
	"older kernels' paths on this one (see README, Kernels).\n"
	"\n"
	"Exit codes: 0 every probe answered (also after Ctrl-C, if all sent were),\n"
	"1 not, 2 usage error, 3 environment error (not root, no BPF, a name or\n"
	"subnet taken, an output file that cannot be written).\n"
	"\n"
	"EXAMPLES:\n"
	"  sudo nstrace run\n"
	"  sudo nstrace run --isolated --count 5 --interval 200ms --explain\n"
	"  sudo nstrace run --break forward-drop --fix   # see the cause, then the cure\n"
	"  sudo nstrace run --lab demo --from ns1 --to ns3    # a lab made by 'nstrace up'\n"
	"  sudo nstrace run --lab mine --new --isolated --keep\n"
	"  sudo nstrace run --isolated --pcap run.pcapng --svg run.svg --record run.nst\n"
	"  sudo nstrace run --isolated --json | jq 'select(.type == \"verdict\")'\n";

struct run_opts {
	struct lab_config cfg;
	struct probe_params probe;
	struct observe_opts observe;
	struct output_opts out;
	int from, to, keep, lab_given, new_lab, fix, yes;
	const char *build_opt;		/* the first option that only describes a lab to build */
	const struct fault *fault;
};

static void run_opts_default(struct run_opts *o)
{
	memset(o, 0, sizeof(*o));
	lab_config_default(&o->cfg);
	o->probe = (struct probe_params)PROBE_OPTS_DEFAULT;
	o->from = 1;
	o->to = 2;
	o->observe.links_are_ours = 1;
	/*
	 * The lab's links are its own and go with it: clsact filters, added and
	 * removed in microseconds, where each tcx link waits for an RCU grace
	 * period under rtnl to come and again to go (some 13 ms each here).
	 */
	o->observe.attach = OBSERVE_ATTACH_CLSACT;
}

/* What is left after the options, and the options' agreement. */
static int check_run_args(int argc, char **argv, const struct run_opts *o)
{
	if (optind < argc) {
		err_msg("run: unexpected argument '%s' (see '%s run --help')", argv[optind], prog);
		return EXIT_USAGE;
	}
	if (o->from == o->to) {
		err_msg("run: --from and --to are both ns%d (pick two namespaces)", o->from);
		return EXIT_USAGE;
	}
	return 0;
}

/* Output, observer and topology options: -1 bad value (printed), 0 handled, 1 none of them. */
static int parse_shared_option(int opt, const char *arg, struct run_opts *o)
{
	int r = parse_output_option(opt, arg, &o->out);

	if (r > 0)
		r = parse_observe_option(opt, arg, &o->observe);
	if (r > 0 && !(r = parse_lab_option(opt, arg, &o->cfg))) {
		o->lab_given |= opt == OPT_LAB;
		if (opt != OPT_LAB && !o->build_opt)
			o->build_opt = lab_option_name(opt);
	}
	return r;
}

static int parse_run(int argc, char **argv, struct run_opts *o)
{
	enum { OPT_FROM = 2000, OPT_TO, OPT_BREAK, OPT_FIX, OPT_YES, OPT_NEW };
	static const struct option opts[] = {
		PROBE_LONG_OPTIONS,
		{ "keep", no_argument, NULL, 'k' },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ "break", required_argument, NULL, OPT_BREAK },
		{ "fix", no_argument, NULL, OPT_FIX },
		{ "yes", no_argument, NULL, OPT_YES },
		{ "new", no_argument, NULL, OPT_NEW },
		{ "help", no_argument, NULL, 'h' },
		LAB_LONG_OPTIONS,
		OUTPUT_LONG_OPTIONS,
		OBSERVE_LONG_OPTIONS,
		{}
	};
	int opt, r, k;

	run_opts_default(o);
	while ((opt = getopt_long(argc, argv, PROBE_SHORT_OPTIONS "khqv", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
		case 'i':
		case 's':
		case OPT_DF:
			if (parse_probe_option(opt, optarg, &o->probe))
				return EXIT_USAGE;
			break;
		case 'k':
			o->keep = 1;
			break;
		case OPT_FROM:
		case OPT_TO:
			if (parse_ns_number(opt == OPT_FROM ? "--from" : "--to", optarg, LAB_MAX_NAMESPACES, &k))
				return EXIT_USAGE;
			*(opt == OPT_FROM ? &o->from : &o->to) = k;
			break;
		case OPT_BREAK:
			o->fault = fault_find(optarg);
			if (!o->fault) {
				err_msg("run: unknown fault '%s' (see '%s faults')", optarg, prog);
				return EXIT_USAGE;
			}
			o->cfg.isolated = 1;
			break;
		case OPT_FIX:
		case OPT_YES:
		case OPT_NEW:
			*(opt == OPT_FIX ? &o->fix : opt == OPT_YES ? &o->yes : &o->new_lab) = 1;
			break;
		case 'h':
			fputs(run_usage, stdout);
			return -1;
		default:
			r = parse_shared_option(opt, optarg, o);
			if (!r)
				break;
			if (r > 0)
				fprintf(stderr, "see '%s run --help'\n", prog);
			return EXIT_USAGE;
		}
	}
	return check_run_args(argc, argv, o);
}

/* Every veth end and the bridge: what the observers attach to. */
static int lab_links(const struct lab *lab, struct observe_link **out)
{
	int n = 1 + 2 * lab->cfg.namespaces, i = 0;
	struct observe_link *l = calloc(n, sizeof(*l));

	if (!l)
		return -ENOMEM;
	l[i++] = (struct observe_link){ lab->host_fd, lab->host_ino, lab->bridge_ifindex };
	for (int k = 0; k < lab->cfg.namespaces; k++) {
		const struct lab_endpoint *ep = &lab->ep[k];

		if (ep->port_ifindex)
			l[i++] = (struct observe_link){ lab->host_fd, lab->host_ino, ep->port_ifindex };
		if (ep->ifindex && ep->ns_fd >= 0)
			l[i++] = (struct observe_link){ ep->ns_fd, ep->ns_ino, ep->ifindex };
	}
	*out = l;
	return i;
}

/* The lab's namespaces: the host side, then each endpoint. */
static int lab_namespaces(const struct lab *lab, struct ns_handle *nss)
{
	int n = 0;

	nss[n] = (struct ns_handle){ .fd = lab->host_fd,
				     .ref = { .ino = lab->host_ino, .label = "root", .via = NS_VIA_SELF } };
	if (lab->host_ns_name[0]) {
		snprintf(nss[n].ref.label, sizeof(nss[n].ref.label), "host");
		nss[n].ref.via = NS_VIA_NAME;
		snprintf(nss[n].ref.arg, sizeof(nss[n].ref.arg), "%s", lab->host_ns_name);
	}
	n++;
	for (int k = 0; k < lab->cfg.namespaces; k++) {
		if (lab->ep[k].ns_fd < 0)
			continue;
		nss[n] = (struct ns_handle){ .fd = lab->ep[k].ns_fd,
					     .ref = { .ino = lab->ep[k].ns_ino, .via = NS_VIA_NAME } };
		snprintf(nss[n].ref.label, sizeof(nss[n].ref.label), "ns%d", k + 1);
		snprintf(nss[n].ref.arg, sizeof(nss[n].ref.arg), "%s", lab->ep[k].ns_name);
		n++;
	}
	return n;
}

/* One traced lab: its topology, observers and namespaces, freed together. */
struct lab_trace {
	struct topo topo;
	struct observe_link *links;
	struct observe_nf *nf;
	struct ns_handle *nss;
	struct ns_ref *refs;
	struct netview net;
	int nlinks, nns;
};

static void lab_trace_free(struct lab_trace *lt)
{
	session_netview_free(&lt->net);
	free(lt->refs);
	free(lt->topo.ifs);
	free(lt->links);
	free(lt->nf);
	free(lt->nss);
	memset(lt, 0, sizeof(*lt));
}

static int lab_trace_init(const struct lab *lab, struct lab_trace *lt)
{
	memset(lt, 0, sizeof(*lt));
	lt->nf = calloc(1 + lab->cfg.namespaces, sizeof(*lt->nf));
	lt->nss = calloc(1 + lab->cfg.namespaces, sizeof(*lt->nss));
	lt->nlinks = lab_links(lab, &lt->links);
	if (!lt->nf || !lt->nss || lt->nlinks < 0 || lab_topology(lab, &lt->topo)) {
		lab_trace_free(lt);
		return -ENOMEM;
	}
	lt->nf[0] = (struct observe_nf){ lab->host_fd, OBSERVE_NF_BRIDGE_HOOKS };
	for (int k = 0; k < lab->cfg.namespaces; k++)
		lt->nf[k + 1] = (struct observe_nf){ lab->ep[k].ns_fd, OBSERVE_NF_ENDPOINT_HOOKS };
	lt->nns = lab_namespaces(lab, lt->nss);
	lt->refs = session_refs(&(struct trace_target){ .topo = &lt->topo, .ns = lt->nss, .nns = lt->nns });
	if (!lt->refs) {
		lab_trace_free(lt);
		return -ENOMEM;
	}
	return 0;
}

static int report(struct feed *fd, const struct run_opts *o, const struct lab *lab, struct observers *obs,
		  const struct lab_trace *lt, const struct probe_summary *sum, struct trace_before *before,
		  int exit_code, struct verdict *v)
{
	struct flow flow = { .src = 2 * o->from, .dst = lab->ep[o->to - 1].addr, .sent = sum->sent,
			     .received = sum->received, .send_errno = sum->send_errno, .icmp_id = sum->id };
	struct trace_target tg = { .topo = &lt->topo, .ns = lt->nss, .nns = lt->nns, .nftrace = 1 };
	char a[16], b[16];
	int n;

	feed_say(fd, FEED_HEADER, "probes: %d ICMP echo request(s) ns%d (%s) \u2192 ns%d (%s), id 0x%04x\n", sum->sent,
		 o->from, ip_str(lab->ep[o->from - 1].addr.s_addr, a, sizeof(a)), o->to,
		 ip_str(lab->ep[o->to - 1].addr.s_addr, b, sizeof(b)), sum->id);
	n = session_report(fd, obs, &tg, &flow, 1, sum, before, exit_code, v);
	if (n < 0)
		err_msg("run: cannot analyse the trace: %s", strerror(-n));
	return n > 0;
}

/*
 * What the bridge learned on the lab's ports is forgotten before the probes
 * (as ns1's neighbour entry is): the trace then shows it being learned. The
 * lab is nstrace's own; other bridges (trace) are never touched.
 */
static void forget_learned(const struct lab *lab)
{
	struct nl nl;

	if (nl_open_in(&nl, lab->host_fd))
		return;
	for (int k = 0; k < lab->cfg.namespaces; k++)
		if (lab->ep[k].port_ifindex)
			nl_fdb_flush_learned(&nl, lab->ep[k].port_ifindex);
	nl_close(&nl);
}

/* One trace: observers up, probes, observers down, report. Exit code of the trace. */
static int trace_lab(struct feed *fd, const struct run_opts *o, struct lab *lab, struct lab_trace *lt,
		     struct verdict *v, int *have_verdict)
{
	struct trace_target tg = { .topo = &lt->topo, .ns = lt->nss, .nns = lt->nns, .nftrace = 1 };
	struct observers obs;
	struct observe_opts oo = o->observe;
	struct probe_summary sum = {};
	struct trace_before *before = NULL;
	uint16_t id = observers_probe_id();
	char msg[512];
	int err, ret = EXIT_ENV;

	memset(&obs, 0, sizeof(obs));
	*have_verdict = 0;
	/* The topology as it is now, not as it was built: a hand-made change shows. */
	session_netview_free(&lt->net);
	session_read_links(&tg, &lt->net);
	feed_topology(fd, &lt->topo, lt->refs, lt->nns, &lt->net);
	/* Only our probes' ICMP reaches user space: someone's ping -f in the lab costs no event. */
	oo.filter.icmp_id = id;
	oo.filter.has_icmp_id = 1;
	err = observers_start(&obs, lt->links, lt->nlinks, lt->nf, 1 + lab->cfg.namespaces, &oo,
			      &stop_requested, msg, sizeof(msg));
	if (err) {
		err_msg("run: %s", msg);
		goto cleanup;
	}
	say_observers(fd, &obs, "");
	before = session_before(fd, &tg);
	forget_learned(lab);
	err = observers_probe(&obs, lab->ep[o->from - 1].ns_fd, lab->ep[o->from - 1].ifindex,
			      lab->ep[o->to - 1].addr, id, &o->probe, &sum);
	observers_stop(&obs);
	if (err) {
		err_msg("run: cannot send probes from ns%d: %s", o->from, strerror(-err));
		goto cleanup;
	}
	observers_filter_icmp_id(&obs, sum.id, &lab->cfg.subnet);
	/* Interrupted after every probe sent was answered: the lab works. */
	ret = sum.sent > 0 && sum.received == sum.sent ? EXIT_PASS : EXIT_FAIL;
	*have_verdict = report(fd, o, lab, &obs, lt, &sum, before, ret, v);
	say_lost(fd, &obs);
	say_stats(fd, &obs);
cleanup:
	session_before_free(before);
	observers_free(&obs);
	return ret;
}

/* --lab naming a lab that exists: load it, and check the options against it. */
static int open_lab(struct feed *fd, const struct run_opts *o, struct lab *lab)
{
	char msg[512];

	if (lab_load(lab, o->cfg.name, msg, sizeof(msg))) {
		err_msg("run: %s (see '%s status')", msg, prog);
		return EXIT_ENV;
	}
	if (o->from > lab->cfg.namespaces || o->to > lab->cfg.namespaces) {
		err_msg("run: lab '%s' has ns1..ns%d (--from %d --to %d)", lab->cfg.name,
			lab->cfg.namespaces, o->from, o->to);
		lab_release(lab);
		return EXIT_USAGE;
	}
	if ((o->fault || o->fix) && !lab->host_ns_name[0] && !o->yes) {
		err_msg("run: lab '%s' uses the real host's namespace: --break never touches it, and --fix needs --yes",
			lab->cfg.name);
		lab_release(lab);
		return EXIT_USAGE;
	}
	feed_say(fd, FEED_HEADER, "lab %s: using the existing lab\n", lab->cfg.name);
	return 0;
}

static int build_lab(struct feed *fd, const struct run_opts *o, struct lab *lab)
{
	char msg[512];
	int err;

	if (o->fix && !o->cfg.isolated && !o->yes) {
		err_msg("run: --fix would change the real host: add --yes, or use --isolated");
		return EXIT_USAGE;
	}
	/* Ours until we remove it (or, with --keep, until we end): a kill -9 leaves an orphan 'status' shows. */
	err = lab_build(lab, &o->cfg, LAB_BUILD_OWNED, msg, sizeof(msg));
	if (err == -EINTR) {
		err_msg("run: %s", msg);
		return EXIT_FAIL;
	}
	if (err == -EALREADY) {
		err_msg("run: %s (use --lab NAME, or '%s down --lab %s')", msg, prog, o->cfg.name);
		return EXIT_ENV;
	}
	if (err) {
		err_msg("run: %s", msg);
		return EXIT_ENV;
	}
	feed_say(fd, FEED_HEADER, "lab %s: built, bridge side in %s\n", lab->cfg.name,
		 lab->host_ns_name[0] ? lab->host_ns_name : "the root namespace");
	return 0;
}

/* Validates what can be checked before root and before touching anything. */
static int check_run(const struct run_opts *o, int existing)
{
	char msg[512];

	if (existing && o->build_opt) {
		err_msg("run: %s describes a lab to build: add --new to build lab '%s', or drop it to trace the existing one",
			o->build_opt, o->cfg.name);
		return EXIT_USAGE;
	}
	if (existing)
		return 0;
	if (lab_config_validate(&o->cfg, msg, sizeof(msg))) {
		err_msg("run: %s", msg);
		return EXIT_USAGE;
	}
	if (o->from > o->cfg.namespaces || o->to > o->cfg.namespaces) {
		err_msg("run: --from/--to must name one of ns1..ns%d", o->cfg.namespaces);
		return EXIT_USAGE;
	}
	return 0;
}

/* Trace, and with --fix apply the verdict's fix and trace again. */
static int trace_and_fix(struct feed *fd, const struct run_opts *o, struct lab *lab)
{
	struct lab_trace lt;
	struct verdict *v = malloc(sizeof(*v));
	int ret, have_verdict = 0;

	if (!v || lab_trace_init(lab, &lt)) {
		free(v);
		err_msg("run: out of memory");
		return EXIT_ENV;
	}
	ret = trace_lab(fd, o, lab, &lt, v, &have_verdict);
	if (o->fix && !stop_requested && ret == EXIT_FAIL && have_verdict &&
	    !apply_fix(fd, v, lt.nss, lt.nns, !lab->host_ns_name[0])) {
		feed_say(fd, FEED_ALWAYS, "\n== after the fix ==\n");
		ret = trace_lab(fd, o, lab, &lt, v, &have_verdict);
	}
	lab_trace_free(&lt);
	free(v);
	return ret;
}

/* Removes what run built, or says how to reach what it kept. */
static void finish_lab(struct feed *fd, const struct run_opts *o, struct lab *lab, int existing)
{
	int err;

	if (stop_requested)
		fprintf(stderr, "nstrace: run: interrupted%s\n", !existing && !o->keep ? ", removing the lab" : "");
	if (!existing && !o->keep) {
		err = lab_teardown(lab);
		if (err < 0)
			err_msg("run: removing lab '%s' left something behind: %s (try '%s down --lab %s')",
				o->cfg.name, strerror(-err), prog, o->cfg.name);
		return;
	}
	if (!existing && (err = lab_disown(lab)))
		err_msg("run: lab '%s' kept, but still marked as ours: %s ('%s down --orphans' would remove it)",
			lab->cfg.name, strerror(-err), prog);
	if (!existing)
		feed_say(fd, FEED_HEADER, "lab %s kept: '%s exec --lab %s ns1 -- CMD' to use it, '%s down --lab %s' to remove it\n",
			 lab->cfg.name, prog, lab->cfg.name, prog, lab->cfg.name);
	lab_release(lab);
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	struct lab lab = { .host_fd = -1 };
	struct outputs out;
	char msg[512];
	int err, ret, existing;

	ret = parse_run(argc, argv, &o);
	if (ret)
		return ret < 0 ? EXIT_PASS : ret;
	/* --lab NAME traces that lab, which must exist; --new (or no --lab) builds one. */
	existing = o.lab_given && !o.new_lab;
	ret = check_run(&o, existing);
	if (!ret)
		ret = require_root("run", existing ? "it loads BPF programs and enters the lab's namespaces" : ROOT_FOR_LABS);
	if (ret)
		return ret;
	if (existing && !lab_exists(o.cfg.name)) {
		err_msg("run: no lab named '%s' (see '%s status'; add --new to build it)", o.cfg.name, prog);
		return EXIT_USAGE;
	}
	if ((ret = outputs_open(&out, &o.out, "run", 1)))
		return ret;
	install_stop_handlers();
	ret = existing ? open_lab(&out.feed, &o, &lab) : build_lab(&out.feed, &o, &lab);
	if (ret)
		return outputs_close(&out, ret);
	if (o.fault && lab.host_ns_name[0]) {
		err = o.fault->apply(&lab, o.from, o.to, msg, sizeof(msg));
		if (err) {
			err_msg("run: cannot inject fault '%s': %s", o.fault->name, msg);
			ret = EXIT_ENV;
			goto cleanup;
		}
		feed_say(&out.feed, FEED_HEADER, "fault injected: %s: %s\n", o.fault->name, o.fault->summary);
	}
	ret = stop_requested ? EXIT_FAIL : trace_and_fix(&out.feed, &o, &lab);
	/* Our fds keep removed namespaces alive and answering: a removed lab must not pass. */
	if (lab_verify(&lab, msg, sizeof(msg))) {
		err_msg("run: lab '%s' was removed while it was traced (%s): what is above came from namespaces that no longer exist",
			o.cfg.name, msg);
		ret = EXIT_ENV;
	}
cleanup:
	finish_lab(&out.feed, &o, &lab, existing);
	return outputs_close(&out, ret);
}
