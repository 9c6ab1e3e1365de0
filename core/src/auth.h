/* Token policy: when to reuse, adopt, refresh or re-acquire a token, and
 * the token-file protocol that keeps concurrent processes consistent. */
#ifndef LC_AUTH_H
#define LC_AUTH_H

#include "client.h"

/* Seconds before expiry at which a stored access token counts as stale. */
#define LC_TOKEN_MARGIN_S 30

/* Makes sure c->tok.access is usable (memory, token file, refresh or
 * client_credentials, in that order). */
lc_status lc_auth_ensure(lc_client *c, lc_error *err);

/* The API refused `rejected`: adopt a newer token another process stored,
 * else refresh (or client_credentials) once. */
lc_status lc_auth_renew(lc_client *c, const char *rejected, lc_error *err);

#endif
