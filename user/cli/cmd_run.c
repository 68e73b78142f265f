// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* nstrace run: build (or reuse) a lab, observe it, probe it, show the path. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "lab.h"
#include "path.h"
#include "diagnose.h"
#include "faults.h"
#include "netns.h"
#include "session.h"
#include "report.h"
#include "state.h"

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
	"      --from K       send from nsK (default 1)\n"
	"      --to K         to nsK's address (default 2)\n"
	"  -k, --keep         leave the lab in place ('nstrace down' removes it)\n"
	"      --break FAULT  inject a fault first (implies --isolated; see 'nstrace faults')\n"
	"      --fix          apply the verdict's first fix and trace again\n"
	"      --yes          allow --fix to change the real host (not --isolated)\n"
	LAB_OPTIONS_HELP
	"  -h, --help         this help\n"
	"\n"
	"Exit codes: 0 every probe answered, 1 not, 2 usage error, 3 environment\n"
	"error (not root, no BPF, a name or subnet taken).\n"
	"\n"
	"EXAMPLES:\n"
	"  sudo nstrace run\n"
	"  sudo nstrace run --isolated --count 5\n"
	"  sudo nstrace run --break forward-drop --fix   # see the cause, then the cure\n"
	"  sudo nstrace run --lab demo --from 1 --to 3    # a lab made by 'nstrace up'\n";

struct run_opts {
	struct lab_config cfg;
	struct probe_opts probe;
	int from, to, keep, lab_given, fix, yes;
	const struct fault *fault;
};

static int parse_run(int argc, char **argv, struct run_opts *o)
{
	enum { OPT_FROM = 2000, OPT_TO, OPT_BREAK, OPT_FIX, OPT_YES };
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "interval", required_argument, NULL, 'i' },
		{ "keep", no_argument, NULL, 'k' },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ "break", required_argument, NULL, OPT_BREAK },
		{ "fix", no_argument, NULL, OPT_FIX },
		{ "yes", no_argument, NULL, OPT_YES },
		{ "help", no_argument, NULL, 'h' },
		LAB_LONG_OPTIONS,
		{}
	};
	int opt, r;
	long v;

	memset(o, 0, sizeof(*o));
	lab_config_default(&o->cfg);
	o->probe = (struct probe_opts)PROBE_OPTS_DEFAULT;
	o->from = 1;
	o->to = 2;
	while ((opt = getopt_long(argc, argv, "c:i:kh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
		case 'i':
			if (parse_probe_option(opt, optarg, &o->probe))
				return EXIT_USAGE;
			break;
		case 'k':
			o->keep = 1;
			break;
		case OPT_FROM:
		case OPT_TO:
			if (parse_int(opt == OPT_FROM ? "--from" : "--to", optarg, 1, LAB_MAX_NAMESPACES, &v))
				return EXIT_USAGE;
			*(opt == OPT_FROM ? &o->from : &o->to) = (int)v;
			break;
		case OPT_BREAK:
			o->fault = fault_find(optarg);
			if (!o->fault) {
				err_msg("run: unknown fault '%s' (see 'nstrace faults')", optarg);
				return EXIT_USAGE;
			}
			o->cfg.isolated = 1;
			break;
		case OPT_FIX:
			o->fix = 1;
			break;
		case OPT_YES:
			o->yes = 1;
			break;
		case 'h':
			fputs(run_usage, stdout);
			return -1;
		default:
			r = parse_lab_option(opt, optarg, &o->cfg);
			if (r == 0) {
				o->lab_given |= opt == OPT_LAB;
				break;
			}
			if (r > 0)
				fprintf(stderr, "%s", run_usage);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		err_msg("run: unexpected argument '%s' (see 'nstrace run --help')", argv[optind]);
		return EXIT_USAGE;
	}
	if (o->from == o->to) {
		err_msg("run: --from and --to are both ns%d (pick two namespaces)", o->from);
		return EXIT_USAGE;
	}
	return 0;
}

/* Every veth end and the bridge: what the observers attach to. */
static int lab_links(const struct lab *lab, struct session_link **out)
{
	int n = 1 + 2 * lab->cfg.namespaces, i = 0;
	struct session_link *l = calloc(n, sizeof(*l));

	if (!l)
		return -ENOMEM;
	l[i++] = (struct session_link){ lab->host_fd, lab->host_ino, lab->bridge_ifindex };
	for (int k = 0; k < lab->cfg.namespaces; k++) {
		const struct lab_endpoint *ep = &lab->ep[k];

		if (ep->port_ifindex)
			l[i++] = (struct session_link){ lab->host_fd, lab->host_ino, ep->port_ifindex };
		if (ep->ifindex && ep->ns_fd >= 0)
			l[i++] = (struct session_link){ ep->ns_fd, ep->ns_ino, ep->ifindex };
	}
	*out = l;
	return i;
}

/* Namespaces whose state the diagnosis reads: the host side, then each endpoint. */
static int lab_state_ns(const struct lab *lab, struct state_ns *nss)
{
	int n = 0;

	nss[n] = (struct state_ns){ .fd = lab->host_fd, .ino = lab->host_ino, .label = "host" };
	if (lab->host_ns_name[0])
		snprintf(nss[n].exec_prefix, sizeof(nss[n].exec_prefix), "ip netns exec %s ", lab->host_ns_name);
	n++;
	for (int k = 0; k < lab->cfg.namespaces; k++) {
		if (lab->ep[k].ns_fd < 0)
			continue;
		nss[n] = (struct state_ns){ .fd = lab->ep[k].ns_fd, .ino = lab->ep[k].ns_ino };
		snprintf(nss[n].label, sizeof(nss[n].label), "ns%d", k + 1);
		snprintf(nss[n].exec_prefix, sizeof(nss[n].exec_prefix), "ip netns exec %s ", lab->ep[k].ns_name);
		n++;
	}
	return n;
}

static int report(const struct run_opts *o, const struct lab *lab, struct session *s,
		  const struct topo *t, const struct probe_summary *sum, struct verdict *v)
{
	struct state_ns *nss = calloc(1 + lab->cfg.namespaces, sizeof(*nss));
	struct flow flow = { .src = 2 * o->from, .dst = lab->ep[o->to - 1].addr, .sent = sum->sent,
			     .received = sum->received, .send_errno = sum->send_errno, .icmp_id = sum->id };
	char a[16];
	int n;

	if (!nss)
		return 0;
	printf("probes: %d ICMP echo request(s) ns%d (%s) → ", sum->sent, o->from,
	       ip_str(lab->ep[o->from - 1].addr.s_addr, a, sizeof(a)));
	printf("ns%d (%s), id 0x%04x\n", o->to, ip_str(lab->ep[o->to - 1].addr.s_addr, a, sizeof(a)),
	       sum->id);
	n = report_trace(s, t, nss, lab_state_ns(lab, nss), &flow, 1, sum, v);
	if (n < 0)
		err_msg("run: cannot analyse the trace: %s", strerror(-n));
	free(nss);
	return n > 0;
}

/* One trace: observers up, probes, observers down, report. Exit code of the trace. */
static int trace_lab(const struct run_opts *o, struct lab *lab, struct verdict *v, int *have_verdict)
{
	struct session s;
	struct session_link *links = NULL;
	struct session_nf *nf = NULL;
	struct topo topo = {};
	struct probe_summary sum = {};
	char msg[512];
	int nlinks, err, ret = EXIT_ENV;

	memset(&s, 0, sizeof(s));
	*have_verdict = 0;
	if (lab_topology(lab, &topo))
		goto cleanup;
	print_topology(stdout, &topo);
	nlinks = lab_links(lab, &links);
	nf = calloc(1 + lab->cfg.namespaces, sizeof(*nf));
	if (nlinks < 0 || !nf)
		goto cleanup;
	nf[0] = (struct session_nf){ lab->host_fd, SESSION_NF_BRIDGE_HOOKS };
	for (int k = 0; k < lab->cfg.namespaces; k++)
		nf[k + 1] = (struct session_nf){ lab->ep[k].ns_fd, SESSION_NF_ENDPOINT_HOOKS };
	err = session_start(&s, links, nlinks, nf, 1 + lab->cfg.namespaces, 1, msg, sizeof(msg));
	if (err) {
		err_msg("run: %s", msg);
		goto cleanup;
	}
	printf("observers: %s ingress+egress on %d links, tp_btf/kfree_skb, netfilter hooks in %d namespaces\n",
	       s.probes.ntc && s.probes.tc[0].mode == PROBE_CLSACT ? "clsact" : "tcx", nlinks, s.nf_hooks);

	err = session_probe(&s, lab->ep[o->from - 1].ns_fd, lab->ep[o->from - 1].ifindex,
			    lab->ep[o->to - 1].addr, o->probe.count, o->probe.interval_ms, &sum);
	session_stop(&s);
	if (err) {
		err_msg("run: cannot send probes from ns%d: %s", o->from, strerror(-err));
		goto cleanup;
	}
	session_filter_icmp_id(&s, sum.id, &lab->cfg.subnet);
	*have_verdict = report(o, lab, &s, &topo, &sum, v);
	ret = stop_requested ? EXIT_FAIL : sum.received == sum.sent ? EXIT_PASS : EXIT_FAIL;
cleanup:
	session_free(&s);
	free(links);
	free(nf);
	free(topo.ifs);
	return ret;
}

/* A command that undoes a fix, where one is known. */
static void print_revert(const struct verdict *v)
{
	const char *fix = v->fix[0];
	const char *eq = strrchr(fix, '=');

	if (strstr(fix, "sysctl -w") && eq)
		printf("revert: %.*s=%s\n", (int)(eq - fix), fix, *(eq + 1) == '0' ? "1" : "0");
	else if (strstr(fix, "iptables -I "))
		printf("revert: %.*s-D %s\n", (int)(strstr(fix, "-I ") - fix), fix, strstr(fix, "-I ") + 3);
	else if (strstr(fix, " up") && strstr(fix, "ip link set"))
		printf("revert: %.*s down\n", (int)(strlen(fix) - 3), fix);
	else
		printf("revert: no single command: it restored the configuration the lab was built with\n");
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	struct lab lab = { .host_fd = -1 };
	struct verdict v;
	char msg[512];
	int err, built = 0, ret, have_verdict = 0, existing;

	ret = parse_run(argc, argv, &o);
	if (ret)
		return ret < 0 ? EXIT_PASS : ret;
	/* --lab naming an existing lab traces it; anything else builds one. */
	existing = o.lab_given && lab_exists(o.cfg.name);
	if (!existing) {
		if (lab_config_validate(&o.cfg, msg, sizeof(msg))) {
			err_msg("run: %s", msg);
			return EXIT_USAGE;
		}
		if (o.from > o.cfg.namespaces || o.to > o.cfg.namespaces) {
			err_msg("run: --from/--to must name one of ns1..ns%d", o.cfg.namespaces);
			return EXIT_USAGE;
		}
	}
	ret = require_root("run");
	if (ret)
		return ret;
	install_stop_handlers();

	if (existing) {
		if (lab_load(&lab, o.cfg.name, msg, sizeof(msg))) {
			err_msg("run: %s", msg);
			return EXIT_ENV;
		}
		if (o.from > lab.cfg.namespaces || o.to > lab.cfg.namespaces) {
			err_msg("run: lab '%s' has ns1..ns%d (--from %d --to %d)", lab.cfg.name,
				lab.cfg.namespaces, o.from, o.to);
			lab_release(&lab);
			return EXIT_USAGE;
		}
		if ((o.fault || o.fix) && !lab.host_ns_name[0] && !o.yes) {
			err_msg("run: lab '%s' uses the real host's namespace: --break never touches it, and --fix needs --yes",
				lab.cfg.name);
			lab_release(&lab);
			return EXIT_USAGE;
		}
		printf("lab %s: using the existing lab\n", lab.cfg.name);
	} else {
		if (o.fix && !o.cfg.isolated && !o.yes) {
			err_msg("run: --fix would change the real host: add --yes, or use --isolated");
			return EXIT_USAGE;
		}
		err = lab_build(&lab, &o.cfg, msg, sizeof(msg));
		if (err) {
			err_msg("run: %s", msg);
			return EXIT_ENV;
		}
		built = 1;
		printf("lab %s: built, bridge side in %s\n", lab.cfg.name,
		       lab.host_ns_name[0] ? lab.host_ns_name : "the root namespace");
	}
	if (o.fault && lab.host_ns_name[0]) {
		err = o.fault->apply(&lab, o.from, o.to, msg, sizeof(msg));
		if (err) {
			err_msg("run: cannot inject fault '%s': %s", o.fault->name, msg);
			ret = EXIT_ENV;
			goto cleanup;
		}
		printf("fault injected: %s: %s\n", o.fault->name, o.fault->summary);
	}
	if (stop_requested) {
		ret = EXIT_FAIL;
		goto cleanup;
	}
	ret = trace_lab(&o, &lab, &v, &have_verdict);
	if (o.fix && !stop_requested && ret == EXIT_FAIL && have_verdict) {
		if (!v.nfix) {
			printf("\n--fix: the verdict has no fix to apply\n");
		} else {
			printf("\n--fix: applying: %s\n", v.fix[0]);
			err = netns_run(-1, NULL, v.fix[0], 0);
			if (err) {
				err_msg("run: the fix exited %d", err);
			} else {
				if (!lab.host_ns_name[0])
					print_revert(&v);
				printf("\n== after the fix ==\n");
				ret = trace_lab(&o, &lab, &v, &have_verdict);
			}
		}
	}
cleanup:
	if (stop_requested)
		fprintf(stderr, "nstrace: run: interrupted%s\n", built && !o.keep ? ", removing the lab" : "");
	if (built && !o.keep) {
		err = lab_teardown(&lab);
		if (err < 0)
			err_msg("run: removing lab '%s' left something behind: %s (try 'nstrace down --lab %s')",
				o.cfg.name, strerror(-err), o.cfg.name);
	} else {
		if (built)
			printf("lab %s kept: 'nstrace exec --lab %s ns1 -- CMD' to use it, 'nstrace down --lab %s' to remove it\n",
			       lab.cfg.name, lab.cfg.name, lab.cfg.name);
		lab_release(&lab);
	}
	return ret;
}
