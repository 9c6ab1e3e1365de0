/* The one error renderer (lc_error_render, core/src/error_render.c): the
 * line Lua's tostring, the PAM log and the command-line tool print, for
 * each combination of the fields it reads, and what it does with hostile
 * or oversized text. */
#include <string.h>

#include "error_render.h"
#include "lockcloud/lockcloud.h"
#include "tap.h"

static char line[700];

static lc_error make(lc_status kind, long http, const char *msg, long retry)
{
    lc_error e;

    lc_error_init(&e);
    e.kind = kind;
    e.http_status = http;
    e.retry_after = retry;
    strncpy(e.message, msg, sizeof e.message - 1);
    return e;
}

static int renders(lc_status kind, long http, const char *msg, long retry, const char *want)
{
    lc_error e = make(kind, http, msg, retry);
    size_t n = lc_error_render(&e, line, sizeof line);

    return n == strlen(want) && strcmp(line, want) == 0;
}

static void test_fields(void)
{
    ok(renders(LC_ERR_TRANSPORT, 0, "connection refused", -1,
               "lockcloud: transport: connection refused"), "kind and message: %s", line);
    ok(renders(LC_ERR_HTTP, 503, "upstream down", -1, "lockcloud: http (HTTP 503): upstream down"),
       "a status the message does not name is added: %s", line);
    ok(renders(LC_ERR_HTTP, 404, "HTTP 404 on GET /devices/:id", -1,
               "lockcloud: http: HTTP 404 on GET /devices/:id"),
       "a status the message names is not repeated: %s", line);
    ok(renders(LC_ERR_HTTP, 500, "HTTP 5000 on x", -1, "lockcloud: http: HTTP 5000 on x"),
       "(a message naming 'HTTP 5000' names 'HTTP 500' too: left as is) %s", line);
    ok(renders(LC_ERR_RATE_LIMITED, 429, "slow down", 37,
               "lockcloud: rate-limited (HTTP 429): slow down (retry after 37 s)"),
       "status and retry hint: %s", line);
    ok(renders(LC_ERR_RATE_LIMITED, 429, "slow down (HTTP 429 on GET /x; retry after 5 s)", 5,
               "lockcloud: rate-limited: slow down (HTTP 429 on GET /x; retry after 5 s)"),
       "a retry the message names is not repeated: %s", line);
    ok(renders(LC_ERR_RATE_LIMITED, 0, "", 0, "lockcloud: rate-limited (retry after 0 s)"),
       "retry after 0 is known, and shown; no message, no colon: %s", line);
    ok(renders(LC_ERR_IO, 0, "", -1, "lockcloud: io"), "kind alone: %s", line);
    ok(renders(LC_ERR_PARSE, 0, "bad\nline\x1b[2J \xff", -1, "lockcloud: parse: bad line [2J ?"),
       "controls and non-UTF-8 bytes in the message are replaced: %s", line);
    ok(renders((lc_status)99, 0, "x", -1, "lockcloud: unknown: x"), "an unknown kind: %s", line);
}

static void test_cut(void)
{
    lc_error e = make(LC_ERR_RATE_LIMITED, 429, "", 12);
    char small[80];
    size_t n;

    memset(e.message, 'm', 200);
    strcpy(e.message + 200, "\xe2\x82\xac\xe2\x82\xac");
    n = lc_error_render(&e, small, sizeof small);
    ok(n == strlen(small) && n < sizeof small && strstr(small, "(retry after 12 s)") &&
       !strncmp(small, "lockcloud: rate-limited (HTTP 429): mmm", 39),
       "a long message is cut, its retry hint kept: %s", small);
    e = make(LC_ERR_HTTP, 0, "", -1);
    strcpy(e.message, "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac");
    n = lc_error_render(&e, small, 25); /* "lockcloud: http: " is 17 bytes, 7 left */
    ok(n == 23 && !strcmp(small, "lockcloud: http: \xe2\x82\xac\xe2\x82\xac"),
       "a cut falls between characters (%zu bytes)", n);
    small[0] = 'x';
    ok(lc_error_render(&e, small, 0) == 0 && small[0] == 'x', "len 0 writes nothing");
    ok(lc_error_render(NULL, small, sizeof small) == 0 && small[0] == '\0', "NULL error: empty line");
}

/* The parts (Lua's user-built tables) and the detail (PAM's what= field). */
static void test_parts_and_detail(void)
{
    lc_error_parts p = { NULL, 0, "x", 0, -1 };
    lc_error e;

    lc_error_render_parts(&p, line, sizeof line);
    ok(!strcmp(line, "lockcloud: error: x"), "parts: no kind reads 'error': %s", line);
    p.kind = "http\nforged=1";
    p.http_status = 1000000000000L;
    p.retry_after = 1L << 40;
    lc_error_render_parts(&p, line, sizeof line);
    ok(!strcmp(line, "lockcloud: http?forged=1 (HTTP 1000000000000): x (retry after 1099511627776 s)"),
       "parts: a kind is one word; large numbers whole: %s", line);
    p.message = "a\0b";
    p.message_len = 3;
    p.retry_after = -1;
    lc_error_render_parts(&p, line, sizeof line);
    ok(!strcmp(line, "lockcloud: http?forged=1 (HTTP 1000000000000): a b"),
       "parts: a NUL in a counted message is a space, not its end: %s", line);
    e = make(LC_ERR_RATE_LIMITED, 429, "say \"x=1\"", 3);
    lc_error_render_detail(&e, LC_TEXT_FIELD, line, sizeof line);
    ok(!strcmp(line, "say ?x?1? (retry after 3 s)"), "detail for a log field: %s", line);
}

int main(void)
{
    test_fields();
    test_cut();
    test_parts_and_detail();
    return tap_done();
}
