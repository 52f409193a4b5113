// SPDX-License-Identifier: GPL-2.0
/* anonlazy-top: the text screen cut to the terminal's size. */
#define _GNU_SOURCE
#include "top_fit.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "top_text.h"

bool top_term_size(int fd, int *rows, int *cols)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) || !ws.ws_row || !ws.ws_col)
		return false;
	*rows = ws.ws_row;
	*cols = ws.ws_col;
	return true;
}

void top_fit_share(int room, int hist, int rows, int *hist_max, int *rows_max)
{
	int r;

	if (room < 0)
		room = 0;
	r = room - room / 2;
	if (room - hist > r)
		r = room - hist;
	*rows_max = r < rows ? r : rows;
	*hist_max = room - *rows_max < hist ? room - *rows_max : hist;
}

/* f's text within cut, malloc'ed, and its lines; NULL when out of memory. */
static char *render(const struct top_frame *f, struct top_text_cut *cut, int *lines)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return NULL;
	top_render_text_cut(m, f, cut);
	if (fclose(m)) {
		free(buf);
		return NULL;
	}
	*lines = 0;
	for (size_t i = 0; i < len; i++)
		*lines += buf[i] == '\n';
	return buf;
}

/*
 * The line at s, cut to cols bytes, after a newline unless it is the
 * first one written. Returns the next line.
 */
static const char *put_line(FILE *out, const char *s, int cols, int *written)
{
	const char *e = strchrnul(s, '\n');
	size_t n = (size_t)(e - s);

	if (*written)
		fputc('\n', out);
	fwrite(s, 1, n < (size_t)cols ? n : (size_t)cols, out);
	(*written)++;
	return *e ? e + 1 : e;
}

/* ", N more WHAT" (WHATs unless N is 1) at the end of buf; nothing for 0. */
static void more_of(char *buf, size_t size, int n, const char *one, const char *many)
{
	size_t l = strlen(buf);

	if (n > 0 && l < size)
		snprintf(buf + l, size - l, "%s%d more %s", l > 3 ? ", " : " ", n,
			 n == 1 ? one : many);
}

int top_render_fit(FILE *out, const struct top_frame *f, int rows, int cols)
{
	static const char hint[] = " (a taller terminal, or -C, shows all)";
	struct top_text_cut cut = { .hist_max = -1, .rows_max = -1 };
	int total, lines, keep, written = 0;
	char more[256] = "";
	char *buf = render(f, &cut, &total);

	if (!buf)
		goto plain;
	keep = total;
	if (total > rows) {
		/* the lines that never give way, and the one saying what did */
		int room = rows - 1 - (total - cut.hist_lines - cut.rows);
		struct top_text_cut c;

		top_fit_share(room, cut.hist_lines, cut.rows, &c.hist_max, &c.rows_max);
		free(buf);
		buf = render(f, &c, &lines);
		if (!buf)
			goto plain;
		strcpy(more, "...");
		if (lines <= rows - 1) {
			keep = lines;
			more_of(more, sizeof(more), c.rows - c.rows_shown, "process", "processes");
			more_of(more, sizeof(more), c.hist_lines - c.hist_shown,
				"histogram line", "histogram lines");
		} else {
			keep = rows - 1;
			more_of(more, sizeof(more), total - keep, "line", "lines");
		}
		strncat(more, hint, sizeof(more) - strlen(more) - 1);
	}
	for (const char *s = buf; written < keep;)
		s = put_line(out, s, cols, &written);
	if (*more)
		put_line(out, more, cols, &written);
	free(buf);
	return written;
plain:
	top_render_text(out, f);
	return 0;
}
