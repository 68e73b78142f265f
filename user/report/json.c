// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include "analysis/drops.h"
#include "analysis/fate.h"
#include "model/packet.h"
#include "report/json.h"
#include "report/output.h"
#include "report/verdict.h"

/* Bytes of a valid UTF-8 sequence at s (RFC 3629: no overlongs, no surrogates), 0 if invalid. */
static int utf8_valid(const unsigned char *s)
{
	int n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;

	if (!n || s[0] > 0xf4)
		return 0;
	for (int i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
	    (n == 4 && s[0] == 0xf0 && s[1] < 0x90) || (n == 4 && s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return n;
}

void json_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");

	fputc('"', f);
	while (*s) {
		int n;

		if (*s == '"' || *s == '\\') {
			fprintf(f, "\\%c", *s++);
		} else if (*s == '\n') {
			fputs("\\n", f), s++;
		} else if (*s == '\t') {
			fputs("\\t", f), s++;
		} else if (*s < 0x20 || *s == 0x7f) {
			fprintf(f, "\\u%04x", *s++);
		} else if (*s < 0x80) {
			fputc(*s++, f);
		} else if ((n = utf8_valid(s))) {
			fwrite(s, 1, n, f);
			s += n;
		} else {
			fputs("\\ufffd", f), s++;	/* a byte that is no character */
		}
	}
	fputc('"', f);
}

static void kv_str(FILE *f, const char *key, const char *val)
{
	fprintf(f, ",\"%s\":", key);
	json_string(f, val);
}

static void head(FILE *f, const char *type)
{
	fprintf(f, "{\"type\":\"%s\",\"v\":%d", type, JSON_SCHEMA_VERSION);
}

void json_start(FILE *f, const char *command, const char *version, const char *kernel)
{
	head(f, "start");
	kv_str(f, "command", command);
	kv_str(f, "nstrace", version);
	kv_str(f, "kernel", kernel);
	fprintf(f, "}\n");
}

void json_message(FILE *f, const char *text)
{
	char line[1024];
	size_t n = strlen(text);

	/* One object per line of text, without its newline. */
	while (n && text[n - 1] == '\n')
		n--;
	snprintf(line, sizeof(line), "%.*s", (int)n, text);
	head(f, "message");
	kv_str(f, "text", line);
	fprintf(f, "}\n");
}

void json_note(FILE *f, const char *text)
{
	head(f, "note");
	kv_str(f, "text", text);
	fprintf(f, "}\n");
}

static const char *role_word(int role)
{
	return role == TOPO_BRIDGE ? "bridge" : role == TOPO_PORT ? "port" : role == TOPO_ENDPOINT ? "endpoint" : "link";
}

static void addr_field(FILE *f, const char *key, struct in_addr a, int plen)
{
	char b[16];

	if (a.s_addr)
		fprintf(f, ",\"%s\":\"%s/%d\"", key, ip_str(a.s_addr, b, sizeof(b)), plen);
	else
		fprintf(f, ",\"%s\":null", key);
}

static void json_interface(FILE *f, const struct topo *t, int i, const struct netview *net)
{
	const struct topo_if *x = &t->ifs[i];
	const struct link_now *now = net && net->now && i < net->nnow && net->now[i].known ? &net->now[i] : NULL;
	char m[18];

	fprintf(f, "%s{", i ? "," : "");
	fprintf(f, "\"ns\":");
	json_string(f, x->ns_label);
	kv_str(f, "name", x->name);
	fprintf(f, ",\"netns_ino\":%u,\"ifindex\":%d,\"role\":\"%s\"", x->netns_ino, x->ifindex, role_word(x->role));
	addr_field(f, "addr", x->addr, x->prefixlen);
	kv_str(f, "mac", mac_str(x->mac, m, sizeof(m)));
	if (x->peer >= 0)
		fprintf(f, ",\"peer\":{\"ns\":"), json_string(f, t->ifs[x->peer].ns_label),
			kv_str(f, "name", t->ifs[x->peer].name), fputc('}', f);
	if (x->master >= 0)
		kv_str(f, "master", t->ifs[x->master].name);
	if (now) {
		fprintf(f, ",\"now\":{\"exists\":%s,\"up\":%s,\"master_ifindex\":%d", now->exists ? "true" : "false",
			now->flags & 1 ? "true" : "false", now->master_ifindex);
		addr_field(f, "addr", now->addr, now->prefixlen);
		fprintf(f, ",\"addrs\":%d}", now->naddrs);
	}
	fputc('}', f);
}

/* How a command gets into the namespace, as argv words before the command's own. */
static void enter_argv(FILE *f, const struct ns_ref *r)
{
	fprintf(f, ",\"enter\":[");
	if (r->via == NS_VIA_NAME)
		fprintf(f, "\"ip\",\"netns\",\"exec\","), json_string(f, r->arg);
	else if (r->via == NS_VIA_PID)
		fprintf(f, "\"nsenter\",\"-t\","), json_string(f, r->arg), fprintf(f, ",\"-n\"");
	else if (r->via == NS_VIA_PATH) {
		char arg[NS_ARG_MAX + 8];

		snprintf(arg, sizeof(arg), "--net=%s", r->arg);
		fprintf(f, "\"nsenter\","), json_string(f, arg);
	}
	fputc(']', f);
}

void json_topology(FILE *f, const struct topo *t, const struct ns_ref *nss, int nns,
		   const struct netview *net)
{
	head(f, "topology");
	fprintf(f, ",\"namespaces\":[");
	for (int i = 0; i < nns; i++) {
		fprintf(f, "%s{\"name\":", i ? "," : "");
		json_string(f, nss[i].label);
		fprintf(f, ",\"netns_ino\":%u", nss[i].ino);
		enter_argv(f, &nss[i]);
		fputc('}', f);
	}
	fprintf(f, "],\"interfaces\":[");
	for (int i = 0; i < t->n; i++)
		json_interface(f, t, i, net);
	fprintf(f, "]}\n");
}

static const char *source_word(int s)
{
	static const char *const w[] = { "?", "tc", "drop", "netfilter", "fdb", "neigh" };

	return s >= 0 && s <= NSTRACE_SRC_NEIGH ? w[s] : "?";
}

static void wall_time(FILE *f, const struct observed *o, uint64_t ts)
{
	int64_t real = (int64_t)ts + o->clock_offset_ns;
	time_t sec = (time_t)(real / 1000000000);
	struct tm tm;
	char b[32];

	if (!o->clock_offset_ns || real < 0 || !gmtime_r(&sec, &tm)) {
		fprintf(f, ",\"time\":null");
		return;
	}
	strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(f, ",\"time\":\"%s.%09lldZ\"", b, (long long)(real % 1000000000));
}

static void payload_fields(FILE *f, const struct nstrace_event *e)
{
	char s[16], d[16], m[18], n[64];

	if (e->proto != NSTRACE_PROTO_ARP && e->proto != NSTRACE_PROTO_ICMP)
		return;
	fprintf(f, ",\"proto\":\"%s\"", e->proto == NSTRACE_PROTO_ARP ? "arp" : "icmp");
	kv_str(f, "summary", pkt_describe(e, n, sizeof(n)) ? n : "");
	kv_str(f, "saddr", ip_str(e->saddr, s, sizeof(s)));
	kv_str(f, "daddr", ip_str(e->daddr, d, sizeof(d)));
	kv_str(f, "smac", mac_str(e->smac, m, sizeof(m)));
	kv_str(f, "dmac", mac_str(e->dmac, m, sizeof(m)));
	fprintf(f, ",\"len\":%u", e->len);
	if (e->proto == NSTRACE_PROTO_ARP) {
		fprintf(f, ",\"arp\":{\"op\":%u", e->arp_op);
		kv_str(f, "sender_mac", mac_str(arp_sender_mac(e), m, sizeof(m)));
		fputc('}', f);
	} else {
		fprintf(f, ",\"icmp\":{\"type\":%u,\"code\":%u", e->icmp_type, e->icmp_code);
		kv_str(f, "name", icmp_name(e->icmp_type, e->icmp_code, n, sizeof(n)));
		fprintf(f, ",\"id\":%u,\"seq\":%u}", ntohs(e->icmp_id), ntohs(e->icmp_seq));
	}
}

static const char *nud_word(int s)
{
	static const char *const names[] = { "INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED",
					     "NOARP", "PERMANENT" };

	for (int i = 0; i < 8; i++)
		if (s == 1 << i)
			return names[i];
	return s ? "MIXED" : "NONE";
}

static void source_fields(FILE *f, const struct observed *o, const struct nstrace_event *e)
{
	char b[128], ifb[24], m[18], a[16];
	const char *benign;

	switch (e->source) {
	case NSTRACE_SRC_TC:
		fprintf(f, ",\"dir\":\"%s\"", e->dir == NSTRACE_DIR_INGRESS ? "ingress" : "egress");
		break;
	case NSTRACE_SRC_NF:
		fprintf(f, ",\"hook\":\"%s\",\"edge\":\"%s\"", nf_hook_name(e->nf_hook),
			e->nf_edge == NSTRACE_NF_FIRST ? "entered" : "passed");
		break;
	case NSTRACE_SRC_DROP:
		fprintf(f, ",\"drop\":{\"reason\":");
		json_string(f, drop_reason_str(o->nm, e->drop_reason, b, sizeof(b)));
		fprintf(f, ",\"reason_code\":%u", e->drop_reason);
		if (o->nm && o->nm->symbol)
			o->nm->symbol(o->nm->ctx, e->location, b, sizeof(b));
		else
			snprintf(b, sizeof(b), "0x%llx", (unsigned long long)e->location);
		kv_str(f, "location", b);
		benign = drop_benign_why(e, o->nm);
		fprintf(f, ",\"benign\":");
		if (benign)
			json_string(f, benign);
		else
			fprintf(f, "null");
		fputc('}', f);
		break;
	case NSTRACE_SRC_FDB:
		fprintf(f, ",\"fdb\":{\"bridge\":");
		json_string(f, event_dev(o, &(struct nstrace_event){ .netns_ino = e->netns_ino, .ifindex = e->aux }, ifb,
					 sizeof(ifb)));
		kv_str(f, "mac", mac_str(e->smac, m, sizeof(m)));
		fprintf(f, ",\"vlan\":%u}", e->vlan);
		break;
	case NSTRACE_SRC_NEIGH:
		fprintf(f, ",\"neigh\":{\"addr\":\"%s\"", ip_str(e->saddr, a, sizeof(a)));
		kv_str(f, "lladdr", mac_str(e->smac, m, sizeof(m)));
		fprintf(f, ",\"from\":\"%s\",\"to\":\"%s\"}", nud_word(e->state_old), nud_word(e->state_new));
		break;
	}
}

void json_event(FILE *f, const struct observed *o, const struct nstrace_event *e, int packet, long id)
{
	char nsb[32], ifb[24];

	head(f, "event");
	fprintf(f, ",\"id\":%ld,\"ts_ns\":%llu", id, (unsigned long long)e->ts_ns);
	wall_time(f, o, e->ts_ns);
	fprintf(f, ",\"source\":\"%s\"", source_word(e->source));
	kv_str(f, "ns", event_ns(o, e->netns_ino, nsb, sizeof(nsb)));
	fprintf(f, ",\"netns_ino\":%u", e->netns_ino);
	kv_str(f, "dev", event_dev(o, e, ifb, sizeof(ifb)));
	fprintf(f, ",\"ifindex\":%u", e->ifindex);
	if (packet > 0)
		fprintf(f, ",\"packet\":%d", packet);
	source_fields(f, o, e);
	if (e->source != NSTRACE_SRC_FDB && e->source != NSTRACE_SRC_NEIGH)
		payload_fields(f, e);
	fprintf(f, ",\"caplen\":%u}\n", e->caplen <= NSTRACE_FRAME_MAX ? e->caplen : 0);
}

static void fate_fields(FILE *f, const struct observed *o, const struct packet *p)
{
	struct fate ft;
	char b[128], ifb[64];

	packet_fate(o->topo, o->ev, p, o->nm, &ft);
	fprintf(f, ",\"fate\":{\"kind\":\"%s\"", fate_name(ft.kind));
	if (ft.at >= 0) {
		fprintf(f, ",\"at\":{\"ns\":");
		json_string(f, o->topo->ifs[ft.at].ns_label);
		kv_str(f, "dev", topo_if_label(o->topo, ft.at, ifb, sizeof(ifb)));
		fputc('}', f);
	}
	if (ft.via >= 0)
		kv_str(f, "via", o->topo->ifs[ft.via].name);
	if (ft.hook)
		fprintf(f, ",\"hook\":\"%s\"", nf_hook_name(ft.hook->nf_hook));
	if (ft.drop) {
		kv_str(f, "reason", drop_reason_str(o->nm, ft.drop->drop_reason, b, sizeof(b)));
		kv_str(f, "location", drop_location_func(o->nm, ft.drop->location, b, sizeof(b)));
	}
	if (ft.kind == FATE_VANISHED && ft.last >= 0) {
		fprintf(f, ",\"last_seen\":{\"dev\":");
		json_string(f, topo_if_label(o->topo, p->hops[ft.last].ifidx, ifb, sizeof(ifb)));
		fprintf(f, ",\"dir\":\"%s\"}", p->hops[ft.last].egress_seen ? "egress" : "ingress");
	}
	fputc('}', f);
}

void json_packet(FILE *f, const struct observed *o, const struct packet *p, int n, long first_id)
{
	const struct nstrace_event *e = &o->ev[p->events[0]];
	char desc[128], path[1024];

	/* Its addresses as a link saw them: the first tc event has the Ethernet header. */
	for (int i = 0; i < p->nevents; i++)
		if (o->ev[p->events[i]].source == NSTRACE_SRC_TC) {
			e = &o->ev[p->events[i]];
			break;
		}
	head(f, "packet");
	fprintf(f, ",\"n\":%d", n);
	kv_str(f, "summary", pkt_describe(e, desc, sizeof(desc)));
	payload_fields(f, e);
	fprintf(f, ",\"first_ns\":%llu,\"last_ns\":%llu,\"events\":[", (unsigned long long)p->first_ns,
		(unsigned long long)p->last_ns);
	for (int i = 0; i < p->nevents; i++)
		fprintf(f, "%s%ld", i ? "," : "", first_id + i);
	fprintf(f, "],\"hops\":[");
	for (int i = 0; i < p->nhops; i++) {
		const struct hop *h = &p->hops[i];
		const struct topo_if *x = &o->topo->ifs[h->ifidx];

		fprintf(f, "%s{\"ns\":", i ? "," : "");
		json_string(f, x->ns_label);
		kv_str(f, "dev", x->name);
		fprintf(f, ",\"role\":\"%s\",\"evidence\":\"%s\",\"ingress\":%s,\"egress\":%s", role_word(x->role),
			h->evidence == HOP_OBSERVED ? "observed" : "inferred", h->ingress_seen ? "true" : "false",
			h->egress_seen ? "true" : "false");
		if (h->ts_ns)
			fprintf(f, ",\"t_us\":%.1f", (double)(h->ts_ns - p->first_ns) / 1000.0);
		fputc('}', f);
	}
	fputc(']', f);
	kv_str(f, "path", p->nhops ? path_str(o->topo, p, path, sizeof(path)) : "");
	fprintf(f, ",\"delivered\":%s,\"flooded\":%s", p->delivered ? "true" : "false", p->flooded ? "true" : "false");
	fate_fields(f, o, p);
	fprintf(f, "}\n");
}

static void json_command(FILE *f, const struct command *c)
{
	char text[2048];

	fprintf(f, "{\"ns\":");
	json_string(f, c->ns.label[0] ? c->ns.label : "self");
	enter_argv(f, &c->ns);
	fprintf(f, ",\"argv\":[");
	for (int i = 0; i < c->argc; i++) {
		fprintf(f, "%s", i ? "," : "");
		json_string(f, c->argv[i]);
	}
	fprintf(f, "]");
	kv_str(f, "shell", command_str(c, text, sizeof(text)) ? text : "");
	fputc('}', f);
}

static void json_commands(FILE *f, const char *key, const struct command *c, int n)
{
	fprintf(f, ",\"%s\":[", key);
	for (int i = 0; i < n; i++) {
		fprintf(f, "%s", i ? "," : "");
		json_command(f, &c[i]);
	}
	fputc(']', f);
}

static void json_ns_state(FILE *f, const struct ns_state *s)
{
	fprintf(f, "{\"ns\":");
	json_string(f, s->ref.label);
	fprintf(f, ",\"netns_ino\":%u,\"links_known\":%s,\"addrs_known\":%s,\"firewall_known\":%s", s->ref.ino,
		s->links_known ? "true" : "false", s->addrs_known ? "true" : "false", s->firewall_known ? "true" : "false");
	fprintf(f, ",\"bridge_nf_call_iptables\":%d,\"bridge_nf_call_arptables\":%d,\"bridge_nf_call_ip6tables\":%d",
		s->bridge_nf_call_iptables, s->bridge_nf_call_arptables, s->bridge_nf_call_ip6tables);
	fprintf(f, ",\"icmp_echo_ignore_all\":%d,\"ip_forward\":%d,\"rp_filter\":%d,\"arp_ignore\":%d",
		s->icmp_echo_ignore_all, s->ip_forward, s->all.rp_filter, s->all.arp_ignore);
	kv_str(f, "forward_policy", s->forward_policy);
	fprintf(f, ",\"forward_drop_rules\":%d}", s->forward_drop_rules);
}

static void json_link_state(FILE *f, const struct topo *t, int i, const struct link_state *l)
{
	char a[16];

	fprintf(f, "{\"ns\":");
	json_string(f, t->ifs[i].ns_label);
	kv_str(f, "dev", t->ifs[i].name);
	fprintf(f, ",\"known\":%s,\"exists\":%s,\"flags\":%u,\"mtu\":%d,\"master_ifindex\":%d,\"port_state\":%d,\"port_isolated\":%d",
		l->known ? "true" : "false", l->exists ? "true" : "false", l->flags, l->mtu, l->master_ifindex, l->port_state,
		l->port_isolated);
	fprintf(f, ",\"learning\":%d,\"unicast_flood\":%d,\"bcast_flood\":%d", l->port.learning, l->port.unicast_flood,
		l->port.bcast_flood);
	fprintf(f, ",\"br_nf_call_iptables\":%d,\"br_nf_call_arptables\":%d,\"addrs\":[", l->br_nf_call_iptables,
		l->br_nf_call_arptables);
	for (int k = 0; k < l->naddrs && k < STATE_MAX_ADDRS; k++)
		fprintf(f, "%s\"%s/%d\"", k ? "," : "", ip_str(l->addrs[k].s_addr, a, sizeof(a)), l->prefixlens[k]);
	fprintf(f, "]}");
}

/* The route lookups the audit made, as the kernel answered them. */
static void json_routes(FILE *f, const struct state *st)
{
	char a[16], b[16], g[16];

	fprintf(f, ",\"routes\":[");
	for (int i = 0; i < st->nroutes; i++) {
		const struct route_fact *r = &st->routes[i];

		fprintf(f, "%s{\"netns_ino\":%u,\"src\":\"%s\",\"dst\":\"%s\",\"iif\":%d,\"answered\":%s,\"errno\":%d",
			i ? "," : "", r->ns_ino, ip_str(r->src.s_addr, a, sizeof(a)), ip_str(r->dst.s_addr, b, sizeof(b)),
			r->iif, r->answered ? "true" : "false", r->err);
		fprintf(f, ",\"type\":%d,\"oif\":%d,\"gateway\":\"%s\",\"table\":%d}", r->type, r->oif,
			ip_str(r->gateway.s_addr, g, sizeof(g)), r->table);
	}
	fputc(']', f);
}

/* The chains that can drop and their drop rules, with the counters around the trace. */
static void json_firewall(FILE *f, const struct state *st)
{
	fprintf(f, ",\"firewall\":[");
	for (int i = 0; i < st->nchains; i++) {
		const struct fw_chain *c = &st->chains[i];
		int first = 1;

		fprintf(f, "%s{\"netns_ino\":%u,\"backend\":%d,\"family\":\"%s\"", i ? "," : "", c->ns_ino, c->backend,
			fw_family_name(c->family));
		kv_str(f, "table", c->table);
		kv_str(f, "chain", c->name);
		fprintf(f, ",\"hook\":%d,\"priority\":%d,\"policy\":%d", c->hook, c->priority, c->policy);
		kv_str(f, "owner", c->owner);
		fprintf(f, ",\"drop_rules\":[");
		for (int k = 0; k < st->nrules; k++) {
			const struct fw_rule *r = &st->rules[k];

			if (r->chain != i)
				continue;
			fprintf(f, "%s{\"handle\":%llu,\"verdict\":%d,\"packets_before\":%lld,\"packets_after\":%lld",
				first ? "" : ",", (unsigned long long)r->handle, r->verdict, (long long)r->packets_before,
				(long long)r->packets_after);
			kv_str(f, "text", r->text);
			fputc('}', f);
			first = 0;
		}
		fprintf(f, "]}");
	}
	fputc(']', f);
}

void json_verdict(FILE *f, const struct observed *o, const struct flow *fl, const struct verdict *v,
		  const struct state *st)
{
	char a[16];

	head(f, "verdict");
	kv_str(f, "id", v->id);
	fprintf(f, ",\"conclusive\":%s", v->conclusive ? "true" : "false");
	kv_str(f, "cause", v->cause);
	fprintf(f, ",\"flow\":{\"src\":");
	json_string(f, fl->src >= 0 && fl->src < o->topo->n ? o->topo->ifs[fl->src].ns_label : "?");
	fprintf(f, ",\"dst\":\"%s\",\"icmp_id\":%u,\"sent\":%d,\"answered\":%d}", ip_str(fl->dst.s_addr, a, sizeof(a)),
		fl->icmp_id, fl->sent, fl->received);
	fprintf(f, ",\"evidence\":[");
	for (int i = 0; i < v->nevidence; i++) {
		fprintf(f, "%s", i ? "," : "");
		json_string(f, v->evidence[i]);
	}
	fprintf(f, "],\"fixes\":[");
	for (int i = 0; i < v->nfix; i++) {
		const struct fix *x = &v->fix[i];

		fprintf(f, "%s{\"inspect\":%s", i ? "," : "", x->inspect ? "true" : "false");
		kv_str(f, "note", x->note);
		json_commands(f, "steps", x->step, x->nsteps);
		json_commands(f, "revert", x->revert, x->nrevert);
		fputc('}', f);
	}
	fprintf(f, "],\"refused_fixes\":%d,\"state\":{\"namespaces\":[", v->refused_fixes);
	for (int i = 0; st && i < st->nns; i++) {
		fprintf(f, "%s", i ? "," : "");
		json_ns_state(f, &st->ns[i]);
	}
	fprintf(f, "],\"links\":[");
	for (int i = 0; st && st->links && i < o->topo->n && i < st->nlinks; i++) {
		fprintf(f, "%s", i ? "," : "");
		json_link_state(f, o->topo, i, &st->links[i]);
	}
	fputc(']', f);
	if (st) {
		json_routes(f, st);
		json_firewall(f, st);
	}
	fprintf(f, "}}\n");
}

void json_summary(FILE *f, const struct json_summary *s)
{
	head(f, "summary");
	fprintf(f, ",\"mode\":\"%s\"", s->mode);
	if (s->sum) {
		fprintf(f, ",\"probes\":{\"id\":%u,\"sent\":%d,\"answered\":%d", s->sum->id, s->sum->sent, s->sum->received);
		if (s->sum->received)
			fprintf(f, ",\"rtt_ms\":{\"min\":%.3f,\"avg\":%.3f,\"max\":%.3f}", s->sum->rtt_min_ns / 1e6,
				s->sum->rtt_avg_ns / 1e6, s->sum->rtt_max_ns / 1e6);
		fputc('}', f);
	}
	if (s->flows)
		fprintf(f, ",\"flows\":{\"seen\":%d,\"requests\":%ld,\"answered\":%ld,\"unanswered\":%ld,\"in_flight\":%ld}",
			s->flows->flows, s->flows->requests, s->flows->answered, s->flows->requests - s->flows->answered,
			s->flows->in_flight);
	fprintf(f, ",\"drops\":[");
	for (int i = 0; i < s->ndrops; i++) {
		fprintf(f, "%s{\"reason\":", i ? "," : "");
		json_string(f, s->drops[i].reason);
		fprintf(f, ",\"count\":%ld,\"benign\":%s}", s->drops[i].count, s->drops[i].benign ? "true" : "false");
	}
	fprintf(f, "],\"events\":%ld,\"packets\":%ld,\"lost\":%llu,\"verdicts\":%d,\"exit_code\":%d}\n", s->events,
		s->packets, (unsigned long long)s->lost, s->verdicts, s->exit_code);
}
