/* Token acquisition. With a token file, every decision that may rotate
 * the refresh token is made under the file lock, after re-reading the file:
 * another process may already have rotated it, and refreshing with our own
 * (now dead) copy would fail or, worse, leave a dead token behind. */
#include "auth.h"

#include <limits.h>
#include <string.h>
#include <time.h>

#include "errors.h"
#include "log.h"
#include "oauth.h"
#include "token_store.h"

#define OOB_REDIRECT "urn:ietf:wg:oauth:2.0:oob"

typedef enum obtain_mode {
    OBTAIN_ENSURE,  /* any valid token will do                         */
    OBTAIN_RENEW,   /* any valid token other than the rejected one     */
    OBTAIN_REFRESH  /* always run a new grant                          */
} obtain_mode;

/* Runs the grant that fits: refresh_token when base has one, else
 * client_credentials when configured. A refresh token the server calls
 * invalid_grant (revoked, expired, or left dead by a crash between grant
 * and rename) would fail every call until an admin deleted the file, so
 * then client_credentials runs instead when the client has them, and its
 * result replaces the dead pair. Any other refresh failure (outage, rate
 * limit, invalid_client) is returned as it is. */
static lc_status new_tokens(lc_client *c, const lc_tokens *base, lc_tokens *out, lc_error *err)
{
    if (base->refresh) {
        const char *params[] = { "refresh_token", base->refresh, NULL };
        lc_error why; /* ours: the caller's err may be NULL */
        lc_status st;

        lc_error_init(&why);
        st = lc_oauth_token(c, "refresh_token", params, base->refresh, out, &why);
        if (st == LC_ERR_AUTH && strcmp(why.api_type, "invalid_grant") == 0 &&
            c->client_id && c->client_secret) {
            lc_error_clear(&why);
            lc_log(c, LC_LOG_WARN, "the stored refresh token was refused (invalid_grant): "
                   "falling back to client_credentials");
            return lc_oauth_token(c, "client_credentials", NULL, NULL, out, err);
        }
        if (err)
            *err = why; /* hands over api_errors too */
        else
            lc_error_clear(&why);
        return st;
    }
    if (c->client_id && c->client_secret)
        return lc_oauth_token(c, "client_credentials", NULL, NULL, out, err);
    return lc_err_set(err, LC_ERR_AUTH,
                      "no credentials: no refresh token stored and no client_id/client_secret");
}

static int usable(const lc_tokens *t, const char *rejected)
{
    return lc_tokens_valid(t, (long long)time(NULL), LC_TOKEN_MARGIN_S) &&
           (!rejected || strcmp(t->access, rejected) != 0);
}

/* Stores fresh tokens in memory and, when configured, in the file. If the
 * file cannot be written (disk full, I/O error) the new tokens stay the
 * live ones in memory and are written again on the next token decision:
 * the server has already retired the refresh token the file still holds. */
static lc_status keep_tokens(lc_client *c, const lc_tokens *t, lc_error *err)
{
    lc_status st;
    if (lc_tokens_copy(&c->tok, t))
        return lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    if (!c->token_file)
        return LC_OK;
    st = lc_token_file_write(c->token_file, t, err);
    c->tok_unsaved = st != LC_OK;
    if (st)
        lc_log(c, LC_LOG_ERROR, "token file not written (%s): keeping the new tokens in memory",
               lc_status_name(st));
    return st;
}

static lc_status obtain_locked(lc_client *c, obtain_mode mode, const char *rejected,
                               lc_error *err)
{
    lc_tokens file = { NULL, NULL, NULL, 0 };
    lc_tokens fresh = { NULL, NULL, NULL, 0 };
    const lc_tokens *base = &c->tok;
    lc_status st = LC_OK;

    if (c->token_file && c->tok_unsaved) {
        /* A write failed after our last grant: our tokens, not the file's,
         * are the live ones. Run the next grant from them; keep_tokens then
         * saves the result. */
    } else if (c->token_file) {
        st = lc_token_file_read(c->token_file, &file, err);
        if (st)
            goto out;
        if (mode != OBTAIN_REFRESH && usable(&file, rejected)) {
            /* Someone (maybe us, earlier) stored a good token: adopt it. */
            if (lc_tokens_copy(&c->tok, &file))
                st = lc_err_set(err, LC_ERR_NOMEM, "out of memory");
            else
                lc_log(c, LC_LOG_DEBUG, "adopted the access token from the token file");
            goto out;
        }
        /* The file's refresh token is the live one: ours may be rotated. */
        if (file.access || file.refresh)
            base = &file;
    } else if (mode != OBTAIN_REFRESH && usable(&c->tok, rejected)) {
        goto out;
    }
    st = new_tokens(c, base, &fresh, err);
    if (!st)
        st = keep_tokens(c, &fresh, err);
out:
    lc_tokens_free(&file);
    lc_tokens_free(&fresh);
    return st;
}

/* Takes the token file lock. Without a deadline the wait is bounded by the
 * client's timeout: a stopped process holding the lock must not block us
 * forever. */
static lc_status lock_tokens(lc_client *c, lc_token_lock *lk, lc_error *err)
{
    long long now = lc_now_ms();
    long long until = c->deadline_ms ? c->deadline_ms
                      : c->timeout_ms > LLONG_MAX - now ? LLONG_MAX : now + c->timeout_ms;
    return lc_token_lock_acquire(c->token_file, until, lk, err);
}

static lc_status obtain(lc_client *c, obtain_mode mode, const char *rejected, lc_error *err)
{
    lc_token_lock lk = { -1 };
    lc_status st;

    if (c->token_file) {
        st = lock_tokens(c, &lk, err);
        if (st)
            return st;
    }
    st = obtain_locked(c, mode, rejected, err);
    lc_token_lock_release(&lk);
    return st;
}

lc_status lc_auth_ensure(lc_client *c, lc_error *err)
{
    if (usable(&c->tok, NULL))
        return LC_OK;
    return obtain(c, OBTAIN_ENSURE, NULL, err);
}

lc_status lc_auth_renew(lc_client *c, const char *rejected, lc_error *err)
{
    return obtain(c, OBTAIN_RENEW, rejected, err);
}

/* Runs one explicit grant under the lock and stores the result. */
static lc_status explicit_grant(lc_client *c, const char *grant, const char *const *params,
                                lc_error *err)
{
    lc_token_lock lk = { -1 };
    lc_tokens fresh = { NULL, NULL, NULL, 0 };
    lc_status st;

    if (c->token_file) {
        st = lock_tokens(c, &lk, err);
        if (st)
            return st;
    }
    st = lc_oauth_token(c, grant, params, NULL, &fresh, err);
    if (!st)
        st = keep_tokens(c, &fresh, err);
    lc_token_lock_release(&lk);
    lc_tokens_free(&fresh);
    return st;
}

lc_status lc_auth_client_credentials(lc_client *c, lc_error *err)
{
    if (!c)
        return lc_err_set(err, LC_ERR_USAGE, "client is NULL");
    if (!c->client_id || !c->client_secret)
        return lc_err_set(err, LC_ERR_USAGE,
                          "client_credentials needs client_id and client_secret");
    return explicit_grant(c, "client_credentials", NULL, err);
}

lc_status lc_auth_exchange_code(lc_client *c, const char *code, const char *redirect_uri,
                                lc_error *err)
{
    if (!c)
        return lc_err_set(err, LC_ERR_USAGE, "client is NULL");
    if (!code || !*code)
        return lc_err_set(err, LC_ERR_USAGE, "authorization code is empty");
    {
        const char *params[] = {
            "code", code, "redirect_uri", redirect_uri ? redirect_uri : OOB_REDIRECT, NULL
        };
        return explicit_grant(c, "authorization_code", params, err);
    }
}

lc_status lc_auth_refresh(lc_client *c, lc_error *err)
{
    if (!c)
        return lc_err_set(err, LC_ERR_USAGE, "client is NULL");
    return obtain(c, OBTAIN_REFRESH, NULL, err);
}

static lc_status revoke_locked(lc_client *c, lc_error *err)
{
    lc_tokens file = { NULL, NULL, NULL, 0 };
    const lc_tokens *t = &c->tok;
    lc_status st = LC_OK;

    if (c->token_file && !c->tok_unsaved) {
        st = lc_token_file_read(c->token_file, &file, err);
        if (st)
            goto out;
        if (file.access || file.refresh)
            t = &file;
    }
    /* Revoke the refresh token too: a leaked copy must not outlive this. */
    if (t->access)
        st = lc_oauth_revoke(c, t->access, err);
    if (!st && t->refresh)
        st = lc_oauth_revoke(c, t->refresh, err);
    if (!st && c->token_file) {
        lc_tokens none = { NULL, NULL, NULL, 0 };
        st = lc_token_file_write(c->token_file, &none, err);
    }
    if (!st) {
        lc_tokens_free(&c->tok);
        c->tok_unsaved = 0;
        lc_log(c, LC_LOG_INFO, "tokens revoked and forgotten");
    }
out:
    lc_tokens_free(&file);
    return st;
}

lc_status lc_auth_revoke(lc_client *c, lc_error *err)
{
    lc_token_lock lk = { -1 };
    lc_status st;

    if (!c)
        return lc_err_set(err, LC_ERR_USAGE, "client is NULL");
    if (c->token_file) {
        st = lock_tokens(c, &lk, err);
        if (st)
            return st;
    }
    st = revoke_locked(c, err);
    lc_token_lock_release(&lk);
    return st;
}
