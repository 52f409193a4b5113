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
	/* false: the file had no line for this counter (val is 0) */
	bool present[ANONLAZY_NR_COUNTERS];
};

/* Largest stats file the readers accept. */
#define AL_STATS_MAX 8192

/*
 * Parse the text of a stats file: "<name> <value>" lines. A counter this
 * header lists must have an unsigned decimal value and appear at most
 * once. A line whose first word this header does not know (a newer
 * module's counter, or a line of another kind) is skipped whatever
 * follows it. A counter the header lists but the file lacks (an older
 * module) is not an error: its present[] is false and its val 0; the
 * caller decides (al_stats_absent()). A file without any counter this
 * header knows is refused. Returns 0, or -1 with a message in err.
 */
int al_stats_parse(const char *text, size_t len, struct al_stats *out,
		   char *err, size_t errlen);

/*
 * al_stats_parse(), and for each line it skips (its first word is no
 * counter this header knows: a newer module's counter, the "disabled"
 * line) other(ctx, lineno, line, n, err, errlen) with the line's n bytes
 * (no newline). other returns 0 to go on, or -1 with a message in err to
 * fail the parse. NULL other: al_stats_parse().
 */
typedef int (*al_stats_other_fn)(void *ctx, int lineno, const char *line,
				 size_t n, char *err, size_t errlen);
int al_stats_parse_other(const char *text, size_t len, struct al_stats *out,
			 al_stats_other_fn other, void *ctx,
			 char *err, size_t errlen);

/*
 * Read and parse a stats file. Returns 0, or -1 with errno set and a
 * message in err that names the path and the cause (missing, no
 * permission, malformed, too large).
 */
int al_stats_read(const char *path, struct al_stats *out,
		  char *err, size_t errlen);

/*
 * The names of the counters s lacks, space-separated, in the header's
 * order, into buf ("" when none). Returns how many.
 */
int al_stats_absent(const struct al_stats *s, char *buf, size_t len);

/*
 * An unsigned decimal of n bytes (no sign, no space, at most 2^64 - 1)
 * into *out: 0, or -1 when it is not one.
 */
int al_parse_u64(const char *s, size_t n, uint64_t *out);

/* Look a counter up by name: its index, or -1. */
int al_counter_index(const char *name);

#endif /* ANONLAZY_STATS_H */
