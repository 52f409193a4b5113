// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-top's reader of /proc/slabinfo (top_parse_slabinfo()), and
 * the KB it derives from a line (top_slab_kb(), saturated).
 */
#include "fuzz.h"

#include "top_slab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct top_slab s;
	char err[512];

	if (top_parse_slabinfo("slabinfo", (const char *)data, size, &s, err, sizeof(err))) {
		fz_check_msg(err, sizeof(err));
		return 0;
	}
	for (int k = 0; k < TOP_NR_SLAB; k++)
		(void)top_slab_kb(&s.c[k]);
	return 0;
}
