// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of userspace/esc.c: the bytes of input quoted in the
 * messages of anonlazy-top and anonlazy-bpf come out as \xHH when they
 * are not printable ASCII, and a cut quote ends in "...".
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "esc.h"

/* Every byte of s in 0x20..0x7e. */
static int printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

int main(void)
{
	char buf[64], big[1024], all[256];
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	test_init();
	CHECK(!strcmp(al_esc("plain /path-1", 13, buf, sizeof(buf)), "plain /path-1"),
	      "esc: printable ASCII as it is");
	CHECK(!strcmp(al_esc("\x1b[31mred\n\t\x7f\x80\xff", 13, buf, sizeof(buf)),
		      "\\x1b[31mred\\x0a\\x09\\x7f\\x80\\xff"),
	      "esc: an escape sequence, newline, tab, DEL and high bytes as \\xHH");
	CHECK(!strcmp(al_esc("a\0b", 3, buf, sizeof(buf)), "a\\x00b"),
	      "esc: a NUL byte within n");
	CHECK(!strcmp(al_esc("abcdefghij", 10, buf, 8), "abcd...") &&
	      !strcmp(al_esc("abcdefg", 7, buf, 8), "abcdefg"),
	      "esc: cut with '...' only when the quote does not fit");
	CHECK(!strcmp(al_esc("\x01\x02\x03", 3, buf, 10), "\\x01...") &&
	      !strcmp(al_esc("\x01\x02", 2, buf, 9), "\\x01\\x02"),
	      "esc: cut at a whole \\xHH, never inside one");
	CHECK(!strcmp(al_esc("abc", 3, buf, 1), "") && !strcmp(al_esc("", 0, buf, 4), ""),
	      "esc: a one-byte buffer and an empty quote");
	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	al_esc(all, sizeof(all), big, sizeof(big));
	CHECK(printable(big) && strlen(big) == 0x5f + 4 * (256 - 0x5f),
	      "esc: all 256 bytes: printable ASCII out, nothing cut in 1 KiB");
	CHECK(strlen(al_escs(memset(big, 'A', 1000), buf, sizeof(buf))) == 63 &&
	      !strcmp(buf + 60, "..."),
	      "esc: al_escs cuts a long string at the buffer");
	f = open_memstream(&text, &len);
	if (f) {
		al_msg(f, "prog", "bad '\x1b]0;title\x07' here");
		fclose(f);
	}
	CHECK(text && !strcmp(text, "prog: bad '\\x1b]0;title\\x07' here\n"),
	      "esc: al_msg: one escaped line after the program's name");
	free(text);
	return test_exit();
}
