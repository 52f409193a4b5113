// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-top's command line (top_opts_parse()): the input's NUL
 * bytes separate the arguments. Parsed, or one printable line saying
 * which argument is wrong (arguments quoted escaped, cut, esc.h).
 */
#include "fuzz.h"

#include <math.h>

#include "top_opts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[64], *copy, err[1024];
	struct top_opts o;
	int argc = fz_argv(data, size, "anonlazy-top", argv, 64, &copy);

	if (top_opts_parse(argc, argv, &o, err, sizeof(err))) {
		fz_check_msg(err, sizeof(err));
	} else {
		FZ_ASSERT(o.interval > 0 && o.interval <= TOP_MAX_INTERVAL && isfinite(o.interval));
		FZ_ASSERT(o.count == -1 || (o.count >= 1 && o.count <= 1000000000L));
		FZ_ASSERT(o.rows >= 1 && o.pid >= -1);
		FZ_ASSERT(o.debugfs && *o.debugfs && o.slabinfo && *o.slabinfo &&
			  o.bpf_socket && *o.bpf_socket);
		FZ_ASSERT(strcmp(top_sort_name(o.sort), "?"));
	}
	free(copy);
	return 0;
}
