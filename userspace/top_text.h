/* SPDX-License-Identifier: GPL-2.0 */
/* anonlazy-top: the text screen of a frame. */
#ifndef ANONLAZY_TOP_TEXT_H
#define ANONLAZY_TOP_TEXT_H

#include <stdio.h>

#include "top_view.h"

/* Width of a latency bar, in characters (bcc uses 40 for one histogram). */
#define TOP_BAR_WIDTH	20

void top_render_text(FILE *out, const struct top_frame *f);

/*
 * The parts of the screen that give way on a short terminal (top_fit.c):
 * the latency histograms' lines and the processes' rows (the BPF
 * source's process events). Limits in, counts out. A histogram's column
 * line is shown only with at least one of its rows; the rows shown are
 * the first ones, and every other line is as top_render_text() prints it.
 */
struct top_text_cut {
	int hist_max;		/* histogram lines to show, < 0: all */
	int rows_max;		/* process rows to show, < 0: all */
	int hist_lines;		/* out: the histogram lines of the frame */
	int hist_shown;		/* out: of those, shown */
	int rows;		/* out: the process rows of the frame */
	int rows_shown;		/* out: of those, shown */
};

/* top_render_text() within cut's limits (NULL: none), counting into it. */
void top_render_text_cut(FILE *out, const struct top_frame *f, struct top_text_cut *cut);

/* The bar of count in a column whose largest count is max: '*' x width. */
void top_bar(char *buf, uint64_t count, uint64_t max, int width);

#endif /* ANONLAZY_TOP_TEXT_H */
