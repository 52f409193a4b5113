/* SPDX-License-Identifier: GPL-2.0 */
/* anonlazy-top: the text screen of a frame. */
#ifndef ANONLAZY_TOP_TEXT_H
#define ANONLAZY_TOP_TEXT_H

#include <stdio.h>

#include "top_view.h"

/* Width of a latency bar, in characters (bcc uses 40 for one histogram). */
#define TOP_BAR_WIDTH	20

void top_render_text(FILE *out, const struct top_frame *f);

/* The bar of count in a column whose largest count is max: '*' x width. */
void top_bar(char *buf, uint64_t count, uint64_t max, int width);

#endif /* ANONLAZY_TOP_TEXT_H */
