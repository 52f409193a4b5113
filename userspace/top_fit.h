/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy-top: the text screen cut to the terminal (interactive mode):
 * no line longer than the terminal is wide (it would wrap), no more lines
 * than it is high (the first would scroll away), and a last line saying
 * what was left out.
 */
#ifndef ANONLAZY_TOP_FIT_H
#define ANONLAZY_TOP_FIT_H

#include <stdbool.h>
#include <stdio.h>

#include "top_view.h"

/* The terminal's size on fd (TIOCGWINSZ); false when fd has none. */
bool top_term_size(int fd, int *rows, int *cols);

/*
 * How room lines are shared between the histograms' hist lines and the
 * processes' rows when both do not fit: the processes get half (the
 * larger half) or more when the histograms need less, the histograms the
 * rest; neither more than it has.
 */
void top_fit_share(int room, int hist, int rows, int *hist_max, int *rows_max);

/*
 * f's text screen on a terminal of rows x cols (both > 0). When the
 * whole screen has more lines than rows: every other line is kept, the
 * histogram lines and process rows share what is left (top_fit_share()),
 * minus one line for "... N more processes, M more histogram lines"; when
 * even the other lines do not fit, the first rows - 1 of them and "... N
 * more lines" (N: the whole screen's lines not shown). Each line is cut
 * to cols bytes. No newline after the last line (on the last row it would
 * scroll the screen). Returns the lines written.
 */
int top_render_fit(FILE *out, const struct top_frame *f, int rows, int cols);

#endif /* ANONLAZY_TOP_FIT_H */
