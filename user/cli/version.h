/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef NSTRACE_CLI_VERSION_H
#define NSTRACE_CLI_VERSION_H

/* Also in the man page (man/nstrace.8) and the record files it writes. */
#define NSTRACE_VERSION "0.5.0"

#endif
