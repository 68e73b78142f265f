/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The audit behind a verdict, printed per object on the probe's way (--explain). */
#ifndef NSTRACE_REPORT_AUDIT_H
#define NSTRACE_REPORT_AUDIT_H

#include <stdio.h>
#include "analysis/diagnose.h"

/* Nothing when e carries no audit or no plan (diagnose() made the plan: pass its evidence). */
void report_audit(FILE *f, const struct evidence *e);

#endif
