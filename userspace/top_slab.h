/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy-top: the anon_vma, anon_vma_chain and vm_area_struct lines of
 * /proc/slabinfo (slabinfo version 2.1).
 */
#ifndef ANONLAZY_TOP_SLAB_H
#define ANONLAZY_TOP_SLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum top_slab_cache_id {
	TOP_SLAB_ANON_VMA,
	TOP_SLAB_ANON_VMA_CHAIN,
	TOP_SLAB_VMA,
	TOP_NR_SLAB
};

extern const char * const top_slab_names[TOP_NR_SLAB];

struct top_slab_cache {
	bool present;			/* a line for it (merged caches have none) */
	uint64_t active_objs, num_objs, objsize;
};

struct top_slab {
	int status;			/* 0 read, else the errno of the read */
	struct top_slab_cache c[TOP_NR_SLAB];
};

/* Objects in use and their KB (active_objs * objsize / 1024, saturated). */
uint64_t top_slab_kb(const struct top_slab_cache *c);

/* The first line of slabinfo 2.x (2.1 since Linux 2.6.10). */
#define TOP_SLAB_HEADER	"slabinfo - version: 2."

/*
 * Parse slabinfo text: its first line TOP_SLAB_HEADER..., then lines of
 * other caches are skipped; a line of one of ours that does not parse
 * fails. 0, or -1 with one line in err.
 */
int top_parse_slabinfo(const char *file, const char *text, size_t len,
		       struct top_slab *out, char *err, size_t errlen);

/*
 * Read and parse path; a missing or unreadable file sets status, returns
 * 0; a directory, FIFO, socket or device fails (-1, one line in err).
 */
int top_slab_read(const char *path, struct top_slab *out, char *err, size_t errlen);

#endif /* ANONLAZY_TOP_SLAB_H */
