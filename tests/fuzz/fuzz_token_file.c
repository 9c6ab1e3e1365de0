/* Fuzzes the token file reader (lc_tokens_parse). Tokens it accepts must
 * be header-safe, and what it accepts must survive a write and a re-read
 * unchanged (the file is rewritten after every grant). */
#include <string.h>

#include "client.h"
#include "errors.h"
#include "fuzz_util.h"
#include "token_store.h"

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lc_tokens t = { NULL, NULL, NULL, 0 }, back = { NULL, NULL, NULL, 0 };
    lc_error err;
    lc_buf out;

    lc_error_init(&err);
    if (lc_tokens_parse((const char *)data, size, &t, &err) != LC_OK) {
        fz_check_text(err.message, sizeof err.message);
        FZ_ASSERT(!t.access && !t.refresh && !t.type);
        return 0;
    }
    FZ_ASSERT(!t.access || lc_token_text_ok(t.access));
    FZ_ASSERT(!t.refresh || lc_token_text_ok(t.refresh));
    FZ_ASSERT(t.expires_at >= 0);

    lc_buf_init(&out, 0);
    FZ_ASSERT(lc_tokens_serialize(&t, &out) == 0);
    FZ_ASSERT(lc_tokens_parse(lc_buf_str(&out), out.len, &back, &err) == LC_OK);
    FZ_ASSERT(same(t.access, back.access) && same(t.refresh, back.refresh) &&
              same(t.type, back.type) && t.expires_at == back.expires_at);
    lc_buf_free(&out);
    lc_tokens_free(&t);
    lc_tokens_free(&back);
    return 0;
}
