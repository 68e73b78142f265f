// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "report/output.h"
#include "report/report.h"

void report_observed(FILE *f, const struct observed *o)
{
	print_packets(f, o->topo, o->ev, o->pl, o->nm);
	fprintf(f, "\n");
	if (o->sum)
		print_probe_summary(f, o->sum);
	print_drops(f, o->topo, o->ev, o->nev, o->nm);
	fprintf(f, "events: %d observed", o->nev);
	if (o->lost)
		fprintf(f, ", %llu LOST (ring buffer full): the paths above may miss hops",
			(unsigned long long)o->lost);
	fprintf(f, "\n");
}
