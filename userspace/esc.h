/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Messages that quote input (arguments, recorded files, a socket's
 * bytes): every byte outside 0x20..0x7e is written as \xHH, so that a
 * message is one line of printable ASCII, whatever it quotes, and no
 * escape sequence from a file reaches the terminal. Used by anonlazy-top
 * and anonlazy-bpf for everything they print on stderr.
 */
#ifndef AL_ESC_H
#define AL_ESC_H

#include <stddef.h>
#include <stdio.h>

/*
 * s[0..n) escaped into buf (size bytes, NUL-terminated; cut at a whole
 * byte's escape, "..." at the end when cut). Returns buf.
 */
const char *al_esc(const char *s, size_t n, char *buf, size_t size);

/*
 * The string s escaped into buf, cut at size (AL_QUOTE_MAX for the
 * arguments and paths a message names: long enough to recognise one,
 * short enough to leave the rest of the message whole).
 */
#define AL_QUOTE_MAX	256
const char *al_escs(const char *s, char *buf, size_t size);

/* "prog: msg\n" on f, msg escaped (cut at 4 KiB). */
void al_msg(FILE *f, const char *prog, const char *msg);

#endif /* AL_ESC_H */
