/* Fuzzes the OAuth token answer parser (lc_oauth_parse_token): an answer
 * it accepts yields a non-empty, header-safe Bearer token and a sane
 * expiry; a refused one a printable message and untouched output. */
#include <string.h>

#include "client.h"
#include "errors.h"
#include "fuzz_util.h"
#include "oauth.h"
#include "token_store.h"

#define NOW 1700000000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lc_tokens t = { NULL, NULL, NULL, 0 };
    lc_error err;

    lc_error_init(&err);
    if (lc_oauth_parse_token((const char *)data, size, NOW, &t, &err) != LC_OK) {
        fz_check_text(err.message, sizeof err.message);
        FZ_ASSERT(err.kind == LC_ERR_PARSE || err.kind == LC_ERR_NOMEM);
        FZ_ASSERT(!t.access && !t.refresh && !t.type);
        return 0;
    }
    FZ_ASSERT(t.access && t.access[0] && lc_token_text_ok(t.access));
    FZ_ASSERT(!t.refresh || (t.refresh[0] && lc_token_text_ok(t.refresh)));
    FZ_ASSERT(t.type && strcmp(t.type, "Bearer") == 0);
    FZ_ASSERT(t.expires_at == 0 || (t.expires_at >= NOW && t.expires_at < NOW + 1000000000LL));
    lc_tokens_free(&t);
    return 0;
}
