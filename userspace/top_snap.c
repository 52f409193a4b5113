// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-top: a snapshot of /sys/kernel/debug/anon_vma_lazy/ (or of a
 * recorded copy), every file parsed with the formats of include/anonlazy.h.
 */
#define _GNU_SOURCE
#include "top_snap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "esc.h"
#include "top_file.h"

/* A kernel symbol: [A-Za-z0-9_.], at most TOP_NAME_MAX - 1 bytes. */
static bool symbol(const char *w, size_t n)
{
	if (n == 0 || n >= TOP_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= 'A' && w[i] <= 'Z') ||
		      (w[i] >= '0' && w[i] <= '9') || w[i] == '_' || w[i] == '.'))
			return false;
	return true;
}

/* ---- stats: userspace/stats.c parses; the lines it skips come here ---- */

#define STATS_MAX_WORDS	(ANONLAZY_NR_COUNTERS + TOP_MAX_EXTRA + 1)

static int stats_other(void *ctx, int lineno, const char *line, size_t n,
		       char *err, size_t errlen)
{
	struct top_stats *st = ctx;
	const char *w[STATS_MAX_WORDS];
	size_t wl[STATS_MAX_WORDS];
	uint64_t v;
	int k = top_split(line, n, w, wl, STATS_MAX_WORDS);

	if (k < 1 || !top_ident(w[0], wl[0])) {
		snprintf(err, errlen, "line %d: not '<name> <value>'", lineno);
		return -1;
	}
	if (top_word_is(w[0], wl[0], ANONLAZY_STATS_DISABLED)) {
		for (int i = 1; i < k; i++) {
			char name[TOP_NAME_MAX];
			int idx = -1;

			if (wl[i] < sizeof(name)) {
				memcpy(name, w[i], wl[i]);
				name[wl[i]] = '\0';
				idx = al_counter_index(name);
			}
			if (idx >= 0)
				st->disabled[idx] = true;
		}
		return 0;
	}
	/* A newer module's counter: kept and shown. Other shapes: skipped. */
	if (k != 2 || al_parse_u64(w[1], wl[1], &v))
		return 0;
	for (int i = 0; i < st->n_extra; i++)
		if (top_word_is(w[0], wl[0], st->extra[i].name)) {
			snprintf(err, errlen, "line %d: counter '%s' appears twice",
				 lineno, st->extra[i].name);
			return -1;
		}
	if (st->n_extra == TOP_MAX_EXTRA) {
		snprintf(err, errlen, "line %d: more than %d counters unknown to anonlazy-top",
			 lineno, TOP_MAX_EXTRA);
		return -1;
	}
	memcpy(st->extra[st->n_extra].name, w[0], wl[0]);
	st->extra[st->n_extra].name[wl[0]] = '\0';
	st->extra[st->n_extra].val = v;
	st->n_extra++;
	return 0;
}

/* The n bytes of line lineno (from 1) of text; NULL when there is none. */
static const char *line_at(const char *text, size_t len, int lineno, size_t *n)
{
	struct top_lines l;
	const char *line;
	bool nl;

	top_lines_init(&l, text, len);
	while (top_lines_next(&l, &line, n, &nl))
		if (l.lineno == lineno)
			return line;
	return NULL;
}

int top_parse_stats(const char *file, const char *text, size_t len,
		    struct top_stats *out, char *err, size_t errlen)
{
	char why[200];
	const char *line;
	size_t n = 0;
	int lineno;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return top_bad(err, errlen, file, 0, NULL, 0,
			       "empty file (the module printed no counter: reload it)");
	why[0] = '\0';
	if (!al_stats_parse_other(text, len, &out->s, stats_other, out,
				  why, sizeof(why)))
		return 0;
	/* stats.c and stats_other() name the line as "line N: ..." or not */
	if (sscanf(why, "line %d:", &lineno) == 1 &&
	    (line = line_at(text, len, lineno, &n)))
		return top_bad(err, errlen, file, lineno, line, n, "%s",
			       strchr(why, ':') + 2);
	return top_bad(err, errlen, file, 0, NULL, 0, "%s", why);
}

/* ---- latency ---- */

static uint64_t bucket_lo(int b)
{
	return b == 0 ? 0 : (uint64_t)1 << b;
}

static uint64_t bucket_hi(int b)
{
	return b == 0 ? 1 : b == 63 ? UINT64_MAX : ((uint64_t)1 << (b + 1)) - 1;
}

int top_parse_latency(const char *file, const char *text, size_t len,
		      struct top_latency *out, char *err, size_t errlen)
{
	bool seen[ANONLAZY_NR_WALK_KINDS][ANONLAZY_LATENCY_BUCKETS] = { { 0 } };
	struct top_lines l;
	const char *line;
	size_t n;
	bool nl;

	memset(out, 0, sizeof(*out));
	out->present = true;
	top_lines_init(&l, text, len);
	if (!top_lines_next(&l, &line, &n, &nl))
		return top_bad(err, errlen, file, 0, NULL, 0,
			       "empty file (want the header '%.*s')",
			       (int)strlen(ANONLAZY_LATENCY_HEADER) - 1,
			       ANONLAZY_LATENCY_HEADER);
	if (!nl || n + 1 != strlen(ANONLAZY_LATENCY_HEADER) ||
	    memcmp(line, ANONLAZY_LATENCY_HEADER, n))
		return top_bad(err, errlen, file, l.lineno, line, n,
			       "not the header 'kind lo_ns hi_ns count'");
	while (top_lines_next(&l, &line, &n, &nl)) {
		const char *w[4];
		size_t wl[4];
		uint64_t lo, hi, c;
		int kind = -1, b;

		if (!nl)
			return top_bad(err, errlen, file, l.lineno, line, n,
				       "no newline at end of file (truncated?)");
		if (top_split(line, n, w, wl, 4) != 4 ||
		    al_parse_u64(w[1], wl[1], &lo) || al_parse_u64(w[2], wl[2], &hi) ||
		    al_parse_u64(w[3], wl[3], &c))
			return top_bad(err, errlen, file, l.lineno, line, n,
				       "not '<kind> <lo_ns> <hi_ns> <count>'");
		for (int k = 0; k < ANONLAZY_NR_WALK_KINDS; k++)
			if (top_word_is(w[0], wl[0], anonlazy_walk_kind_names[k]))
				kind = k;
		if (kind < 0) {
			if (top_ident(w[0], wl[0]))
				continue;	/* a newer module's kind */
			return top_bad(err, errlen, file, l.lineno, line, n,
				       "no walk kind");
		}
		for (b = 0; b < ANONLAZY_LATENCY_BUCKETS; b++)
			if (bucket_lo(b) == lo)
				break;
		if (b == ANONLAZY_LATENCY_BUCKETS || bucket_hi(b) != hi)
			return top_bad(err, errlen, file, l.lineno, line, n,
				       "not a log2 bucket (lo 0 or 2^b, hi 1 or 2^(b+1)-1)");
		if (seen[kind][b])
			return top_bad(err, errlen, file, l.lineno, line, n,
				       "bucket appears twice");
		seen[kind][b] = true;
		out->hist[kind][b] = c;
	}
	return 0;
}

/* ---- probes ---- */

static void copy_word(char *dst, size_t size, const char *w, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(dst, w, n);
	dst[n] = '\0';
}

/* The word of s[0..n) that starts at *i, *i moved past it and one space. */
static size_t next_word(const char *s, size_t n, size_t *i, const char **w)
{
	size_t st = *i;

	while (*i < n && s[*i] != ' ')
		(*i)++;
	*w = s + st;
	st = *i - st;
	if (*i < n)
		(*i)++;
	return st;
}

static bool has_prefix(const char *w, size_t n, const char *p)
{
	size_t pl = strlen(p);

	return n > pl && !memcmp(w, p, pl);
}

int top_parse_probes(const char *file, const char *text, size_t len,
		     struct top_probes *out, char *err, size_t errlen)
{
	struct top_lines l;
	const char *line;
	size_t n;
	bool nl;

	memset(out, 0, sizeof(*out));
	out->present = true;
	top_lines_init(&l, text, len);
	while (top_lines_next(&l, &line, &n, &nl)) {
		const char *sym, *kind, *state, *arg;
		size_t i = 0, syml, kindl, statel, argl;
		struct top_probe *p;
		uint64_t v;

		if (!nl)
			return top_bad(err, errlen, file, l.lineno, line, n,
				       "no newline at end of file (truncated?)");
		syml = next_word(line, n, &i, &sym);
		kindl = next_word(line, n, &i, &kind);
		statel = next_word(line, n, &i, &state);
		argl = next_word(line, n, &i, &arg);	/* then a failed one's hint */
		if (!symbol(sym, syml) || !top_ident(kind, kindl) ||
		    kindl >= 16 || !argl)
			goto malformed;
		if (out->n == TOP_MAX_PROBES)
			return top_bad(err, errlen, file, l.lineno, line, n,
				       "more than %d probes", TOP_MAX_PROBES);
		p = &out->p[out->n];
		memset(p, 0, sizeof(*p));
		if (top_word_is(state, statel, ANONLAZY_PROBE_ATTACHED) && i == n &&
		    has_prefix(arg, argl, ANONLAZY_PROBE_MISSED) &&
		    !al_parse_u64(arg + strlen(ANONLAZY_PROBE_MISSED),
				   argl - strlen(ANONLAZY_PROBE_MISSED), &p->missed)) {
			/* attached missed=<n> */
		} else if (top_word_is(state, statel, ANONLAZY_PROBE_FAILED) &&
			   has_prefix(arg, argl, "error=-") &&
			   !al_parse_u64(arg + 7, argl - 7, &v) && v <= 4095) {
			p->error = -(long long)v;
		} else if (top_word_is(state, statel, ANONLAZY_PROBE_OFF) && i == n &&
			   has_prefix(arg, argl, "group=") &&
			   top_ident(arg + 6, argl - 6) && argl - 6 < sizeof(p->group)) {
			copy_word(p->group, sizeof(p->group), arg + 6, argl - 6);
		} else {
			goto malformed;
		}
		copy_word(p->symbol, sizeof(p->symbol), sym, syml);
		copy_word(p->kind, sizeof(p->kind), kind, kindl);
		copy_word(p->state, sizeof(p->state), state, statel);
		out->n++;
		continue;
malformed:
		return top_bad(err, errlen, file, l.lineno, line, n,
			       "not '<symbol> <kind> attached missed=<n>|failed error=<-errno> <hint>|off group=<group>'");
	}
	return 0;
}

/* ---- census ---- */

int top_parse_census(const char *file, const char *text, size_t len,
		     struct top_census *out, char *err, size_t errlen)
{
	struct top_lines l;
	const char *line;
	size_t n;
	bool nl;

	memset(out, 0, sizeof(*out));
	out->present = true;
	if (len == 0)
		return top_bad(err, errlen, file, 0, NULL, 0, "empty file");
	top_lines_init(&l, text, len);
	while (top_lines_next(&l, &line, &n, &nl)) {
		const char *w[2];
		size_t wl[2];
		uint64_t v;
		int key = -1;

		if (!nl)
			return top_bad(err, errlen, file, l.lineno, line, n,
				       "no newline at end of file (truncated?)");
		if (top_split(line, n, w, wl, 2) != 2 || !top_ident(w[0], wl[0]) ||
		    al_parse_u64(w[1], wl[1], &v))
			return top_bad(err, errlen, file, l.lineno, line, n,
				       "not '<key> <u64>'");
		for (int k = 0; k < ANONLAZY_NR_CENSUS_KEYS; k++)
			if (top_word_is(w[0], wl[0], anonlazy_census_names[k]))
				key = k;
		if (key < 0)
			continue;	/* a newer module's key */
		if (out->has[key])
			return top_bad(err, errlen, file, l.lineno, line, n,
				       "key appears twice");
		out->has[key] = true;
		out->val[key] = v;
	}
	return 0;
}

/* ---- processes ---- */

#define PROC_MAX_WORDS	64

int top_parse_processes(const char *file, const char *text, size_t len,
			struct top_procs *out, char *err, size_t errlen)
{
	int colmap[PROC_MAX_WORDS];
	const char *w[PROC_MAX_WORDS];
	size_t wl[PROC_MAX_WORDS], cap = 0;
	struct top_lines l;
	const char *line;
	size_t n;
	bool nl, has_pid = false;
	int ncols, k;

	memset(out, 0, sizeof(*out));
	out->present = true;
	top_lines_init(&l, text, len);
	if (!top_lines_next(&l, &line, &n, &nl))
		return top_bad(err, errlen, file, 0, NULL, 0,
			       "empty file (want 'generation <u64> time_ns <u64>')");
	if (!nl || top_split(line, n, w, wl, 4) != 4 ||
	    !top_word_is(w[0], wl[0], "generation") ||
	    !top_word_is(w[2], wl[2], "time_ns") ||
	    al_parse_u64(w[1], wl[1], &out->generation) ||
	    al_parse_u64(w[3], wl[3], &out->time_ns))
		return top_bad(err, errlen, file, l.lineno, line, n,
			       "not 'generation <u64> time_ns <u64>'");
	if (!top_lines_next(&l, &line, &n, &nl))
		return top_bad(err, errlen, file, 2, NULL, 0,
			       "no header line after line 1 (truncated?)");
	ncols = top_split(line, n, w, wl, PROC_MAX_WORDS);
	if (!nl || ncols < 2 || !top_word_is(w[ncols - 1], wl[ncols - 1],
					     ANONLAZY_PROC_COMM_COL))
		return top_bad(err, errlen, file, l.lineno, line, n,
			       "not a header of column names ending with 'comm'");
	for (k = 0; k < ncols - 1; k++) {
		colmap[k] = -1;
		if (!top_ident(w[k], wl[k]))
			return top_bad(err, errlen, file, l.lineno, line, n,
				       "column %d is no name", k + 1);
		for (int c = 0; c < ANONLAZY_NR_PROC_COLS; c++)
			if (top_word_is(w[k], wl[k], anonlazy_proc_cols[c]))
				colmap[k] = c;
		if (colmap[k] == ANONLAZY_PROC_PID)
			has_pid = true;
	}
	if (!has_pid)
		return top_bad(err, errlen, file, l.lineno, line, n, "no 'pid' column");
	while (top_lines_next(&l, &line, &n, &nl)) {
		struct top_proc *r;

		if (!nl)
			return top_bad(err, errlen, file, l.lineno, line, n,
				       "no newline at end of file (truncated?)");
		if (top_split(line, n, w, wl, PROC_MAX_WORDS) != ncols ||
		    wl[ncols - 1] >= TOP_COMM_MAX)
			return top_bad(err, errlen, file, l.lineno, line, n,
				       "not %d columns of the header, comm last (at most %d bytes)",
				       ncols, TOP_COMM_MAX - 1);
		if (!top_comm_ok(w[ncols - 1], wl[ncols - 1], TOP_COMM_MAX))
			return top_bad(err, errlen, file, l.lineno, line, n,
				       "a comm byte outside 0x21..0x7e (the module prints '?' for those)");
		if (out->n == cap) {
			size_t nc = cap ? cap * 2 : 256;
			struct top_proc *nr = realloc(out->rows, nc * sizeof(*nr));

			if (!nr)
				return top_bad(err, errlen, file, 0, NULL, 0, "out of memory");
			out->rows = nr;
			cap = nc;
		}
		r = &out->rows[out->n];
		memset(r, 0, sizeof(*r));
		for (k = 0; k < ncols - 1; k++) {
			uint64_t v;

			if (al_parse_u64(w[k], wl[k], &v))
				return top_bad(err, errlen, file, l.lineno, line, n,
					       "column %d is not a u64", k + 1);
			if (colmap[k] >= 0)
				r->col[colmap[k]] = v;
		}
		copy_word(r->comm, sizeof(r->comm), w[ncols - 1], wl[ncols - 1]);
		out->n++;
	}
	return 0;
}

/* ---- the directory ---- */

static bool debugfs_mounted(void)
{
	char *buf;
	size_t len;
	bool m;

	if (top_read_file("/proc/mounts", TOP_FILE_MAX, &buf, &len))
		return true;	/* cannot tell: do not claim it is not */
	m = strstr(buf, " /sys/kernel/debug debugfs ") != NULL;
	free(buf);
	return m;
}

int top_check_dir(const char *dir, bool is_default, char *err, size_t errlen)
{
	char probe[4096], q[AL_QUOTE_MAX];
	struct stat st;
	int e;

	al_escs(dir, q, sizeof(q));
	if (stat(dir, &st)) {
		e = errno;
		if (e == EACCES || e == EPERM) {
			snprintf(err, errlen,
				 "%s: permission denied: debugfs is root-only; run anonlazy-top as root (sudo)",
				 q);
		} else if (e == ENOENT && is_default && !debugfs_mounted()) {
			snprintf(err, errlen,
				 "%s: debugfs is not mounted: mount -t debugfs none /sys/kernel/debug",
				 q);
		} else if (e == ENOENT && is_default) {
			snprintf(err, errlen,
				 "%s: no such directory: the anonlazy module is not loaded; insmod anonlazy.ko (scripts/build-module.sh builds it)",
				 q);
		} else if (e == ENOENT) {
			snprintf(err, errlen,
				 "%s: no such directory (--debugfs wants a directory of recorded debugfs files)",
				 q);
		} else {
			snprintf(err, errlen, "%s: %s", q, strerror(e));
		}
		return e;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a directory (--debugfs wants a directory)", q);
		return ENOTDIR;
	}
	if (snprintf(probe, sizeof(probe), "%s/%s", dir, ANONLAZY_STATS_FILE) >=
	    (int)sizeof(probe)) {
		snprintf(err, errlen, "%s: a path too long for its files", q);
		return ENAMETOOLONG;
	}
	al_escs(probe, q, sizeof(q));
	if (access(probe, R_OK)) {
		e = errno;
		if (e == EACCES || e == EPERM)
			snprintf(err, errlen,
				 "%s: permission denied: debugfs is root-only; run anonlazy-top as root (sudo)",
				 q);
		else if (e == ENOENT)
			snprintf(err, errlen,
				 "%s: no such file: not the anonlazy module's directory (or a recording without stats)",
				 q);
		else
			snprintf(err, errlen, "%s: %s", q, strerror(e));
		return e;
	}
	return 0;
}

void top_read_sys(struct top_sys *sys)
{
	struct utsname u;
	char *buf;
	size_t len;
	int e;

	memset(sys, 0, sizeof(*sys));
	sys->sysctl = -1;
	if (uname(&u) == 0)
		snprintf(sys->release, sizeof(sys->release), "%s", u.release);
	else
		snprintf(sys->release, sizeof(sys->release), "?");
	e = top_read_file(ANONLAZY_SYSCTL_PATH, 64, &buf, &len);
	sys->has_lazy = e == 0 || access(ANONLAZY_SYSCTL_PATH, F_OK) == 0;
	if (e == 0) {
		uint64_t v;

		while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
			len--;
		if (!al_parse_u64(buf, len, &v) && v <= 1000)
			sys->sysctl = (int)v;
		free(buf);
	}
}

void top_snap_free(struct top_snap *s)
{
	free(s->procs.rows);
	s->procs.rows = NULL;
	s->procs.n = 0;
	free(s->events.rows);
	s->events.rows = NULL;
	s->events.n = 0;
}

/*
 * Read dir/name into *buf (malloc'd) and its path into path. Returns 1,
 * 0 when an optional file is missing, -1 with one line in err.
 */
static int read_text(const char *dir, const char *name, bool required,
		     char *path, size_t pathlen, char **buf, size_t *len,
		     char *err, size_t errlen)
{
	char q[AL_QUOTE_MAX];
	int e;

	if (snprintf(path, pathlen, "%s/%s", dir, name) >= (int)pathlen) {
		snprintf(err, errlen, "%s: a path too long for its files",
			 al_escs(dir, q, sizeof(q)));
		return -1;
	}
	e = top_read_file(path, TOP_FILE_MAX, buf, len);
	if (e == ENOENT && !required)
		return 0;
	if (!e)
		return 1;
	al_escs(path, q, sizeof(q));
	if (e == EACCES || e == EPERM)
		snprintf(err, errlen,
			 "%s: permission denied: debugfs is root-only; run anonlazy-top as root (sudo)",
			 q);
	else if (e == ENOENT)
		snprintf(err, errlen,
			 "%s: no such file (is the anonlazy module loaded?)", q);
	else if (e == EFBIG)
		snprintf(err, errlen, "%s: larger than %u bytes", q, TOP_FILE_MAX);
	else if (e == TOP_ENOTREG)
		snprintf(err, errlen,
			 "%s: not a regular file (a FIFO, socket or device; want the module's file or a copy)",
			 q);
	else if (e == EISDIR)
		snprintf(err, errlen, "%s: a directory, not a file", q);
	else
		snprintf(err, errlen, "%s: %s", q, strerror(e));
	return -1;
}

enum { F_STATS, F_LATENCY, F_PROBES, F_CENSUS, F_PROCESSES, NR_FILES };

static const char * const file_names[NR_FILES] = {
	[F_STATS] = ANONLAZY_STATS_FILE,
	[F_LATENCY] = ANONLAZY_LATENCY_FILE,
	[F_PROBES] = ANONLAZY_PROBES_FILE,
	[F_CENSUS] = ANONLAZY_CENSUS_FILE,
	[F_PROCESSES] = ANONLAZY_PROCESSES_FILE,
};

static int parse_file(int f, const char *path, const char *buf, size_t len,
		      struct top_snap *s, char *err, size_t errlen)
{
	switch (f) {
	case F_STATS:
		return top_parse_stats(path, buf, len, &s->stats, err, errlen);
	case F_LATENCY:
		return top_parse_latency(path, buf, len, &s->lat, err, errlen);
	case F_PROBES:
		return top_parse_probes(path, buf, len, &s->probes, err, errlen);
	case F_CENSUS:
		return top_parse_census(path, buf, len, &s->census, err, errlen);
	default:
		return top_parse_processes(path, buf, len, &s->procs, err, errlen);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void top_snap_begin(struct top_snap *out)
{
	top_snap_free(out);
	memset(out, 0, sizeof(*out));
	out->t = now();
	top_read_sys(&out->sys);
}

int top_snap_slab(const char *slabinfo, struct top_snap *out,
		  char *err, size_t errlen)
{
	if (!slabinfo) {
		out->slab.status = ENOENT;
		return 0;
	}
	return top_slab_read(slabinfo, &out->slab, err, errlen);
}

int top_snap_read(const char *dir, const char *slabinfo,
		  struct top_snap *out, char *err, size_t errlen)
{
	char path[4096];
	char *buf;
	size_t len;
	int r;

	top_snap_begin(out);
	/* census first, then processes at once: one snapshot (anonlazy.h) */
	for (int f = 0; f < NR_FILES; f++) {
		r = read_text(dir, file_names[f], f == F_STATS, path, sizeof(path),
			      &buf, &len, err, errlen);
		if (r < 0)
			return -1;
		if (r == 0)
			continue;
		r = parse_file(f, path, buf, len, out, err, errlen);
		free(buf);
		if (r)
			return -1;
	}
	return top_snap_slab(slabinfo, out, err, errlen);
}
