// SPDX-License-Identifier: GPL-2.0
/*
 * userspace/esc.c, what makes every message of both tools one printable
 * line: any bytes in, printable ASCII out, never past the buffer, the
 * whole input when it fits, and "..." when it is cut. The first byte is
 * the buffer's size less one.
 */
#include "fuzz.h"

#include "esc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cap = size ? data[0] : 0, need = 0, n = size ? size - 1 : 0, len;
	const char *s = (const char *)data + (size ? 1 : 0);
	char *buf = malloc(cap + 1);

	FZ_ASSERT(buf);
	for (size_t i = 0; i < n; i++)
		need += (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] <= 0x7e ? 1 : 4;
	al_esc(s, n, buf, cap + 1);
	len = strlen(buf);
	FZ_ASSERT(len <= cap);
	for (size_t i = 0; i < len; i++)
		FZ_ASSERT((unsigned char)buf[i] >= 0x20 && (unsigned char)buf[i] <= 0x7e);
	if (need <= cap)
		FZ_ASSERT(len == need);
	else if (cap >= 3)
		FZ_ASSERT(!strcmp(buf + len - 3, "..."));
	free(buf);
	return 0;
}
