/* Fuzzes the TZif reader and the POSIX footer rules (core/src/tz.c,
 * tz_rule.c) over raw bytes: whatever it accepts must answer for any
 * instant with an offset inside RFC 8536's range, lc_tz_next_change must
 * name the first instant whose offset differs (none before it, sampled),
 * and lc_tz_utc's answers must show the wall-clock time asked for. */
#include "fuzz_util.h"
#include "tz.h"

#define MIN_OFF (-89999)
#define MAX_OFF 93599

static const int64_t probes[] = {
    INT64_MIN, -((int64_t)1 << 59) - 1, -2208988800, -1, 0, 1, 1772953200, 2147483647,
    2147483648, 4108690800, (int64_t)1 << 40, ((int64_t)1 << 59) + 1, INT64_MAX,
};

static void check_next(const lc_tz *tz, int64_t t)
{
    int32_t cur = lc_tz_offset_at(tz, t);
    int64_t next = lc_tz_next_change(tz, t), span, s;
    int i;

    FZ_ASSERT(next > t || t == INT64_MAX);
    if (next == INT64_MAX)
        return;
    FZ_ASSERT(lc_tz_offset_at(tz, next) != cur);
    FZ_ASSERT(lc_tz_offset_at(tz, next - 1) == cur);
    span = next - t;
    for (i = 1; i < 16; i++) { /* nothing changes in between */
        s = t + span / 16 * i;
        FZ_ASSERT(lc_tz_offset_at(tz, s) == cur);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lc_error err;
    lc_tz *tz = lc_tz_parse(data, size, &err);
    size_t i;

    if (tz == NULL) {
        fz_check_text(err.message, sizeof err.message);
        return 0;
    }
    for (i = 0; i < sizeof probes / sizeof *probes; i++) {
        int32_t off = lc_tz_offset_at(tz, probes[i]);
        int64_t t, local = probes[i] / 2;
        int fold = 7;
        FZ_ASSERT(off >= MIN_OFF && off <= MAX_OFF);
        if (probes[i] > -((int64_t)1 << 58) && probes[i] < ((int64_t)1 << 58)) {
            check_next(tz, probes[i]);
            t = lc_tz_utc(tz, local, &fold);
            FZ_ASSERT(fold >= -1 && fold <= 1);
            if (fold >= 0)
                FZ_ASSERT(t + lc_tz_offset_at(tz, t) == local);
        }
    }
    lc_tz_free(tz);
    return 0;
}
