/* escape.h -- the one path by which bytes from a trace reach a terminal,
 * a message or an output line: printable ASCII and valid UTF-8 (but C1
 * controls) pass, everything else becomes \xNN, and a backslash \\. */
#ifndef SAKER_ESCAPE_H
#define SAKER_ESCAPE_H

#include <stddef.h>
#include <stdint.h>
#include "codec.h"

/* Appends the escaped form of n bytes to out. */
void skr_escape_append(struct skr_buf *out, const uint8_t *p, size_t n);
/* Escapes a C string into a fixed buffer (cut if needed, always ended). */
const char *skr_escape_str(const char *s, char *out, size_t outlen);

#endif
