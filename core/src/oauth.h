/* OAuth 2.0 wire protocol (RemoteLock): token and revoke requests. Policy
 * (when to refresh, the token file) lives in auth.c. */
#ifndef LC_OAUTH_H
#define LC_OAUTH_H

#include <time.h>
#include "client.h"

/* POSTs {auth_url}/oauth/token with grant_type and the extra key/value
 * pairs (NULL-terminated; NULL values are skipped), plus client_id and
 * client_secret when configured. On success *out receives the new tokens;
 * for a refresh grant without a new refresh token, keep_refresh is kept. */
lc_status lc_oauth_token(lc_client *c, const char *grant, const char *const *params,
                         const char *keep_refresh, lc_tokens *out, lc_error *err);

/* POSTs {auth_url}/oauth/revoke for one token. */
lc_status lc_oauth_revoke(lc_client *c, const char *token, lc_error *err);

/* Parses a token response body (pure). expires_at = now + expires_in. */
lc_status lc_oauth_parse_token(const char *body, size_t len, time_t now, lc_tokens *out,
                               lc_error *err);

/* Maps a non-2xx OAuth answer: {"error":..,"error_description":..} with
 * 400/401/403 is LC_ERR_AUTH with api_type = error; 429 is rate-limited as
 * for the API; any other status is LC_ERR_AUTH too (a wrong auth_url must
 * never read as an API answer). err->request is what. */
lc_status lc_oauth_map_error(long status, const char *body, size_t len, long retry_after,
                             long long rate_reset, const char *what, lc_error *err);

#endif
