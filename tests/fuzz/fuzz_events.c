// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-top's reader of anonlazy-bpf's processes section, the
 * events of each process (top_parse_events()): rows or off, and every
 * comm kept is printable.
 */
#include "fuzz.h"

#include "top_snap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct top_events e;
	char err[512];

	if (top_parse_events("events", (const char *)data, size, &e, err, sizeof(err))) {
		fz_check_msg(err, sizeof(err));
	} else {
		FZ_ASSERT(!(e.off && e.present));
		for (size_t i = 0; i < e.n; i++)
			FZ_ASSERT(top_comm_ok(e.rows[i].comm, strlen(e.rows[i].comm),
					      TOP_COMM_MAX));
	}
	free(e.rows);
	return 0;
}
