// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-bpf's command line (al_bpf_parse(), as al_bpf_front() calls
 * it before any check or bpf() call): the input's NUL bytes separate the
 * arguments. Parsed, or one printable line naming the bad argument; and
 * the input as a -s list (al_bpf_parse_sections()).
 */
#include "fuzz.h"

#include "anonlazy.h"
#include "bpf_opts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[64], *copy, err[1024], bad[64];
	struct al_bpf_opts o;
	unsigned int mask;
	int argc = fz_argv(data, size, "anonlazy-bpf", argv, 64, &copy);
	int rc = al_bpf_parse(argc, argv, &o, err, sizeof(err));

	if (rc < 0) {
		fz_check_msg(err, sizeof(err));
	} else if (rc == 0) {
		FZ_ASSERT(o.interval <= AL_BPF_MAX_INTERVAL && (!o.count || o.interval));
		FZ_ASSERT(o.show && o.show < 1U << AL_BPF_NR_SECTIONS);
		FZ_ASSERT(o.hooks < 1U << ANONLAZY_NR_HOOK_GROUPS);
		FZ_ASSERT(o.mode < AL_BPF_NR_MODES && o.verifier_log && *o.verifier_log);
		FZ_ASSERT(!o.btf || *o.btf);
		FZ_ASSERT(!o.cmd || *o.cmd);
	}
	if (al_bpf_parse_sections(copy, &mask, bad, sizeof(bad)))
		FZ_ASSERT(strlen(bad) < sizeof(bad));
	else
		FZ_ASSERT(mask && mask < 1U << AL_BPF_NR_SECTIONS);
	free(copy);
	return 0;
}
