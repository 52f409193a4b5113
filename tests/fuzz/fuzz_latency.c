// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-top's reader of the latency file (top_parse_latency()).
 */
#include "fuzz.h"

#include "top_snap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct top_latency lat;
	char err[512];

	if (top_parse_latency("latency", (const char *)data, size, &lat, err, sizeof(err)))
		fz_check_msg(err, sizeof(err));
	return 0;
}
