// SPDX-License-Identifier: GPL-2.0
/*
 * The anon_vma state of a VMA, as an ANON_VMA_LAZY kernel shows it in
 * /proc/PID/smaps ("AnonVMA: none|regular|lazy|parent"), checked against
 * what a test expects. With vm.anon_vma_lazy 0 nothing is ever lazy: an
 * expected "lazy" reads "regular" there. Kernels without the feature show
 * no state; the suite says so once (states_note()).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "anonlazy.h"
#include "integ.h"

static int lazy_mode = -2;	/* -1: no ANON_VMA_LAZY; 0, 1: the sysctl */

static int mode(void)
{
	if (lazy_mode == -2)
		lazy_mode = (int)read_num(ANONLAZY_SYSCTL_PATH);
	return lazy_mode;
}

void states_note(void)
{
	if (mode() < 0)
		skip("states: this kernel has no ANON_VMA_LAZY (no %s in smaps): data checked, states not",
		     ANONLAZY_SMAPS_KEY);
}

/*
 * Copy the state of the VMA holding addr in pid's smaps into out.
 * Returns false when there is no such VMA or it has no state line.
 */
static bool vma_state(pid_t pid, const void *addr, char *out, size_t len)
{
	uintptr_t a = (uintptr_t)addr, start, end;
	char path[64], line[256];
	bool inside = false, found = false;
	FILE *f;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/smaps");
	f = fopen(path, "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char state[32];

		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 && strchr(line, '-') &&
		    line[0] != ' ') {
			inside = start <= a && a < end;
			continue;
		}
		if (inside && !strncmp(line, ANONLAZY_SMAPS_KEY, strlen(ANONLAZY_SMAPS_KEY)) &&
		    sscanf(line + strlen(ANONLAZY_SMAPS_KEY), "%31s", state) == 1) {
			snprintf(out, len, "%s", state);
			found = true;
		}
	}
	fclose(f);
	return found;
}

void expect_state(pid_t pid, const void *addr, const char *want, const char *what)
{
	char got[32] = "(no state)";

	if (mode() < 0)
		return;
	if (mode() == 0 && !strcmp(want, ANONLAZY_STATE_LAZY))
		want = ANONLAZY_STATE_REGULAR;
	vma_state(pid, addr, got, sizeof(got));
	ok(!strcmp(got, want), "%s: state %s (got %s)", what, want, got);
}
