/* The one text sanitizer (core/src/text.c): what each mode keeps, that
 * malformed UTF-8 and controls never survive, and that a cut copy never
 * ends inside a UTF-8 sequence; and that the core's error messages, which
 * quote servers through it, come out as whole characters. */
#include <string.h>
#include <time.h>

#include "errors.h"
#include "tap.h"
#include "text.h"

static char out[512];

static const char *san(const char *src, lc_text_mode mode, size_t len)
{
    lc_text_sanitize(out, len, src, mode);
    return out;
}

/* Independent check: s is well-formed UTF-8 (RFC 3629 table). */
static int utf8_ok(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;

    while (*s) {
        int n = *s < 0x80 ? 1 : (*s >> 5) == 6 ? 2 : (*s >> 4) == 14 ? 3 : (*s >> 3) == 30 ? 4 : 0;
        if (n == 0 || (n == 2 && *s < 0xc2) || (n == 4 && *s > 0xf4))
            return 0;
        for (int i = 1; i < n; i++)
            if ((s[i] & 0xc0) != 0x80)
                return 0;
        if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
            (n == 4 && s[0] == 0xf0 && s[1] < 0x90) || (n == 4 && s[0] == 0xf4 && s[1] >= 0x90))
            return 0;
        s += n;
    }
    return 1;
}

static void test_modes(void)
{
    ok(!strcmp(san("a\tb\nc\rd\x7f" "e", LC_TEXT_MESSAGE, sizeof out), "a b c d e"),
       "message: C0 controls and DEL become spaces: '%s'", out);
    ok(!strcmp(san("x\xc2\x85y", LC_TEXT_MESSAGE, sizeof out), "x y"),
       "message: a C1 control (U+0085) becomes a space: '%s'", out);
    ok(!strcmp(san("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", LC_TEXT_MESSAGE, sizeof out),
               "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "message: UTF-8 of 2, 3 and 4 bytes kept");
    ok(!strcmp(san("a\x80" "b", LC_TEXT_MESSAGE, sizeof out), "a?b"), "a lone continuation byte is '?'");
    ok(!strcmp(san("a\xc0\xaf" "b", LC_TEXT_MESSAGE, sizeof out), "a?\?b"), "an overlong '/' is '?\?'");
    ok(!strcmp(san("a\xed\xa0\x80" "b", LC_TEXT_MESSAGE, sizeof out), "a?\?\?b"),
       "an encoded surrogate is refused: '%s'", out);
    ok(!strcmp(san("a\xf4\x90\x80\x80" "b", LC_TEXT_MESSAGE, sizeof out), "a?\?\?\?b"),
       "a code point past U+10FFFF is refused");
    ok(!strcmp(san("a\xf5" "b\xff", LC_TEXT_MESSAGE, sizeof out), "a?b?"), "F5 and FF are '?'");
    ok(!strcmp(san("a\xe2\x82", LC_TEXT_MESSAGE, sizeof out), "a?\?"),
       "a sequence cut short by the end is '?\?': '%s'", out);
    ok(!strcmp(san("\xe2\x82" "a", LC_TEXT_MESSAGE, sizeof out), "?\?a"),
       "a sequence cut short by ASCII resynchronises on it");

    ok(!strcmp(san("say \"hi\" a\\b x=1\n\xc3\xa9", LC_TEXT_FIELD, sizeof out),
               "say ?hi? a?b x?1?\?"), "field: quotes, backslash, '=', controls, non-ASCII: '%s'", out);
    ok(!strcmp(san("eli\nuser=root \xc3\xa9-x.y_z@w", LC_TEXT_NAME, sizeof out),
               "eli?user?root?\?-x.y_z@w"), "name: only [A-Za-z0-9._@-]: '%s'", out);
    ok(!strcmp(san("config=/a b\t\"c\"", LC_TEXT_WORD, sizeof out), "config=/a?b?\"c\""),
       "word: no blanks or controls: '%s'", out);
    ok(!strcmp(san(NULL, LC_TEXT_MESSAGE, sizeof out), ""), "NULL reads as empty");
    out[0] = 'x';
    ok(lc_text_sanitize(out, 0, "abc", LC_TEXT_MESSAGE) == 0 && out[0] == 'x', "dstlen 0 writes nothing");
}

/* Every cut of a text mixing 1- to 4-byte characters is a prefix of it that
 * ends between characters. */
static void test_cuts(void)
{
    static const char text[] = "a\xc3\xa9" "b\xe2\x82\xac" "c\xf0\x9f\x98\x80" "d\xc3\xa9\xe2\x82\xac";
    static const size_t bounds[] = { 0, 1, 3, 4, 7, 8, 12, 13, 15, 18 };
    int all = 1;

    for (size_t len = 1; len <= sizeof text + 1; len++) {
        size_t n = lc_text_sanitize(out, len, text, LC_TEXT_MESSAGE), best = 0;
        for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++)
            if (bounds[i] < len)
                best = bounds[i];
        if (n != best || strlen(out) != n || memcmp(out, text, n) != 0 || !utf8_ok(out)) {
            all = 0;
            diag("cut to %zu: got %zu bytes, want %zu", len, n, best);
        }
    }
    ok(all, "every cut (1 to %zu bytes) is the longest whole-character prefix", sizeof text + 1);
}

/* The core quotes a server's message in its own: cut to fit, that copy must
 * still end between characters (it was cut mid-sequence), and bytes that are
 * not UTF-8 must not pass through. */
static void test_error_messages(void)
{
    char body[2048], msg[1200];
    lc_http_answer a = { 500, body, 0, -1, 0, 0 };
    lc_error e;

    lc_error_init(&e);
    strcpy(msg, "a");
    for (int i = 0; i < 300; i++)
        strcat(msg, "\xe2\x82\xac");
    snprintf(body, sizeof body, "{\"type\":\"boom\",\"message\":\"%s\"}", msg);
    a.body_len = strlen(body);
    lc_status st = lc_err_from_http(&e, &a, "GET /devices/:id");
    ok(st == LC_ERR_API_GENERAL && utf8_ok(e.message) &&
       strstr(e.message, "(HTTP 500 on GET /devices/:id)"),
       "a long UTF-8 server message is cut between characters (%zu bytes)", strlen(e.message));
    lc_error_clear(&e);

    char text[64];
    lc_err_sanitize(text, sizeof text, "bad \xff byte\x1b[31m");
    ok(!strcmp(text, "bad ? byte [31m") && utf8_ok(text),
       "lc_err_sanitize: a non-UTF-8 byte is '?', ESC a space: '%s'", text);
}

int main(void)
{
    test_modes();
    test_cuts();
    test_error_messages();
    return tap_done();
}
