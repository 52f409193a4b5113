// SPDX-License-Identifier: GPL-2.0
/* anonlazy-bpf: the command line and the checks, before any bpf() call. */
#include "bpf_front.h"

#include <stdio.h>

#include "esc.h"

int al_bpf_front(int argc, char **argv, const struct al_bpf_env *env,
		 uint64_t cap_effective, struct al_bpf_opts *o,
		 FILE *out, FILE *errf)
{
	char err[1024];
	int rc;

	rc = al_bpf_parse(argc, argv, o, err, sizeof(err));
	if (rc == 1) {
		al_bpf_usage(out);
		return 0;
	}
	if (rc) {
		char q[sizeof(err) * 4];

		fprintf(errf, AL_BPF_NAME ": %s; see " AL_BPF_NAME " --help\n",
			al_escs(err, q, sizeof(q)));
		return AL_BPF_EXIT_USAGE;
	}
	rc = al_bpf_preflight(o, env, cap_effective, err, sizeof(err));
	if (rc) {
		al_msg(errf, AL_BPF_NAME, err);
		return rc;
	}
	return -1;
}
