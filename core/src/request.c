/* lc_call, lc_request and the shared exchange; see request.h. Vendor
 * specifics come from the client's vendor descriptor (vendor.h). */
#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "errors.h"
#include "json_parse.h"
#include "json_print.h"
#include "log.h"
#include "pacing.h"
#include "retry.h"
#include "transport.h"
#include "url.h"

/* The strict reader, with the value budget of this client's response cap:
 * an ambiguous answer (duplicate key, NUL) is a parse error, never a
 * document half of the readers would see differently. */
lc_json_limits lc_answer_limits(const lc_client *c)
{
    return lc_json_limits_for(c->max_response_bytes);
}

/* a, b and c one after the other in buf (n > 0 bytes), cut to fit. Every
 * call names its request this way: snprintf cost more than a page of the
 * JSON answer took to read. */
static void join3(char *buf, size_t n, const char *a, const char *b, const char *c)
{
    const char *parts[3] = { a, b, c };
    size_t at = 0;

    for (int i = 0; i < 3; i++) {
        size_t len = strlen(parts[i]);
        if (len > n - 1 - at)
            len = n - 1 - at;
        memcpy(buf + at, parts[i], len);
        at += len;
    }
    buf[at] = '\0';
}

void lc_answer_name(char *buf, size_t n, const char *what)
{
    join3(buf, n, "the answer to ", what, "");
}

lc_status lc_answer_failed(lc_error *err, lc_status st, const char *what, long status)
{
    lc_err_append(err, " (HTTP %ld)", status);
    lc_err_request(err, what);
    if (err)
        err->http_status = status;
    return st;
}

static lc_status parse_answer(const lc_client *c, const lc_http_resp *resp, const char *what,
                              cJSON **out, lc_error *err)
{
    lc_json_limits lim = lc_answer_limits(c);
    char doc_name[300];
    cJSON *doc;
    lc_status st;

    if (resp->status == 204 || resp->body.len == 0)
        return LC_OK;
    lc_answer_name(doc_name, sizeof(doc_name), what);
    st = lc_json_parse(resp->body.data, resp->body.len, &lim, doc_name, &doc, err);
    if (st)
        return lc_answer_failed(err, st, what, resp->status);
    if (out)
        *out = doc;
    else
        cJSON_Delete(doc);
    return LC_OK;
}

/* The body as JSON text, a usage error naming the request when the tree
 * has no faithful JSON text. */
static lc_status print_body(const cJSON *body, const char *what, char **text, size_t *len,
                            lc_error *err)
{
    lc_error pe;
    lc_status st;

    lc_error_init(&pe);
    st = lc_json_print(body, text, len, &pe);
    if (st)
        lc_err_set(err, st, "%s: request body: %s", what, pe.message);
    lc_error_clear(&pe);
    return st;
}

/* Builds the headers of one sending (Accept, Content-Type with a body,
 * then the vendor's credentials) and sends it. h is emptied (and wiped)
 * first, so a resend never carries the refused credentials. *sent is set
 * once the request goes to the transport (an error before is signing's). */
static lc_status send_signed(lc_client *c, const lc_api_req *r, const char *url,
                             const char *text, size_t text_len, lc_http_headers *h,
                             lc_http_resp *resp, int *sent, lc_error *err)
{
    const lc_protocol *pr = c->vendor->protocol;
    lc_http_req req;
    lc_status st = LC_OK;

    lc_http_headers_free(h);
    if (c->flavour->accept)
        st = lc_http_headers_add(h, "Accept", c->flavour->accept, err);
    if (!st && text && pr->content_type)
        st = lc_http_headers_add(h, "Content-Type", pr->content_type, err);
    if (!st && pr->sign)
        st = pr->sign(c, r, h, err);
    if (st)
        return st;
    req = (lc_http_req){
        .method = r->method, .url = url, .what = r->what,
        .headers = h->item, .nheaders = h->n, .body = text, .body_len = text_len,
        .rate_header = pr->rate_header, .idempotent = (r->flags & LC_EP_IDEMPOTENT) != 0,
    };
    *sent = 1;
    return lc_http_perform(c, &req, resp, err);
}

/* One sending, and the vendor's one resend with renewed credentials. */
static lc_status send_renewed(lc_client *c, const lc_api_req *r, const char *url,
                              const char *text, size_t text_len, lc_http_headers *h,
                              lc_http_resp *resp, int *sent, lc_error *err)
{
    const lc_protocol *pr = c->vendor->protocol;
    lc_status st = send_signed(c, r, url, text, text_len, h, resp, sent, err);

    if (!st && pr->renew) {
        int resend = 0;
        st = pr->renew(c, r, resp->status, h, &resend, err);
        if (!st && resend)
            st = send_signed(c, r, url, text, text_len, h, resp, sent, err);
    }
    return st;
}

/* How a sending failed, for a log line: the error kind or the status. */
static void outcome(lc_status st, const lc_http_resp *resp, char *buf, size_t n)
{
    if (st)
        snprintf(buf, n, "%s", lc_status_name(st));
    else
        snprintf(buf, n, "HTTP %ld", resp->status);
}

/* Sends until an answer or error is final: waits out a used-up rate-limit
 * window before sending and a 429 after (pacing.h; any method: a 429 was
 * not acted on), and sends a failed request again when retry.h says it is
 * worth it, after a jittered pause. No wait passes the deadline or, for
 * rate limits, max_rate_wait: then the error or 429 at hand is final.
 * Errors from signing (the token request) are final too. */
static lc_status send_with_retries(lc_client *c, const lc_api_req *r, const char *url,
                                   const char *text, size_t text_len, lc_http_headers *h,
                                   lc_http_resp *resp, lc_error *err)
{
    long long waited = 0; /* ms this call waited for rate limits */
    int retries = 0, limited = 0;
    char failure[32];

    for (;;) {
        long long ms = lc_pace_before_ms(c, lc_epoch_ms());
        const char *why = ms > 0 ? lc_pace_refusal(c, waited, ms) : NULL;
        int sent = 0;
        lc_status st;

        if (ms > 0 && !why) {
            lc_log(c, LC_LOG_INFO, "%s: the rate-limit window (%ld requests) is used up: "
                   "waiting %lld ms for its reset", r->what, c->rl_limit, ms);
            lc_sleep_ms(ms);
            waited += ms;
        } else if (ms > 0) {
            lc_log(c, LC_LOG_INFO, "%s: the rate-limit window is used up; sending without "
                   "waiting %lld ms for its reset (%s)", r->what, ms, why);
        }
        st = send_renewed(c, r, url, text, text_len, h, resp, &sent, err);
        if (!sent)
            return st;
        if (!st && resp->status == 429) {
            ms = lc_pace_after_429_ms(resp, lc_epoch_ms());
            why = ++limited > LC_PACE_MAX_429 ? "too many 429 answers in a row"
                                              : lc_pace_refusal(c, waited, ms);
            if (why) {
                lc_log(c, LC_LOG_WARN, "%s answered HTTP 429: not waiting %lld ms to send it "
                       "again (%s)", r->what, ms, why);
                return st;
            }
            lc_log(c, LC_LOG_INFO, "%s answered HTTP 429: waiting %lld ms, then sending it "
                   "again", r->what, ms);
            lc_sleep_ms(ms);
            waited += ms;
            continue;
        }
        if (!lc_retry_worth(r, st, resp)) {
            if ((st == LC_ERR_TRANSPORT || st == LC_ERR_TIMEOUT) && resp->maybe_sent)
                lc_log(c, LC_LOG_WARN, "%s is not sent again: it is not idempotent and may "
                       "have reached the server", r->what);
            return st;
        }
        if (retries >= c->max_retries)
            return st;
        ms = lc_retry_pause_ms(c, retries + 1);
        why = ms >= lc_deadline_left_ms(c) ? "the pause would pass the deadline" : NULL;
        if (!st && resp->retry_after > 0 && (long long)resp->retry_after * 1000 > ms) {
            /* The server named its own pause: a rate-limit wait. */
            ms = (long long)resp->retry_after * 1000;
            why = lc_pace_refusal(c, waited, ms);
            if (!why)
                waited += ms;
        }
        outcome(st, resp, failure, sizeof(failure));
        if (why) {
            lc_log(c, LC_LOG_WARN, "%s failed (%s): not sent again (%s)", r->what, failure, why);
            return st;
        }
        retries++;
        lc_log(c, LC_LOG_WARN, "%s failed (%s): sending it again in %lld ms (retry %d of %d)",
               r->what, failure, ms, retries, c->max_retries);
        lc_sleep_ms(ms);
    }
}

lc_status lc_api_exchange(lc_client *c, const lc_api_req *r, cJSON **out, lc_error *err)
{
    const lc_protocol *pr = c->vendor->protocol;
    char *text = NULL;
    size_t text_len = 0;
    lc_buf url;
    lc_http_resp resp;
    lc_http_headers h;
    lc_status st = LC_OK;

    if (out)
        *out = NULL;
    lc_buf_init(&url, 0);
    lc_http_resp_init(&resp);
    lc_http_headers_init(&h);
    /* Never send what a strict reader (ours included) must refuse, nor a
     * number other than the caller's (cJSON's printer rounds to 15
     * digits): lc_json_print writes numbers exactly and refuses strings
     * that are not UTF-8, NaN and infinity. */
    if (r->body && !lc_json_tree_utf8_valid(r->body))
        st = lc_err_set(err, LC_ERR_USAGE, "%s: request body holds a string or key that is "
                        "not valid UTF-8", r->what);
    else if (r->body)
        st = print_body(r->body, r->what, &text, &text_len, err);
    if (!st && (lc_buf_puts(&url, c->api_url) || lc_buf_puts(&url, r->path_query)))
        st = lc_err_set(err, LC_ERR_NOMEM, "out of memory");
    if (st)
        goto out;

    st = send_with_retries(c, r, url.data, text, text_len, &h, &resp, err);
    if (st)
        goto out;
    if (resp.status >= 200 && resp.status <= 299 && r->raw) {
        lc_buf_free(r->raw);
        *r->raw = resp.body; /* moved: resp no longer owns it */
        if (r->raw_status)
            *r->raw_status = resp.status;
        lc_buf_init(&resp.body, 0);
    } else if (resp.status >= 200 && resp.status <= 299) {
        st = parse_answer(c, &resp, r->what, out, err);
    } else {
        lc_http_answer a = { resp.status, resp.body.data, resp.body.len,
                             resp.retry_after, resp.rate_reset, time(NULL) };
        st = pr->map_error(err, &a, r->what);
    }
out:
    lc_http_headers_free(&h);
    free(text);
    lc_buf_free(&url);
    lc_http_resp_free(&resp);
    return st;
}

void lc_endpoint_what(const lc_endpoint *ep, char *buf, size_t n)
{
    join3(buf, n, ep->method, " ", ep->path);
}

lc_status lc_build_path(lc_buf *out, const lc_endpoint *ep, lc_query *path_args,
                        lc_query *query, lc_error *err)
{
    lc_status st = lc_url_expand_path(out, ep->path, path_args, err);
    if (!st)
        st = lc_url_append_query(out, query, err);
    return st;
}

lc_status lc_call_row(lc_client *c, const char *endpoint, lc_query *path_args,
                      lc_query *query, const cJSON *body, cJSON **out, lc_buf *raw,
                      long *raw_status, const lc_endpoint **row, lc_error *err)
{
    const lc_endpoint *ep;
    lc_buf path;
    char what[256];
    lc_status st;

    if (!c)
        return lc_err_set(err, LC_ERR_USAGE, "client is NULL");
    st = lc_client_endpoint(c, endpoint, &ep, err);
    if (st)
        return st;
    if ((ep->flags & LC_EP_BODY) && !body)
        return lc_err_set(err, LC_ERR_USAGE, "%s needs a JSON body", ep->name);
    if (!(ep->flags & LC_EP_BODY) && body)
        return lc_err_set(err, LC_ERR_USAGE, "%s takes no body", ep->name);
    *row = ep;
    lc_endpoint_what(ep, what, sizeof(what));
    lc_buf_init(&path, 0);
    st = lc_build_path(&path, ep, path_args, query, err);
    if (!st) {
        lc_api_req r = { ep->method, path.data, what, ep->flags, body, raw, raw_status };
        st = lc_api_exchange(c, &r, out, err);
    }
    lc_buf_free(&path);
    return st;
}

lc_status lc_answer_text_check(const lc_endpoint *ep, const char *data, size_t len,
                               lc_error *err)
{
    char what[256];

    if (!len || !memchr(data, '\0', len))
        return LC_OK;
    lc_endpoint_what(ep, what, sizeof(what));
    lc_err_set(err, LC_ERR_PARSE, "the answer to %s holds a NUL byte (lc_call_raw hands "
               "back every byte)", what);
    lc_err_request(err, what);
    return LC_ERR_PARSE;
}

/* A CSV answer as the cJSON string lc_call promises. */
static lc_status text_answer(const lc_endpoint *ep, lc_buf *raw, cJSON **out, lc_error *err)
{
    lc_status st = lc_answer_text_check(ep, raw->data, raw->len, err);

    if (st)
        return st;
    *out = cJSON_CreateString(lc_buf_str(raw));
    return *out ? LC_OK : lc_err_set(err, LC_ERR_NOMEM, "out of memory");
}

lc_status lc_call(lc_client *c, const char *endpoint, lc_query *path_args, lc_query *query,
                  const cJSON *body, cJSON **out, lc_error *err)
{
    const lc_endpoint *ep = NULL;
    cJSON *doc = NULL;
    lc_buf raw;
    lc_status st;

    if (out)
        *out = NULL;
    lc_buf_init(&raw, 0);
    /* The row says whether its answer is JSON (lc_call_row checks the name). */
    ep = c ? lc_vendor_endpoint_find(c->vendor, endpoint) : NULL;
    if (ep && (ep->flags & LC_EP_CSV_ANSWER)) {
        st = lc_call_row(c, endpoint, path_args, query, body, NULL, &raw, NULL, &ep, err);
        if (!st && out)
            st = text_answer(ep, &raw, &doc, err);
    } else {
        st = lc_call_row(c, endpoint, path_args, query, body, out ? &doc : NULL, NULL, NULL, &ep,
                         err);
    }
    lc_buf_free(&raw);
    if (out)
        *out = doc;
    else
        cJSON_Delete(doc);
    return st;
}

lc_status lc_call_raw(lc_client *c, const char *endpoint, lc_query *path_args, lc_query *query,
                      const cJSON *body, lc_raw_answer *out, lc_error *err)
{
    const lc_endpoint *ep = NULL;
    lc_buf raw;
    lc_status st;

    if (!out)
        return lc_err_set(err, LC_ERR_USAGE, "lc_call_raw: out is NULL");
    out->data = NULL;
    out->len = 0;
    lc_buf_init(&raw, 0);
    st = lc_call_row(c, endpoint, path_args, query, body, NULL, &raw, NULL, &ep, err);
    if (st) {
        lc_buf_free(&raw);
        return st;
    }
    out->data = raw.data; /* moved: the caller frees it */
    out->len = raw.len;
    return LC_OK;
}

void lc_raw_answer_free(lc_raw_answer *a)
{
    lc_buf b;

    if (!a || !a->data)
        return;
    lc_buf_init(&b, 0);
    b.data = a->data;
    b.len = b.cap = a->len + 1;
    lc_buf_free(&b); /* wipes, as every answer buffer */
    a->data = NULL;
    a->len = 0;
}

static int valid_method(const char *m)
{
    size_t n = 0;
    if (!m)
        return 0;
    for (; m[n]; n++)
        if (m[n] < 'A' || m[n] > 'Z')
            return 0;
    return n > 0 && n <= 16;
}

lc_status lc_request(lc_client *c, const char *method, const char *path, const cJSON *body,
                     cJSON **out, lc_error *err)
{
    char what[256];
    lc_status st;

    if (out)
        *out = NULL;
    if (!c)
        return lc_err_set(err, LC_ERR_USAGE, "client is NULL");
    if (!valid_method(method))
        return lc_err_set(err, LC_ERR_USAGE, "HTTP method must be upper-case letters");
    st = lc_url_check_path(path, err);
    if (st)
        return st;
    /* Only the part before the query goes into messages. */
    snprintf(what, sizeof(what), "%s %.*s", method, (int)strcspn(path, "?"), path);
    {
        lc_api_req r = { .method = method, .path_query = path, .what = what,
                         .flags = lc_method_idempotent(method) ? LC_EP_IDEMPOTENT : 0,
                         .body = body };
        return lc_api_exchange(c, &r, out, err);
    }
}
