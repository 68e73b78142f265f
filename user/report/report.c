// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "report/output.h"
#include "report/report.h"

void report_observed(struct textout *tx, const struct observed *o)
{
	if (!tx->f)
		return;
	if (!tx->quiet) {
		print_packets(tx, o);
		fprintf(tx->f, "\n");
	}
	if (o->sum)
		print_probe_summary(tx, o->sum);
	if (tx->quiet)
		print_drops_brief(tx, o);
	else
		print_drops(tx, o);
	fprintf(tx->f, "events: %d observed", o->nev + o->nlearn);
	if (o->lost)
		fprintf(tx->f, ", %s%llu LOST%s (ring buffer full): paths may miss hops; fewer probes at once "
			"(--interval) loses fewer", tx_c(tx, TX_RED), (unsigned long long)o->lost, tx_c(tx, TX_RESET));
	fprintf(tx->f, "\n");
}
