// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-top's reader of the census file (top_parse_census()).
 */
#include "fuzz.h"

#include "top_snap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct top_census c;
	char err[512];

	if (top_parse_census("census", (const char *)data, size, &c, err, sizeof(err)))
		fz_check_msg(err, sizeof(err));
	return 0;
}
