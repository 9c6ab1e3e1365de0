/* A body given as bytes: head + middle repeated `times` times + tail.
 * Shared (reference counted) between an armed "raw" fault and the replies
 * it produces; the full body is generated on the fly as MHD sends it, so a
 * 64 MiB answer costs only its pattern in memory. Single-threaded use. */
#ifndef SIM_RAWBODY_H
#define SIM_RAWBODY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SIM_RAWBODY_MAX_TIMES 20000000L
#define SIM_RAWBODY_MAX_BYTES (64UL * 1024 * 1024)

typedef struct sim_rawbody {
    unsigned refs;
    unsigned char *head, *middle, *tail;   /* malloc'd, never NULL */
    size_t head_len, middle_len, tail_len;
    long times;
    uint64_t total;                        /* bytes of the whole body */
} sim_rawbody;

/* Takes ownership of the three buffers (also on failure). NULL when the
 * total exceeds SIM_RAWBODY_MAX_BYTES, times is out of range, or out of
 * memory. Starts with one reference. */
sim_rawbody *sim_rawbody_new(unsigned char *head, size_t head_len, unsigned char *middle,
                             size_t middle_len, long times, unsigned char *tail,
                             size_t tail_len);
sim_rawbody *sim_rawbody_ref(sim_rawbody *b);
void sim_rawbody_unref(sim_rawbody *b);

/* Copies up to max bytes of the body starting at pos into buf; returns the
 * number copied (0 at or past the end). */
size_t sim_rawbody_read(const sim_rawbody *b, uint64_t pos, char *buf, size_t max);

#endif
