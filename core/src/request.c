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
#include "transport.h"
#include "url.h"

/* The strict reader, with the value budget of this client's response cap:
 * an ambiguous answer (duplicate key, NUL) is a parse error, never a
 * document half of the readers would see differently. */
static lc_status parse_answer(const lc_client *c, const lc_http_resp *resp, const char *what,
                              cJSON **out, lc_error *err)
{
    lc_json_limits lim = lc_json_limits_for(c->max_response_bytes);
    char doc_name[300];
    cJSON *doc;
    lc_status st;

    if (resp->status == 204 || resp->body.len == 0)
        return LC_OK;
    snprintf(doc_name, sizeof(doc_name), "the answer to %s", what);
    st = lc_json_parse(resp->body.data, resp->body.len, &lim, doc_name, &doc, err);
    if (st) {
        lc_err_append(err, " (HTTP %ld)", resp->status);
        lc_err_request(err, what);
        if (err)
            err->http_status = resp->status;
        return st;
    }
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
 * first, so a resend never carries the refused credentials. */
static lc_status send_signed(lc_client *c, const lc_api_req *r, const char *url,
                             const char *text, size_t text_len, lc_http_headers *h,
                             lc_http_resp *resp, lc_error *err)
{
    const lc_protocol *pr = c->vendor->protocol;
    lc_http_req req;
    lc_status st = LC_OK;

    lc_http_headers_free(h);
    if (pr->accept)
        st = lc_http_headers_add(h, "Accept", pr->accept, err);
    if (!st && text && pr->content_type)
        st = lc_http_headers_add(h, "Content-Type", pr->content_type, err);
    if (!st && pr->sign)
        st = pr->sign(c, r, h, err);
    if (st)
        return st;
    req = (lc_http_req){
        .method = r->method, .url = url, .what = r->what,
        .headers = h->item, .nheaders = h->n, .body = text, .body_len = text_len,
        .rate_header = pr->rate_header,
    };
    return lc_http_perform(c, &req, resp, err);
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

    st = send_signed(c, r, url.data, text, text_len, &h, &resp, err);
    if (!st && pr->renew) {
        int resend = 0;
        st = pr->renew(c, r, resp.status, &h, &resend, err);
        if (!st && resend)
            st = send_signed(c, r, url.data, text, text_len, &h, &resp, err);
    }
    if (st)
        goto out;
    if (resp.status >= 200 && resp.status <= 299) {
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
    snprintf(buf, n, "%s %s", ep->method, ep->path);
}

lc_status lc_build_path(lc_buf *out, const lc_endpoint *ep, lc_query *path_args,
                        lc_query *query, lc_error *err)
{
    lc_status st = lc_url_expand_path(out, ep->path, path_args, err);
    if (!st)
        st = lc_url_append_query(out, query, err);
    return st;
}

lc_status lc_call(lc_client *c, const char *endpoint, lc_query *path_args, lc_query *query,
                  const cJSON *body, cJSON **out, lc_error *err)
{
    const lc_endpoint *ep;
    lc_buf path;
    char what[256];
    lc_status st;

    if (out)
        *out = NULL;
    if (!c)
        return lc_err_set(err, LC_ERR_USAGE, "client is NULL");
    ep = lc_vendor_endpoint_find(c->vendor, endpoint);
    if (!ep)
        return lc_err_set(err, LC_ERR_USAGE, "unknown endpoint '%.100s'",
                          endpoint ? endpoint : "(null)");
    if ((ep->flags & LC_EP_BODY) && !body)
        return lc_err_set(err, LC_ERR_USAGE, "%s needs a JSON body", ep->name);
    if (!(ep->flags & LC_EP_BODY) && body)
        return lc_err_set(err, LC_ERR_USAGE, "%s takes no body", ep->name);
    lc_endpoint_what(ep, what, sizeof(what));
    lc_buf_init(&path, 0);
    st = lc_build_path(&path, ep, path_args, query, err);
    if (!st) {
        lc_api_req r = { ep->method, path.data, what, ep->flags, body };
        st = lc_api_exchange(c, &r, out, err);
    }
    lc_buf_free(&path);
    return st;
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
        lc_api_req r = { method, path, what, 0, body };
        return lc_api_exchange(c, &r, out, err);
    }
}
