// SPDX-License-Identifier: GPL-2.0
/* anonlazy-top: the command line. */
#define _GNU_SOURCE
#include "top_opts.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anonlazy.h"
#include "esc.h"
#include "top_bpf.h"

const char top_usage[] =
"Usage: anonlazy-top [options] [interval [count]]\n"
"\n"
"The anonlazy counters with rates, slab caches, census, rmap walk latency\n"
"and processes, redrawn every interval seconds (default 1), count times\n"
"(default: until interrupted). Reads the module's debugfs files, or a\n"
"running anonlazy-bpf's socket; never writes reset.\n"
"\n"
"Options:\n"
"  -C, --noclear        do not clear the screen between frames, nor cut\n"
"                       them to the terminal's height and width\n"
"  -s, --sort KEY       sort processes by KEY: pid, comm, vmas, none, regular,\n"
"                       lazy, parent, anon_vmas, chains, est_lazy, est_parent,\n"
"                       est_saved_bytes, exact_vmas, exact_lazy, bound_vmas,\n"
"                       bound_lazy, bound_parent (default vmas; comm and pid\n"
"                       ascending, the others descending)\n"
"  -r, --rows ROWS      show at most ROWS processes (default 20)\n"
"  -p, --pid PID        show only process PID\n"
"      --once           print one frame and exit (count 1)\n"
"      --source SRC     module, bpf or auto (default): auto reads the module's\n"
"                       directory when it exists, else anonlazy-bpf's socket;\n"
"                       bpf reads a running anonlazy-bpf --stats-socket PATH\n"
"                       (no census then: it is the module's)\n"
"      --bpf-socket PATH  anonlazy-bpf's socket for --source bpf or auto\n"
"                       (default " TOP_BPF_SOCKET_DEFAULT ")\n"
"      --json           one JSON object per frame, one line each\n"
"                       (schema anonlazy-top/1)\n"
"      --prometheus     one Prometheus text exposition, then exit (for\n"
"                       node_exporter's textfile collector)\n"
"      --debugfs DIR    read DIR instead of /sys/kernel/debug/anon_vma_lazy\n"
"                       (a recorded copy), and DIR/slabinfo when it exists\n"
"      --slabinfo FILE  read FILE instead of /proc/slabinfo\n"
"  -h, --help           print this help and exit\n"
"\n"
"Keys, when stdin and stdout are a terminal (text, more than one frame):\n"
"  q                    quit\n"
"  p                    pause redrawing; p again resumes with a new frame\n"
"  v a c l r s          sort processes by vmas, anon_vmas, chains, lazy,\n"
"                       regular, est_saved_bytes\n"
"  i m                  sort processes by pid, comm\n"
"\n"
"Exit status: 0 done, 1 a file or the socket could not be read or parsed,\n"
"2 bad usage.\n";

const char *top_sort_name(int k)
{
	if (k == TOP_SORT_COMM)
		return ANONLAZY_PROC_COMM_COL;
	if (k >= 0 && k < ANONLAZY_NR_PROC_COLS)
		return anonlazy_proc_cols[k];
	return "?";
}

static int parse_sort(const char *v, int *out)
{
	if (!strcmp(v, ANONLAZY_PROC_COMM_COL)) {
		*out = TOP_SORT_COMM;
		return 0;
	}
	for (int k = 0; k < ANONLAZY_NR_PROC_COLS; k++)
		if (!strcmp(v, anonlazy_proc_cols[k])) {
			*out = k;
			return 0;
		}
	return -1;
}

/* A decimal integer in [lo, hi], nothing else. */
static int parse_long(const char *v, long lo, long hi, long *out)
{
	char *end;
	long x;

	if (!*v || *v == ' ' || *v == '+')
		return -1;
	errno = 0;
	x = strtol(v, &end, 10);
	if (errno || *end || x < lo || x > hi)
		return -1;
	*out = x;
	return 0;
}

static int parse_interval(const char *v, double *out)
{
	char *end;
	double x;

	if (!*v || !((*v >= '0' && *v <= '9') || *v == '.'))
		return -1;
	errno = 0;
	x = strtod(v, &end);
	if (errno || *end || !isfinite(x) || x <= 0 || x > TOP_MAX_INTERVAL)
		return -1;
	*out = x;
	return 0;
}

/* The long options that take a value, and their short forms. */
static const struct {
	const char *lng;
	char shrt;
} valued[] = {
	{ "--sort", 's' }, { "--rows", 'r' }, { "--pid", 'p' },
	{ "--source", 0 }, { "--debugfs", 0 }, { "--slabinfo", 0 },
	{ "--bpf-socket", 0 },
};

int top_opts_parse(int argc, char **argv, struct top_opts *o,
		   char *err, size_t errlen)
{
	bool once = false, opts_done = false;
	int npos = 0;

	memset(o, 0, sizeof(*o));
	o->interval = 1.0;
	o->count = -1;
	o->sort = ANONLAZY_PROC_VMAS;
	o->rows = TOP_DEFAULT_ROWS;
	o->pid = -1;
	o->debugfs = ANONLAZY_DEBUGFS_PATH;
	o->slabinfo = "/proc/slabinfo";
	o->bpf_socket = TOP_BPF_SOCKET_DEFAULT;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *name = a;
		char opt = 0, buf[64], q[AL_QUOTE_MAX];
		long x;

		if (opts_done || a[0] != '-' || !a[1] ||
		    (npos == 0 && ((a[1] >= '0' && a[1] <= '9') || a[1] == '.'))) {
			if (npos == 0 && parse_interval(a, &o->interval)) {
				snprintf(err, errlen,
					 "bad interval '%s': want seconds > 0 and <= %.0f, e.g. 1 or 0.5",
					 al_escs(a, q, sizeof(q)), TOP_MAX_INTERVAL);
				return -1;
			}
			if (npos == 1) {
				if (parse_long(a, 1, 1000000000L, &o->count)) {
					snprintf(err, errlen,
						 "bad count '%s': want a whole number from 1 to 1000000000",
						 al_escs(a, q, sizeof(q)));
					return -1;
				}
			}
			if (npos == 2) {
				snprintf(err, errlen,
					 "unexpected argument '%s': want [interval [count]]",
					 al_escs(a, q, sizeof(q)));
				return -1;
			}
			npos++;
			continue;
		}
		if (!strcmp(a, "--")) {
			opts_done = true;
			continue;
		}
		if (a[1] != '-') {
			/* -C, -h, or -s KEY / -sKEY, -r, -p */
			opt = a[1];
			if (strchr("srp", opt)) {
				val = a[2] ? a + 2 : NULL;
				if (!val && i + 1 < argc)
					val = argv[++i];
				if (!val) {
					snprintf(err, errlen, "option -%c needs a value (see --help)",
						 opt);
					return -1;
				}
			} else if (a[2] || !strchr("Ch", opt)) {
				snprintf(err, errlen, "unknown option '%s' (see --help)",
					 al_escs(a, q, sizeof(q)));
				return -1;
			}
		} else {
			const char *eq = strchr(a, '=');
			size_t nl = eq ? (size_t)(eq - a) : strlen(a);
			bool takes = false;

			snprintf(buf, sizeof(buf), "%.*s", (int)(nl < 60 ? nl : 60), a);
			name = buf;
			for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]); k++)
				if (!strcmp(name, valued[k].lng)) {
					takes = true;
					opt = valued[k].shrt;
				}
			if (takes) {
				val = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
				if (!val) {
					snprintf(err, errlen, "option %s needs a value (see --help)",
						 name);
					return -1;
				}
			} else if (eq) {
				snprintf(err, errlen, "option %s takes no value",
					 al_escs(name, q, sizeof(q)));
				return -1;
			} else if (!strcmp(name, "--noclear")) {
				opt = 'C';
			} else if (!strcmp(name, "--help")) {
				opt = 'h';
			} else if (strcmp(name, "--once") && strcmp(name, "--json") &&
				   strcmp(name, "--prometheus")) {
				snprintf(err, errlen, "unknown option '%s' (see --help)",
					 al_escs(a, q, sizeof(q)));
				return -1;
			}
		}
		switch (opt) {
		case 'C':
			o->noclear = true;
			continue;
		case 'h':
			o->help = true;
			continue;
		case 's':
			if (parse_sort(val, &o->sort)) {
				snprintf(err, errlen,
					 "bad sort key '%s': want pid, comm, vmas, none, regular, lazy, parent, anon_vmas, chains, est_lazy, est_parent, est_saved_bytes, exact_vmas, exact_lazy, bound_vmas, bound_lazy or bound_parent",
					 al_escs(val, q, sizeof(q)));
				return -1;
			}
			continue;
		case 'r':
			if (parse_long(val, 1, 100000, &x)) {
				snprintf(err, errlen, "bad rows '%s': want 1 to 100000",
					 al_escs(val, q, sizeof(q)));
				return -1;
			}
			o->rows = (int)x;
			continue;
		case 'p':
			if (parse_long(val, 0, 4194304, &o->pid)) {
				snprintf(err, errlen, "bad pid '%s': want 0 to 4194304",
					 al_escs(val, q, sizeof(q)));
				return -1;
			}
			continue;
		default:
			break;
		}
		if (!strcmp(name, "--once")) {
			once = true;
		} else if (!strcmp(name, "--json")) {
			if (o->format == TOP_FMT_PROM) {
				snprintf(err, errlen, "--json and --prometheus exclude each other");
				return -1;
			}
			o->format = TOP_FMT_JSON;
		} else if (!strcmp(name, "--prometheus")) {
			if (o->format == TOP_FMT_JSON) {
				snprintf(err, errlen, "--json and --prometheus exclude each other");
				return -1;
			}
			o->format = TOP_FMT_PROM;
		} else if (!strcmp(name, "--source")) {
			if (!strcmp(val, "auto"))
				o->source = TOP_SRC_AUTO;
			else if (!strcmp(val, "module"))
				o->source = TOP_SRC_MODULE;
			else if (!strcmp(val, "bpf"))
				o->source = TOP_SRC_BPF;
			else {
				snprintf(err, errlen,
					 "bad source '%s': want module, bpf or auto",
					 al_escs(val, q, sizeof(q)));
				return -1;
			}
		} else if (!strcmp(name, "--debugfs")) {
			if (!*val) {
				snprintf(err, errlen, "--debugfs needs a directory");
				return -1;
			}
			o->debugfs = val;
			o->debugfs_given = true;
		} else if (!strcmp(name, "--bpf-socket")) {
			if (!*val) {
				snprintf(err, errlen, "--bpf-socket needs a path");
				return -1;
			}
			o->bpf_socket = val;
			o->bpf_socket_given = true;
		} else if (!strcmp(name, "--slabinfo")) {
			if (!*val) {
				snprintf(err, errlen, "--slabinfo needs a file");
				return -1;
			}
			o->slabinfo = val;
			o->slabinfo_given = true;
		}
	}
	if (once && o->count > 1) {
		snprintf(err, errlen, "--once and a count of %ld exclude each other",
			 o->count);
		return -1;
	}
	if (o->source == TOP_SRC_BPF && o->debugfs_given) {
		snprintf(err, errlen,
			 "--debugfs reads the module's recorded files: not with --source bpf");
		return -1;
	}
	if (o->source == TOP_SRC_MODULE && o->bpf_socket_given) {
		snprintf(err, errlen, "--bpf-socket is for --source bpf or auto");
		return -1;
	}
	if (once || o->format == TOP_FMT_PROM)
		o->count = 1;
	return 0;
}
