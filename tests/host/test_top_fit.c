// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of anonlazy-top's screen cut to the terminal
 * (userspace/top_fit.c): how the histograms and the processes share the
 * lines left, and the first frame of the recorded normal tree (14
 * histogram lines in two pairs, 4 processes) on terminals of several
 * sizes, compared line by line with the whole screen. The same on a real
 * terminal: test_top_tty.sh.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "top_fit.h"
#include "top_text.h"
#include "top_view.h"

#define DATA "tests/host/data/top/"
#define HINT " (a taller terminal, or -C, shows all)"
#define MAXL 256

static struct top_snap snap;
static struct top_opts o;
static struct top_frame f = { .cur = &snap, .o = &o, .source = "module", .seq = 1 };

/* The whole screen, split into lines, and where its flexible parts are. */
static char *full, *line[MAXL];
static int nl, hist_at, hist_n, rows_at, rows_n;

static void test_share(void)
{
	int h, r, ok = 1;

	top_fit_share(4, 14, 4, &h, &r);
	ok &= h == 2 && r == 2;
	top_fit_share(5, 14, 4, &h, &r);
	ok &= h == 2 && r == 3;
	top_fit_share(10, 2, 20, &h, &r);
	ok &= h == 2 && r == 8;
	top_fit_share(10, 20, 3, &h, &r);
	ok &= h == 7 && r == 3;
	top_fit_share(100, 14, 4, &h, &r);
	ok &= h == 14 && r == 4;
	top_fit_share(0, 14, 4, &h, &r);
	ok &= h == 0 && r == 0;
	top_fit_share(-7, 14, 4, &h, &r);
	ok &= h == 0 && r == 0;
	CHECK(ok, "top fit: processes get the larger half, or more when the histograms need less");
}

static char *fit(int rows, int cols, int *written)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);

	*written = top_render_fit(m, &f, rows, cols);
	fclose(m);
	return buf;
}

/*
 * The whole screen with the first hs histogram lines and ps process rows
 * only, then more (NULL: none); no newline at the end.
 */
static char *expect(int hs, int ps, const char *more)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	int w = 0;

	for (int i = 0; i < nl; i++) {
		if (i >= hist_at + hs && i < hist_at + hist_n)
			continue;
		if (i >= rows_at + ps && i < rows_at + rows_n)
			continue;
		fprintf(m, "%s%s", w++ ? "\n" : "", line[i]);
	}
	if (more)
		fprintf(m, "\n%s", more);
	fclose(m);
	return buf;
}

static void check_fit(int rows, int hs, int ps, const char *more, const char *name)
{
	int written, want = nl - (hist_n - hs) - (rows_n - ps) + (more != NULL);
	char *got = fit(rows, 1000, &written), *exp = expect(hs, ps, more);

	CHECK(got && !strcmp(got, exp) && written == want && written <= rows, name);
	if (got && strcmp(got, exp))
		printf("got:\n%s\nwant:\n%s\n", got, exp);
	free(got);
	free(exp);
}

/* The lines of the whole screen; false when the tree is not as expected. */
static bool split_full(void)
{
	char err[1024];
	size_t n = 0;
	FILE *m;
	struct top_text_cut all = { .hist_max = -1, .rows_max = -1 };

	if (top_opts_parse(1, (char *[]){ "anonlazy-top", NULL }, &o, err, sizeof(err)) ||
	    top_snap_read(DATA "normal", DATA "normal/slabinfo", &snap, err, sizeof(err)))
		return false;
	m = open_memstream(&full, &n);
	top_render_text_cut(m, &f, &all);
	fclose(m);
	for (char *s = full, *e; *s && nl < MAXL; s = e + 1) {
		e = strchr(s, '\n');
		if (!e)
			return false;
		*e = '\0';
		if (!strncmp(s, "RMAP WALK LATENCY", 17))
			hist_at = nl + 1;
		if (strstr(s, " PID COMM "))
			rows_at = nl + 1;
		line[nl++] = s;
	}
	for (hist_n = 0; hist_at && *line[hist_at + hist_n]; hist_n++)
		;
	rows_n = rows_at ? nl - rows_at : 0;
	return hist_n == all.hist_lines && hist_n == 14 && rows_n == all.rows && rows_n == 4 &&
	       all.hist_shown == 14 && all.rows_shown == 4;
}

static void test_fit(void)
{
	int other, written;
	char *got, more[256];

	if (!split_full()) {
		CHECK(0, "top fit: the normal tree's first frame: 14 histogram lines, 4 processes");
		return;
	}
	other = nl - hist_n - rows_n;
	check_fit(nl, hist_n, rows_n, NULL, "top fit: as many rows as lines: the whole screen");
	check_fit(nl + 30, hist_n, rows_n, NULL, "top fit: a taller terminal: the whole screen");
	check_fit(nl - 1, 12, 4, "... 2 more histogram lines" HINT,
		  "top fit: one row short: 2 histogram lines for the processes and the line saying so");
	check_fit(other + 5, 2, 2, "... 2 more processes, 12 more histogram lines" HINT,
		  "top fit: 4 rows left: 2 processes, a histogram's column line and its first row");
	check_fit(other + 14, 8, 4, "... 6 more histogram lines" HINT,
		  "top fit: room for one line of the second histogram: not its column line alone");
	check_fit(other + 1, 0, 0, "... 4 more processes, 14 more histogram lines" HINT,
		  "top fit: no room left: no process, no histogram line");

	/* shorter than the other lines: the top of the screen, cut to width */
	got = fit(20, 40, &written);
	snprintf(more, sizeof(more), "... %d more lines" HINT, nl - 19);
	more[40] = '\0';
	{
		char *exp = NULL, *l;
		size_t n = 0;
		FILE *m = open_memstream(&exp, &n);
		int longest = 0, lines = 1;

		for (int i = 0; i < 19; i++)
			fprintf(m, "%.40s\n", line[i]);
		fprintf(m, "%s", more);
		fclose(m);
		for (l = got; l && *l; l++) {
			char *e = strchrnul(l, '\n');

			if (e - l > longest)
				longest = (int)(e - l);
			lines += *e == '\n';
			l = *e ? e : e - 1;
		}
		CHECK(got && !strcmp(got, exp) && written == 20 && lines == 20 && longest == 40,
		      "top fit: 20 x 40: the first 19 lines cut to 40 columns, then '... N more lines'");
		if (got && strcmp(got, exp))
			printf("got:\n%s\nwant:\n%s\n", got, exp);
		free(exp);
	}
	free(got);
	got = fit(1, 1000, &written);
	snprintf(more, sizeof(more), "... %d more lines" HINT, nl);
	CHECK(got && !strcmp(got, more) && written == 1, "top fit: one row: the line saying what is left out");
	free(got);
}

int main(void)
{
	test_init();
	test_share();
	test_fit();
	free(full);
	top_snap_free(&snap);
	return test_exit();
}
