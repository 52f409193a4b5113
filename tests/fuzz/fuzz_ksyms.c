// SPDX-License-Identifier: GPL-2.0
/*
 * anonlazy-bpf's readers of /proc/kallsyms and the kprobe blacklist
 * (bpf_ksyms.c), on the input as that file: which of the probed
 * functions it lists. A name is found only if the file has it whole.
 */
#include "fuzz.h"

#include "bpf_ksyms.h"

static const char *const names[] = {
	"__anon_vma_prepare", "anon_vma_fork", "anon_vma_clone", "unlink_anon_vmas",
	"rmap_walk_anon", "rmap_walk_file", "rmap_walk_ksm", "anon_vma_lazy_upgrade",
	"anon_vma_lazy_make_root", "",
};
#define N ((int)(sizeof(names) / sizeof(names[0])))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool found[N] = { false }, black[N] = { false };
	char path[64];
	int fd = fz_file(data, size, path, sizeof(path));

	FZ_ASSERT(!al_ksyms_find(path, names, N, found));
	FZ_ASSERT(!al_kprobe_blacklist_find(path, names, N, black));
	for (int i = 0; i < N - 1; i++)
		if (found[i] || black[i])
			FZ_ASSERT(memmem(data, size, names[i], strlen(names[i])));
	close(fd);
	return 0;
}
