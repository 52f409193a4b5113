// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-bpf's checks before any bpf() call that read files: the
 * lockdown mode in securityfs' text (al_bpf_lockdown_mode()), and --btf
 * FILE (al_bpf_btf_check(): libbpf's BTF and ELF parsers on the input as
 * that file). Either is fine, or one printable line says why.
 */
#include "fuzz.h"

#include "bpf_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_str(data, size), mode[32], path[64], err[512];
	int fd;

	if (!al_bpf_lockdown_mode(text, mode, sizeof(mode)))
		FZ_ASSERT(mode[0] && strlen(mode) < sizeof(mode));
	free(text);
	fd = fz_file(data, size, path, sizeof(path));
	if (al_bpf_btf_check(path, err, sizeof(err)))
		fz_check_msg(err, sizeof(err));
	close(fd);
	return 0;
}
