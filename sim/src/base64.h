/* Strict base64 (RFC 4648 section 4) for control input. */
#ifndef SIM_BASE64_H
#define SIM_BASE64_H

#include <stddef.h>

/* Decodes text (len bytes): standard alphabet, "=" padding to a multiple of
 * 4, no whitespace, unused bits zero. Returns 0 with *out (malloc'd, may
 * hold NULs; never NULL on success) and *outlen, or -1 when the input is
 * not canonical base64 (or out of memory: *out stays NULL either way). */
int sim_base64_decode(const char *text, size_t len, unsigned char **out, size_t *outlen);

#endif
