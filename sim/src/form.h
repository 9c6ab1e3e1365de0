/* Decoding of URL-encoded text: request paths, query strings and
 * application/x-www-form-urlencoded bodies. Hostile input (NUL bytes,
 * control characters, broken escapes) is refused, never truncated. */
#ifndef SIM_FORM_H
#define SIM_FORM_H

#include <stddef.h>
#include "sim_resources.h"

#define SIM_MAX_PAIRS 256

typedef struct sim_pairs {
    sim_kv *items;   /* keys and values are malloc'd, owned here */
    size_t n;
} sim_pairs;

/* Percent-decodes in[0..len) into a new string; plus_space turns '+' into
 * ' '. Refuses %00, raw or decoded control characters and bad escapes.
 * Returns the string (free it) or NULL. */
char *sim_url_decode(const char *in, size_t len, int plus_space);

/* Parses "a=1&b=2&a=3" (order and repeats kept, empty pieces skipped).
 * Returns 0, or -1 with a message in err (pairs left empty). */
int sim_pairs_parse(sim_pairs *p, const char *s, size_t len, char *err, size_t errlen);

/* Value of the first pair named key, or NULL. */
const char *sim_pairs_get(const sim_pairs *p, const char *key);
/* Number of pairs named key. */
size_t sim_pairs_count(const sim_pairs *p, const char *key);
/* Appends a copy of key=value; 0 or -1. */
int sim_pairs_add(sim_pairs *p, const char *key, const char *value);
void sim_pairs_free(sim_pairs *p);

#endif
