// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-bpf's answer on its socket, as anonlazy-top --source bpf reads
 * it (top_snap_read_text()): "== <section>" lines, each section by its
 * parser, or an "error: " line. The input up to its first NUL byte is the
 * answer; after it, the previous frame's. An answer that parses is drawn
 * (render.h).
 */
#include "render.h"

#include "top_snap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct top_snap cur, prev;
	const uint8_t *z;
	uint8_t pick = size ? data[0] : 0;
	size_t n;
	char err[1024];
	bool two = false;

	if (size) {
		data++;
		size--;
	}
	z = memchr(data, 0, size);
	n = z ? (size_t)(z - data) : size;
	if (top_snap_read_text("/run/al.sock", (const char *)data, n, NULL, &cur, err,
			       sizeof(err))) {
		fz_check_msg(err, sizeof(err));
		goto out;
	}
	if (z) {
		two = !top_snap_read_text("/run/al.sock", (const char *)z + 1,
					  size - n - 1, NULL, &prev, err, sizeof(err));
		if (!two)
			fz_check_msg(err, sizeof(err));
		cur.t = prev.t + 0.5;
	}
	fz_render(&cur, two ? &prev : NULL, TOP_SRC_BPF, pick);
out:
	top_snap_free(&cur);
	top_snap_free(&prev);
	return 0;
}
