/* SPDX-License-Identifier: GPL-2.0 */
/*
 * anonlazy-top --json: one object per frame on one line. The schema,
 * "anonlazy-top/1" (a change that breaks a reader bumps the number; new
 * keys do not), is documented in anonlazy-top.1.
 */
#ifndef ANONLAZY_TOP_JSON_H
#define ANONLAZY_TOP_JSON_H

#include <stdio.h>

#include "top_view.h"

#define TOP_JSON_SCHEMA	"anonlazy-top/1"

void top_render_json(FILE *out, const struct top_frame *f);

/* s as a JSON string, quotes included. */
void top_json_str(FILE *out, const char *s);

#endif /* ANONLAZY_TOP_JSON_H */
