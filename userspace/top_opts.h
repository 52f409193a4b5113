/* SPDX-License-Identifier: GPL-2.0 */
/* anonlazy-top: the command line. */
#ifndef ANONLAZY_TOP_OPTS_H
#define ANONLAZY_TOP_OPTS_H

#include <stdbool.h>
#include <stddef.h>

enum top_source { TOP_SRC_AUTO, TOP_SRC_MODULE, TOP_SRC_BPF };
enum top_format { TOP_FMT_TEXT, TOP_FMT_JSON, TOP_FMT_PROM };

/* Sort keys: a processes column (enum anonlazy_proc_col) or this. */
#define TOP_SORT_COMM	(-1)

struct top_opts {
	double interval;		/* seconds, default 1 */
	long count;			/* frames; -1: until interrupted */
	bool noclear;			/* -C */
	int sort;			/* -s: column, or TOP_SORT_COMM */
	int rows;			/* -r, default 20 */
	long pid;			/* -p, -1: every process */
	enum top_source source;
	enum top_format format;
	const char *debugfs;		/* --debugfs, or the module's path */
	bool debugfs_given;
	const char *slabinfo;		/* --slabinfo, default /proc/slabinfo */
	bool slabinfo_given;
	const char *bpf_socket;		/* --bpf-socket, or TOP_BPF_SOCKET_DEFAULT */
	bool bpf_socket_given;
	bool help;
};

#define TOP_DEFAULT_ROWS	20
#define TOP_MAX_INTERVAL	86400.0

/* The --help text; the man page lists the same options (a test checks). */
extern const char top_usage[];

/*
 * Parse argv into o. Returns 0, or -1 with one line in err (the bad
 * option or value and what is wanted). -h sets o->help.
 */
int top_opts_parse(int argc, char **argv, struct top_opts *o,
		   char *err, size_t errlen);

/* The name of sort key k ("comm" or a processes column). */
const char *top_sort_name(int k);

#endif /* ANONLAZY_TOP_OPTS_H */
