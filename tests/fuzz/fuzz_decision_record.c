/* Fuzzes the decision cache's record reader (lcpam_decision_record_parse).
 * The format has one spelling per record, so whatever the reader accepts
 * the writer must give back byte for byte; a refusal's message must be a
 * clean log line; an accepted record must be a valid cache key and keep
 * the record invariants the pure rules rely on. */
#include <string.h>

#include "decision_record.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lcpam_decision_record r, back;
    lcpam_cache_conf cc;
    lcpam_cache_key key;
    char out[LCPAM_CACHE_RECORD_MAX], hex[65];
    lc_error err;
    int n;

    lc_error_init(&err);
    if (lcpam_decision_record_parse((const char *)data, size, &r, &err) != LC_OK) {
        fz_check_text(err.message, sizeof err.message);
        FZ_ASSERT(r.decided_at == 0 && r.vendor[0] == '\0');
        return 0;
    }
    FZ_ASSERT(size < LCPAM_CACHE_RECORD_MAX);
    FZ_ASSERT(r.decided_at >= 1 && r.valid_until >= r.decided_at);
    FZ_ASSERT(!r.allow || !r.stay_end || r.valid_until <= r.stay_end ||
              r.valid_until == r.decided_at);
    fz_check_text(r.reason, sizeof r.reason);
    fz_check_text(r.rule, sizeof r.rule);

    n = lcpam_decision_record_format(&r, out, sizeof out, &err);
    FZ_ASSERT(n >= 0 && (size_t)n == size && memcmp(out, data, size) == 0);
    FZ_ASSERT(lcpam_decision_record_parse(out, (size_t)n, &back, &err) == LC_OK);
    FZ_ASSERT(memcmp(&r, &back, sizeof r) == 0);

    key.vendor = r.vendor;
    key.person_id = r.person_id;
    key.rule = r.rule;
    FZ_ASSERT(lcpam_cache_key_hex(&key, hex, &err) == LC_OK && strlen(hex) == 64);

    /* Past the stay end an allow is never used, whatever the clock. */
    lcpam_cache_conf_defaults(&cc);
    if (r.allow && r.stay_end) {
        FZ_ASSERT(!lcpam_cache_fresh(&r, &cc, (time_t)r.stay_end));
        FZ_ASSERT(!lcpam_cache_offline_ok(&r, &cc, (time_t)r.stay_end));
    }
    FZ_ASSERT(!lcpam_cache_fresh(&r, &cc, (time_t)r.valid_until));
    return 0;
}
