/* Checks on access person ids already in normal form (access_id.c), for
 * the files that store normalised ids and must not trust them (the
 * identity index, the places file). Curl-free. */
#ifndef LC_ACCESS_ID_H
#define LC_ACCESS_ID_H

#include <stddef.h>

/* 1 when s[0..n) is an id as lc_access_id_normalize leaves one:
 * 1..LC_ACCESS_ID_MAX bytes of 0x21..0x7e, no upper-case letter. */
int lc_access_id_is_normal(const char *s, size_t n);

#endif
