/* SPDX-License-Identifier: GPL-2.0 */
/* Reader of /sys/kernel/debug/anon_vma_lazy/stats. */
#ifndef ANONLAZY_STATS_H
#define ANONLAZY_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "anonlazy.h"

struct al_stats {
	uint64_t val[ANONLAZY_NR_COUNTERS];
};

/* Largest stats file the readers accept. */
#define AL_STATS_MAX 8192

/*
 * Parse the text of a stats file. Every counter the header lists must be
 * present exactly once with an unsigned decimal value; names this header
 * does not know (a newer module) are skipped. Returns 0, or -1 with a
 * message in err.
 */
int al_stats_parse(const char *text, size_t len, struct al_stats *out,
		   char *err, size_t errlen);

/*
 * Read and parse a stats file. Returns 0, or -1 with errno set and a
 * message in err that names the path and the cause (missing, no
 * permission, malformed, too large).
 */
int al_stats_read(const char *path, struct al_stats *out,
		  char *err, size_t errlen);

/* Look a counter up by name: its index, or -1. */
int al_counter_index(const char *name);

#endif /* ANONLAZY_STATS_H */
