/* Helpers shared by the libFuzzer targets: NUL-terminated copies of the
 * input and invariant checks that abort, so a violation is a finding. */
#ifndef LC_FUZZ_UTIL_H
#define LC_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_ASSERT(cond)                                                        \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "invariant violated: %s (%s:%d)\n", #cond,         \
                    __FILE__, __LINE__);                                       \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* Heap copy of data with a terminating NUL (the parsers take C strings). */
static inline char *fz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* A message for logs: NUL-terminated within max bytes, and no control
 * byte (a hostile document must not forge log lines). */
static inline void fz_check_text(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    FZ_ASSERT(n < max);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            fprintf(stderr, "control byte 0x%02x at %zu in message: %s\n", c, i, s);
            abort();
        }
    }
}

#endif
