/* Pattern bodies for the "raw" fault (see rawbody.h). */
#include "rawbody.h"

#include <stdlib.h>
#include <string.h>

sim_rawbody *sim_rawbody_new(unsigned char *head, size_t head_len, unsigned char *middle,
                             size_t middle_len, long times, unsigned char *tail,
                             size_t tail_len)
{
    sim_rawbody *b = NULL;
    uint64_t total = (uint64_t)head_len + (uint64_t)tail_len;
    if (times >= 0 && times <= SIM_RAWBODY_MAX_TIMES &&
        total <= SIM_RAWBODY_MAX_BYTES &&
        (middle_len == 0 || (uint64_t)times <= (SIM_RAWBODY_MAX_BYTES - total) / middle_len))
        b = calloc(1, sizeof(*b));
    if (!b || !head || !middle || !tail) {
        free(head);
        free(middle);
        free(tail);
        free(b);
        return NULL;
    }
    *b = (sim_rawbody){
        .refs = 1, .head = head, .middle = middle, .tail = tail,
        .head_len = head_len, .middle_len = middle_len, .tail_len = tail_len,
        .times = times, .total = total + (uint64_t)times * middle_len,
    };
    return b;
}

sim_rawbody *sim_rawbody_ref(sim_rawbody *b)
{
    if (b)
        b->refs++;
    return b;
}

void sim_rawbody_unref(sim_rawbody *b)
{
    if (!b || --b->refs > 0)
        return;
    free(b->head);
    free(b->middle);
    free(b->tail);
    free(b);
}

/* Copies from part [0, len) at offset off; returns bytes copied. */
static size_t copy_part(const unsigned char *part, size_t len, uint64_t off, char *buf,
                        size_t max)
{
    size_t n = len - (size_t)off < max ? len - (size_t)off : max;
    memcpy(buf, part + off, n);
    return n;
}

size_t sim_rawbody_read(const sim_rawbody *b, uint64_t pos, char *buf, size_t max)
{
    size_t done = 0;
    uint64_t middle_end = b->head_len + (uint64_t)b->times * b->middle_len;
    while (done < max && pos < b->total) {
        size_t n;
        if (pos < b->head_len)
            n = copy_part(b->head, b->head_len, pos, buf + done, max - done);
        else if (pos < middle_end)
            n = copy_part(b->middle, b->middle_len, (pos - b->head_len) % b->middle_len,
                          buf + done, max - done);
        else
            n = copy_part(b->tail, b->tail_len, pos - middle_end, buf + done, max - done);
        done += n;
        pos += n;
    }
    return done;
}
