// SPDX-License-Identifier: GPL-2.0
/* Escaping the bytes of input quoted in a message (esc.h). */
#include "esc.h"

#include <string.h>

const char *al_esc(const char *s, size_t n, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i, whole = 0, keep;

	if (!size)
		return buf;
	for (i = 0; i < n && whole < size; i++)
		whole += (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] <= 0x7e ? 1 : 4;
	/* all of it, or as much as leaves room for "..." */
	keep = whole < size ? size - 1 : size > 4 ? size - 4 : 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		size_t need = c >= 0x20 && c <= 0x7e ? 1 : 4;

		if (o + need > keep)
			break;
		if (need == 1) {
			buf[o++] = (char)c;
		} else {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
	}
	if (i < n)
		for (int k = 0; k < 3 && o + 1 < size; k++)
			buf[o++] = '.';
	buf[o] = '\0';
	return buf;
}

const char *al_escs(const char *s, char *buf, size_t size)
{
	return al_esc(s, strlen(s), buf, size);
}

void al_msg(FILE *f, const char *prog, const char *msg)
{
	char buf[4096];

	fprintf(f, "%s: %s\n", prog, al_esc(msg, strlen(msg), buf, sizeof(buf)));
}
