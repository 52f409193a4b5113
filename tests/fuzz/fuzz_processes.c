// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-top's reader of the census processes file
 * (top_parse_processes()): every row it keeps has a comm of 1 to 63 bytes
 * in 0x21..0x7e, as the module prints it.
 */
#include "fuzz.h"

#include "top_snap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct top_procs p;
	char err[512];

	if (top_parse_processes("processes", (const char *)data, size, &p, err,
				sizeof(err))) {
		fz_check_msg(err, sizeof(err));
	} else {
		for (size_t i = 0; i < p.n; i++)
			FZ_ASSERT(top_comm_ok(p.rows[i].comm, strlen(p.rows[i].comm),
					      TOP_COMM_MAX));
	}
	free(p.rows);
	return 0;
}
