/* Unit tests of the strict JSON reader (lc_json_parse) and of the readers
 * built on it: the API error mapper, the OAuth token answer and the token
 * file. Ambiguous documents (a key twice, NUL or invalid UTF-8 in a string
 * or key) must be refused with LC_ERRF_AMBIGUOUS; trailing data, bad grammar and documents
 * over the value or depth budget are plain parse errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cjson_same.h"
#include "client.h"
#include "errors.h"
#include "json_parse.h"
#include "oauth.h"
#include "tap.h"
#include "token_store.h"

#define WHAT "the answer to GET /access_persons/:id"

/* Parses a literal with the default limits; the tree is discarded. */
static lc_status parse(const char *text, lc_error *e)
{
    cJSON *doc = NULL;
    lc_status st;
    lc_error_clear(e);
    st = lc_json_parse(text, strlen(text), NULL, WHAT, &doc, e);
    if (st != LC_OK && doc)
        st = (lc_status)-1; /* a failure must not hand out a tree */
    cJSON_Delete(doc);
    return st;
}

static int ambiguous(const lc_error *e)
{
    return e->kind == LC_ERR_PARSE && (e->flags & LC_ERRF_AMBIGUOUS);
}

/* The five documents of issue 5, item 4, each of which a lenient reader
 * decided as "current". */
static void test_attack_documents(void)
{
    lc_error e;
    lc_error_init(&e);

    ok(parse("{\"data\":{\"id\":\"p1\",\"attributes\":"
             "{\"status\":\"current\",\"status\":\"expired\"}}}", &e) == LC_ERR_PARSE &&
       ambiguous(&e) && strstr(e.message, "duplicate key \"status\"") &&
       strstr(e.message, WHAT),
       "duplicate status (current first) is ambiguous: %s", e.message);
    ok(parse("{\"data\":{\"attributes\":{\"status\":\"current\\u0000expired\"}}}", &e) ==
       LC_ERR_PARSE && ambiguous(&e) && strstr(e.message, "\"status\"") &&
       !strstr(e.message, "expired"),
       "status value holding \\u0000 is ambiguous, names the key only: %s", e.message);
    ok(parse("{\"data\":{\"attributes\":{\"status\\u0000x\":\"current\","
             "\"status\":\"expired\"}}}", &e) == LC_ERR_PARSE && ambiguous(&e) &&
       strstr(e.message, "key \"status"),
       "key \"status\\u0000x\" before the real status is ambiguous: %s", e.message);
    ok(parse("{\"data\":{\"id\":\"10000000-0000-4000-8000-000000000001\\u0000evil\","
             "\"attributes\":{\"status\":\"current\"}}}", &e) == LC_ERR_PARSE &&
       ambiguous(&e) && strstr(e.message, "\"id\""),
       "id with a \\u0000 suffix is ambiguous: %s", e.message);
    ok(parse("{\"data\":{\"attributes\":{\"status\":\"expired\"}}}"
             "{\"data\":{\"attributes\":{\"status\":\"current\"}}}", &e) == LC_ERR_PARSE &&
       !(e.flags & LC_ERRF_AMBIGUOUS) && strstr(e.message, "data after"),
       "a second document appended is a parse error, not ambiguous: %s", e.message);
    lc_error_clear(&e);
}

static void test_duplicate_keys(void)
{
    lc_error e;
    char *big;
    size_t n = 0;
    lc_error_init(&e);

    ok(parse("{\"status\":\"current\",\"st\\u0061tus\":\"expired\"}", &e) == LC_ERR_PARSE &&
       ambiguous(&e), "keys equal after unescaping are duplicates: %s", e.message);
    ok(parse("{\"data\":[{\"a\":1},{\"b\":2,\"c\":{\"d\":[{\"x\":1,\"x\":1}]}}]}", &e) ==
       LC_ERR_PARSE && ambiguous(&e) && strstr(e.message, "\"x\""),
       "a duplicate deep inside arrays is found: %s", e.message);
    ok(parse("{\"a\":{\"k\":1},\"b\":{\"k\":2},\"k\":3}", &e) == LC_OK,
       "the same key in different objects is fine");
    ok(parse("{\"Status\":\"x\",\"status\":\"y\"}", &e) == LC_OK,
       "keys differing in case are distinct");

    /* Every object size around the pairwise/sorted boundary: distinct
     * keys that share their first byte parse, and the first key repeated
     * last is found. */
    {
        char obj[64 * 16 + 32];
        int found = 1, fine = 1;
        for (int keys = 2; keys <= 64; keys++) {
            size_t len = (size_t)sprintf(obj, "{\"k\":0");
            for (int i = 1; i < keys - 1; i++)
                len += (size_t)sprintf(obj + len, ",\"k%d\":%d", i, i);
            strcpy(obj + len, "}");
            fine &= parse(obj, &e) == LC_OK;
            strcpy(obj + len, ",\"k\":1}");
            found &= parse(obj, &e) == LC_ERR_PARSE && strstr(e.message, "\"k\"") != NULL;
        }
        ok(fine, "objects of 1 to 63 distinct keys parse");
        ok(found, "a duplicate in objects of 2 to 64 keys is found");
        ok(parse("{\"\":1,\"a\":2,\"\":3}", &e) == LC_ERR_PARSE,
           "two empty keys are duplicates: %s", e.message);
    }

    /* A large object takes the sorted path; the duplicate is far apart. */
    big = malloc(5000 * 16 + 64);
    n += (size_t)sprintf(big + n, "{\"dup\":0");
    for (int i = 0; i < 5000; i++)
        n += (size_t)sprintf(big + n, ",\"k%d\":%d", i, i);
    ok(parse(strcat(big, "}"), &e) == LC_OK, "5000 distinct keys parse");
    big[n] = '\0';
    strcat(big, ",\"dup\":1}");
    ok(parse(big, &e) == LC_ERR_PARSE && ambiguous(&e) && strstr(e.message, "\"dup\""),
       "a duplicate among 5000 keys is found: %s", e.message);
    free(big);

    ok(parse("{\"access_token\":\"SECRETVALUE\",\"access_token\":\"OTHERSECRET\"}", &e) ==
       LC_ERR_PARSE && !strstr(e.message, "SECRET") && !strstr(e.message, "OTHER"),
       "the message never quotes values: %s", e.message);
    ok(parse("{\"a\\\"b\\\\c\\nd-0123456789012345678901234567890123456789\":1,"
             "\"a\\\"b\\\\c\\nd-0123456789012345678901234567890123456789\":2}", &e) ==
       LC_ERR_PARSE && ambiguous(&e) && !strchr(e.message, '\n') &&
       strstr(e.message, "a?b?c?d-") && strstr(e.message, "...") &&
       !strstr(e.message, "456789\""),
       "a quoted key is sanitised and cut: %s", e.message);
    lc_error_clear(&e);
}

/* "\\u0000" in JSON text is an escaped backslash then "u0000": no NUL. */
static void test_escaped_backslash(void)
{
    lc_error e;
    cJSON *doc = NULL;
    const cJSON *v;
    static const char text[] = "{\"a\":\"\\\\u0000\",\"\\\\u0000\":\"\\\\\\\\u0000\"}";
    lc_error_init(&e);

    ok(lc_json_parse(text, strlen(text), NULL, WHAT, &doc, &e) == LC_OK,
       "escaped backslashes before u0000 parse: %s", e.message);
    v = cJSON_GetObjectItemCaseSensitive(doc, "a");
    ok(cJSON_IsString(v) && strcmp(v->valuestring, "\\u0000") == 0,
       "value is backslash + \"u0000\" (6 bytes)");
    v = cJSON_GetObjectItemCaseSensitive(doc, "\\u0000");
    ok(cJSON_IsString(v) && strcmp(v->valuestring, "\\\\u0000") == 0,
       "key \\u0000 (escaped backslash) and a double backslash value survive");
    cJSON_Delete(doc);
    ok(parse("{\"a\":\"\\\\\\u0000\"}", &e) == LC_ERR_PARSE && ambiguous(&e),
       "an escaped backslash followed by a real \\u0000 is ambiguous");
    ok(parse("{\"a\":\"\\u0001\\u00e9\\ud83d\\ude00\\/\"}", &e) == LC_OK,
       "other escapes, non-NUL control escape and surrogate pair are fine");
    ok(parse("{\"a\":\"\\ude00\"}", &e) == LC_ERR_PARSE && !ambiguous(&e),
       "a lone low surrogate is malformed");
    ok(parse("{\"a\":\"\\ud83dx\"}", &e) == LC_ERR_PARSE, "an unpaired high surrogate is malformed");
    ok(parse("{\"a\":\"\\u00G0\"}", &e) == LC_ERR_PARSE, "a bad hex escape is malformed");
    lc_error_clear(&e);
}

/* Parses before + piece + after. */
static lc_status parse_with(const char *before, const char *piece, const char *after, lc_error *e)
{
    char text[256];
    snprintf(text, sizeof(text), "%s%s%s", before, piece, after);
    return parse(text, e);
}

/* Every byte of the message is printable ASCII: no input byte echoed. */
static int message_ascii(const lc_error *e)
{
    for (const unsigned char *p = (const unsigned char *)e->message; *p; p++)
        if (*p < 0x20 || *p >= 0x7f)
            return 0;
    return 1;
}

/* RFC 3629: a lenient reader that decodes the overlong "\xC1\xB3" as 's'
 * sees "status" twice; this one must not see one document where another
 * sees a different one. */
static void test_utf8(void)
{
    static const char *invalid[] = {
        "\x80", "\xBF", "a\x80z",                   /* stray continuation bytes */
        "\xC0\x80", "\xC1\xB3", "\xC1\xBF",          /* overlong 2-byte          */
        "\xE0\x80\x80", "\xE0\x9F\xBF",              /* overlong 3-byte          */
        "\xF0\x80\x80\x80", "\xF0\x8F\xBF\xBF",      /* overlong 4-byte          */
        "\xED\xA0\x80", "\xED\xAF\xBF", "\xED\xB0\x80", "\xED\xBF\xBF", /* surrogates */
        "\xED\xA0\xBD\xED\xB8\x80",                  /* CESU-8 surrogate pair    */
        "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xF7\xBF\xBF\xBF", /* > U+10FFFF */
        "\xF8\x88\x80\x80\x80", "\xFC\x84\x80\x80\x80\x80", "\xFE", "\xFF",
        "\xC3", "\xE2\x82", "\xF0\x9F\x98", "\xC3z", "\xE2\x82z", /* cut short */
        "\xE2\x28\xA1", "\xF0\x9F\x28\x80",          /* bad later continuation   */
    };
    static const char *valid[] = {
        "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
        "\xEF\xBF\xBD", "\xEF\xBF\xBE", "\xEF\xBF\xBF", "\xEF\xB7\x90", /* U+FFFD, nonchars */
        "\xF0\x90\x80\x80", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF", "caf\xC3\xA9",
    };
    lc_error e;
    int all;
    size_t bad = 99;
    lc_error_init(&e);

    ok(parse("{\"\xC1\xB3tatus\":\"expired\",\"status\":\"current\"}", &e) == LC_ERR_PARSE &&
       ambiguous(&e) && strstr(e.message, "key holding invalid UTF-8") &&
       strstr(e.message, WHAT) && message_ascii(&e),
       "key \"\\xC1\\xB3tatus\" (overlong 's') before the real status is ambiguous: %s",
       e.message);
    ok(parse("{\"status\":\"cur\xFFrent\"}", &e) == LC_ERR_PARSE && ambiguous(&e) &&
       strstr(e.message, "at key \"status\"") && !strstr(e.message, "cur") &&
       message_ascii(&e),
       "a value holding invalid UTF-8 names its key, never the value: %s", e.message);
    ok(parse("[\"\xED\xA0\x80\"]", &e) == LC_ERR_PARSE && ambiguous(&e) &&
       strstr(e.message, "string holding invalid UTF-8 in") && strstr(e.message, "byte 2"),
       "a string outside any object: the offset, no key: %s", e.message);

    all = 1;
    for (size_t i = 0; i < sizeof(invalid) / sizeof(*invalid); i++) {
        if (parse_with("{\"k\":\"", invalid[i], "\"}", &e) != LC_ERR_PARSE || !ambiguous(&e) ||
            !message_ascii(&e)) {
            diag("value: accepted invalid sequence %zu", i);
            all = 0;
        }
        if (parse_with("{\"", invalid[i], "\":1}", &e) != LC_ERR_PARSE || !ambiguous(&e) ||
            !message_ascii(&e)) {
            diag("key: accepted invalid sequence %zu", i);
            all = 0;
        }
    }
    ok(all, "%zu ill-formed sequences (overlong, surrogate, > U+10FFFF, cut, stray) "
       "are ambiguous as value and as key", sizeof(invalid) / sizeof(*invalid));
    ok(parse("{\"k\":\"\xE2\x82", &e) == LC_ERR_PARSE && ambiguous(&e),
       "a sequence cut by the end of the input is refused: %s", e.message);

    all = 1;
    for (size_t i = 0; i < sizeof(valid) / sizeof(*valid); i++)
        if (parse_with("{\"k\":\"", valid[i], "\"}", &e) != LC_OK ||
            parse_with("{\"", valid[i], "\":1}", &e) != LC_OK) {
            diag("refused valid sequence %zu: %s", i, e.message);
            all = 0;
        }
    ok(all, "boundary code points U+0080..U+10FFFF and noncharacters parse as value and key");
    ok(parse("{\"a\":\"\\ufffe\\uffff\\ufdd0\\udbff\\udfff\\u0080\"}", &e) == LC_OK,
       "escaped noncharacters and U+10FFFF are accepted: %s", e.message);
    /* Escaped and raw forms decode to the same bytes: one key, not two. */
    ok(parse("{\"\\uffff\":1,\"\xEF\xBF\xBF\":2}", &e) == LC_ERR_PARSE && ambiguous(&e) &&
       strstr(e.message, "duplicate key") && message_ascii(&e),
       "key \"\\uffff\" and the raw U+FFFF are one key, given twice: %s", e.message);
    ok(parse("{\"caf\\u00e9\":1,\"caf\xC3\xA9\":2}", &e) == LC_ERR_PARSE && ambiguous(&e),
       "key \"caf\\u00e9\" and raw \"caf\xC3\xA9\" are one key, given twice");
    ok(parse("[\xC3\xA9]", &e) == LC_ERR_PARSE && !ambiguous(&e),
       "non-ASCII bytes outside a string are malformed, not ambiguous");

    ok(lc_utf8_valid("ab\xC3\xA9\xC1\xB3", 6, &bad) == 0 && bad == 4,
       "lc_utf8_valid gives the offset of the first bad byte (%zu)", bad);
    ok(lc_utf8_valid("ab\xF0\x9F\x98\x80", 6, NULL) == 1 && lc_utf8_valid("", 0, NULL) == 1,
       "lc_utf8_valid accepts well-formed text");
    {
        cJSON *body = cJSON_CreateObject(), *inner = cJSON_CreateObject();
        cJSON_AddItemToObject(body, "data", inner);
        cJSON_AddStringToObject(inner, "name", "caf\xC3\xA9");
        ok(lc_json_tree_utf8_valid(body) == 1, "a tree of well-formed strings is valid");
        cJSON_AddStringToObject(inner, "\xC1\xB3tatus", "x");
        ok(lc_json_tree_utf8_valid(body) == 0, "a key deep in the tree that is not UTF-8 is found");
        cJSON_DeleteItemFromObject(inner, "\xC1\xB3tatus");
        cJSON_AddItemToArray(cJSON_AddArrayToObject(inner, "list"), cJSON_CreateString("\xFF"));
        ok(lc_json_tree_utf8_valid(body) == 0, "a value in a nested array that is not UTF-8 is found");
        cJSON_Delete(body);
    }
    lc_error_clear(&e);
}

static void test_grammar(void)
{
    static const char *good[] = {
        "0", "-0.5e+10", "1E3", "true", "false", "null", "\"x\"", "[]", "{}",
        "[1,[2,{\"a\":[]}]]", " \t\r\n{ \"a\" : 1 , \"b\" : [ 1 , 2 ] } \n\t\r ",
    };
    static const char *bad[] = {
        "01", "+1", "1.", ".5", "-", "1e", "NaN", "Infinity", "0x10", "tru", "nul",
        "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a:1}", "'x'", "[", "{\"a\":",
        "\"unterminated", "\"tab\there\"", "\"bad \\x escape\"", "\xef\xbb\xbf{}",
        "\x01{}", "{}\x0b",
        /* 64 digits: cJSON would read 63 and see a different document */
        "[1234567890123456789012345678901234567890123456789012345678901234]",
    };
    lc_error e;
    int all = 1;
    lc_error_init(&e);
    for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
        if (parse(good[i], &e) != LC_OK) {
            diag("refused good %s: %s", good[i], e.message);
            all = 0;
        }
    ok(all, "RFC 8259 documents, with any JSON whitespace around them, parse");
    all = 1;
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
        if (parse(bad[i], &e) != LC_ERR_PARSE || (e.flags & LC_ERRF_AMBIGUOUS)) {
            diag("accepted bad %s", bad[i]);
            all = 0;
        }
    ok(all, "every malformed document is a parse error, not ambiguous");

    ok(parse("", &e) == LC_ERR_PARSE && strstr(e.message, "empty"), "empty input refused");
    ok(parse(" \n\t ", &e) == LC_ERR_PARSE && strstr(e.message, "empty"),
       "whitespace-only input refused");
    ok(parse("{\"a\":1} x", &e) == LC_ERR_PARSE && strstr(e.message, "data after"),
       "trailing garbage refused: %s", e.message);
    {
        cJSON *doc = NULL;
        static const char withnul[] = "{\"a\":1}\0{\"a\":2}";
        static const char inner[] = "{\"a\":\"x\0y\"}";
        ok(lc_json_parse(withnul, sizeof(withnul) - 1, NULL, WHAT, &doc, &e) == LC_ERR_PARSE &&
           !doc && strstr(e.message, "NUL") && !(e.flags & LC_ERRF_AMBIGUOUS),
           "a raw NUL byte after the document is refused: %s", e.message);
        ok(lc_json_parse(inner, sizeof(inner) - 1, NULL, WHAT, &doc, &e) == LC_ERR_PARSE &&
           !doc && strstr(e.message, "raw NUL") && (e.flags & LC_ERRF_AMBIGUOUS),
           "a raw NUL byte inside a string is refused as ambiguous (a C reader cuts the "
           "string there): %s", e.message);
        ok(lc_json_parse("{\"a\0b\":1}", 9, NULL, WHAT, &doc, &e) == LC_ERR_PARSE && !doc &&
           (e.flags & LC_ERRF_AMBIGUOUS), "a raw NUL byte inside a key too: %s", e.message);
    }
    {
        /* Counted input: the byte after len is not part of it, and need not
         * be readable (an exact-size heap copy; ASan would see an overread). */
        char *exact = malloc(5);
        cJSON *doc = NULL;
        memcpy(exact, "[1,2]", 5);
        ok(lc_json_parse(exact, 5, NULL, WHAT, &doc, &e) == LC_OK &&
           cJSON_GetArraySize(doc) == 2, "a buffer without a terminating NUL parses");
        cJSON_Delete(doc);
        ok(lc_json_parse("[1,2]]", 5, NULL, WHAT, &doc, &e) == LC_OK && doc,
           "only len bytes are read");
        cJSON_Delete(doc);
        free(exact);
    }
    lc_error_clear(&e);
}

/* Counts cJSON's allocations, to show the budget bounds what the tree
 * sink builds before the refusal: the values read so far, no more. */
static size_t cjson_allocs;
static void *counting_malloc(size_t n)
{
    cjson_allocs++;
    return malloc(n);
}

static void test_budget(void)
{
    lc_json_limits lim = { 1 << 20, 10, 4 };
    lc_error e;
    cJSON *doc = NULL;
    char deep[300];
    lc_error_init(&e);

    ok(lc_json_parse("[1,2,3,4,5,6,7,8,9]", 19, &lim, WHAT, &doc, &e) == LC_OK,
       "10 values within a budget of 10");
    cJSON_Delete(doc);
    doc = NULL;
    cJSON_InitHooks(&(cJSON_Hooks){ counting_malloc, free });
    cjson_allocs = 0;
    ok(lc_json_parse("[1,2,3,4,5,6,7,8,9,10]", 22, &lim, WHAT, &doc, &e) == LC_ERR_PARSE &&
       !doc && strstr(e.message, "more than 10"),
       "11 values over a budget of 10 refused: %s", e.message);
    ok(cjson_allocs <= lim.max_values,
       "refused with at most the budget's nodes allocated (%zu allocations)", cjson_allocs);
    cJSON_InitHooks(NULL);

    ok(lc_json_parse("[[[[1]]]]", 9, &lim, WHAT, &doc, &e) == LC_OK, "depth 4 within 4");
    cJSON_Delete(doc);
    doc = NULL;
    ok(lc_json_parse("[[[[[1]]]]]", 11, &lim, WHAT, &doc, &e) == LC_ERR_PARSE &&
       strstr(e.message, "deeper than 4"), "depth 5 refused: %s", e.message);
    ok(lc_json_parse("{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}", 26, &lim, WHAT, &doc, &e) ==
       LC_ERR_PARSE, "objects count toward depth too");

    memset(deep, '[', LC_JSON_MAX_DEPTH);
    memset(deep + LC_JSON_MAX_DEPTH, ']', LC_JSON_MAX_DEPTH);
    ok(lc_json_parse(deep, 2 * LC_JSON_MAX_DEPTH, NULL, WHAT, &doc, &e) == LC_OK,
       "default limits: depth %d parses", LC_JSON_MAX_DEPTH);
    cJSON_Delete(doc);
    doc = NULL;
    memset(deep, '[', LC_JSON_MAX_DEPTH + 1);
    memset(deep + LC_JSON_MAX_DEPTH + 1, ']', LC_JSON_MAX_DEPTH + 1);
    ok(lc_json_parse(deep, 2 * LC_JSON_MAX_DEPTH + 2, NULL, WHAT, &doc, &e) == LC_ERR_PARSE,
       "default limits: depth %d refused", LC_JSON_MAX_DEPTH + 1);

    lim.max_bytes = 8;
    ok(lc_json_parse("[1,2,3,4]", 9, &lim, WHAT, &doc, &e) == LC_ERR_PARSE && !doc,
       "input over max_bytes refused: %s", e.message);

    {
        lc_json_limits d = lc_json_limits_for(0), small = lc_json_limits_for(64 * 1024);
        ok(d.max_bytes == 16u * 1024 * 1024 && d.max_depth == LC_JSON_MAX_DEPTH,
           "lc_json_limits_for(0) is the 16 MiB default");
        ok(small.max_values < d.max_values && small.max_values >= 2048 &&
           d.max_values <= d.max_bytes / 16,
           "the value budget scales with the cap (%zu for 64 KiB, %zu for 16 MiB)",
           small.max_values, d.max_values);
    }
    ok(lc_json_parse("[]", 2, NULL, WHAT, NULL, &e) == LC_ERR_USAGE, "out NULL is a usage error");
    lc_error_clear(&e);
}

/* The other readers of untrusted bytes go through the strict reader. */
static void test_readers(void)
{
    lc_error e;
    lc_tokens t = { NULL, NULL, NULL, 0 };
    static const char general_dup[] =
        "{\"type\":\"not_found\",\"message\":\"gone\",\"message\":\"other\"}";
    static const char resource_two[] =
        "{\"errors\":[{\"attribute\":\"name\",\"full_messages\":[\"Name is bad\"]}]}"
        "{\"type\":\"x\",\"message\":\"y\"}";
    static const char token_dup[] =
        "{\"access_token\":\"tokA\",\"token_type\":\"bearer\",\"access_token\":\"tokB\"}";
    static const char token_nul[] =
        "{\"access_token\":\"tokA\\u0000tokB\",\"token_type\":\"bearer\"}";
    static const char oauth_dup[] = "{\"error\":\"invalid_grant\",\"error\":\"x\"}";
    static const char token_utf8[] =
        "{\"access_token\":\"tokA\xC0\xAE\",\"token_type\":\"bearer\"}";
    lc_http_answer a = { 404, general_dup, sizeof(general_dup) - 1, -1, 0, 0 };

    lc_error_init(&e);
    ok(lc_err_from_http(&e, &a, "GET /access_persons/:id") == LC_ERR_HTTP &&
       !strstr(e.message, "gone") && !strstr(e.message, "other"),
       "an ambiguous error body is no API body (plain HTTP error): %s", e.message);
    lc_error_clear(&e);
    a = (lc_http_answer){ 422, resource_two, sizeof(resource_two) - 1, -1, 0, 0 };
    ok(lc_err_from_http(&e, &a, "POST /access_persons") == LC_ERR_HTTP && !e.api_errors,
       "an error body followed by a second document is no API body: %s", e.message);
    lc_error_clear(&e);

    ok(lc_oauth_parse_token(token_dup, sizeof(token_dup) - 1, 1000, &t, &e) == LC_ERR_PARSE &&
       ambiguous(&e) && !t.access && !strstr(e.message, "tokA") && !strstr(e.message, "tokB"),
       "OAuth answer with access_token twice is refused: %s", e.message);
    lc_error_clear(&e);
    ok(lc_oauth_parse_token(token_nul, sizeof(token_nul) - 1, 1000, &t, &e) == LC_ERR_PARSE &&
       ambiguous(&e) && !t.access, "OAuth token holding NUL is refused: %s", e.message);
    lc_error_clear(&e);
    ok(lc_oauth_parse_token(token_utf8, sizeof(token_utf8) - 1, 1000, &t, &e) == LC_ERR_PARSE &&
       ambiguous(&e) && !t.access && !strstr(e.message, "tokA"),
       "OAuth token holding invalid UTF-8 is refused: %s", e.message);
    lc_error_clear(&e);
    ok(lc_tokens_parse(token_utf8, sizeof(token_utf8) - 1, &t, &e) == LC_ERR_IO && !t.access &&
       !strstr(e.message, "tokA"), "token file holding invalid UTF-8 is refused as io: %s",
       e.message);
    lc_error_clear(&e);
    ok(lc_oauth_map_error(400, oauth_dup, sizeof(oauth_dup) - 1, -1, 0, "POST /oauth/token",
                          &e) == LC_ERR_AUTH && e.api_type[0] == '\0',
       "an ambiguous OAuth error body is not trusted: %s", e.message);
    lc_error_clear(&e);

    ok(lc_tokens_parse(token_dup, sizeof(token_dup) - 1, &t, &e) == LC_ERR_IO && !t.access &&
       strstr(e.message, "duplicate key") && !strstr(e.message, "tokA") && !strstr(e.message, "tokB"),
       "token file with a key twice is refused as io: %s", e.message);
    lc_error_clear(&e);
    ok(lc_tokens_parse("{\"access_token\":\"a\"} {}", 23, &t, &e) == LC_ERR_IO && !t.access,
       "token file with trailing data is refused: %s", e.message);
    lc_error_clear(&e);
    lc_tokens_free(&t);
}

/* A number no finite double holds was read by cJSON as infinity (Lua's
 * decode gave math.huge, which encode then refused; C would print null):
 * a parse error, not ambiguous, that does not echo the number. Underflow
 * is accepted (a finite value every reader rounds alike). */
static void test_number_range(void)
{
    static const char *over[] = {
        "1e400", "-1e400", "10e308", "[1.8e308]", "{\"a\":-1E+400}", "1000e306",
        "[0.1e310]", "123456789012345678901234567890e300",
    };
    static const struct { const char *text; double want; } under[] = {
        { "1e-400", 0.0 }, { "-1e-400", -0.0 }, { "5e-324", 5e-324 }, { "1e-320", 1e-320 },
        { "0e99999", 0.0 }, { "1.7976931348623157e308", 1.7976931348623157e308 },
        { "100e306", 1e308 }, { "0.0001e310", 1e306 },
    };
    lc_error e;
    int all = 1;

    lc_error_init(&e);
    for (size_t i = 0; i < sizeof(over) / sizeof(*over); i++) {
        if (parse(over[i], &e) != LC_ERR_PARSE || (e.flags & LC_ERRF_AMBIGUOUS) ||
            !strstr(e.message, "double range") || strstr(e.message, "e3") ||
            strstr(e.message, "e4") || strstr(e.message, "E+")) {
            diag("%s: %s", over[i], e.message);
            all = 0;
        }
    }
    ok(all, "numbers beyond the double range are parse errors, not ambiguous, not echoed: %s",
       e.message);
    all = 1;
    for (size_t i = 0; i < sizeof(under) / sizeof(*under); i++) {
        cJSON *doc = NULL;
        lc_error_clear(&e);
        if (lc_json_parse(under[i].text, strlen(under[i].text), NULL, WHAT, &doc, &e) != LC_OK ||
            memcmp(&doc->valuedouble, &under[i].want, sizeof(double)) != 0) {
            diag("%s: %s", under[i].text, e.message);
            all = 0;
        }
        cJSON_Delete(doc);
    }
    ok(all, "underflow (1e-400 -> 0, -1e-400 -> -0), subnormals and DBL_MAX are accepted");
    lc_error_clear(&e);
}

/* The reader builds the tree cJSON's own parser builds, for every answer
 * the API documents (tests/spec: 000, 001 and 002) and for documents that
 * exercise escapes, numbers and nesting. */
static void test_same_tree_as_cjson(void)
{
    static const char *const files[] = { "remotelock.json", "lockstate_v1.json", "lockt.json" };
    static const char *const docs[] = {
        /* one document over two lines (parenthesised: not a missing comma) */
        ("{\"a\\\"b\":\"\\u00e9\\ud83d\\ude00\\n\\/\\t\",\"c\":[1,-0,0.1,1e-400,1.7976931348623157e308,"
         "123456789012345678,-9007199254740993,2.5E+3,true,false,null,[],{}]}"),
        "[[[[{\"x\":[{\"y\":\"\\u0041\"}]}]]]]",
        "\"only a string\"", "42", "null",
    };
    const char *top = getenv("LC_TOP");
    size_t compared = 0, differ = 0;
    char path[4096], first[160] = "";

    for (size_t i = 0; i < sizeof(docs) / sizeof(*docs); i++) {
        cJSON *mine = NULL, *theirs = cJSON_Parse(docs[i]);
        lc_error e;
        lc_error_init(&e);
        lc_json_parse(docs[i], strlen(docs[i]), NULL, WHAT, &mine, &e);
        compared++;
        if (!mine || !theirs || !cjson_same(mine, theirs)) {
            differ++;
            snprintf(first, sizeof first, "document %zu: %.100s", i, e.message);
        }
        cJSON_Delete(mine);
        cJSON_Delete(theirs);
    }
    for (size_t f = 0; top && f < sizeof(files) / sizeof(*files); f++) {
        FILE *fp;
        char *text;
        long n;
        cJSON *spec;
        snprintf(path, sizeof path, "%s/tests/spec/%s", top, files[f]);
        if (!(fp = fopen(path, "rb")))
            continue;
        fseek(fp, 0, SEEK_END);
        n = ftell(fp);
        rewind(fp);
        text = malloc((size_t)n + 1);
        if (fread(text, 1, (size_t)n, fp) != (size_t)n)
            n = 0;
        text[n] = '\0';
        fclose(fp);
        spec = cJSON_Parse(text);
        free(text);
        for (const cJSON *ex = spec ? spec->child : NULL; ex; ex = ex->next) {
            const cJSON *parts[] = { cJSON_GetObjectItemCaseSensitive(ex, "response"),
                                     cJSON_GetObjectItemCaseSensitive(ex, "body") };
            for (size_t k = 0; k < 2; k++) {
                char *printed = parts[k] && !cJSON_IsNull(parts[k]) ?
                                cJSON_PrintUnformatted(parts[k]) : NULL;
                cJSON *mine = NULL, *theirs = printed ? cJSON_Parse(printed) : NULL;
                lc_error e;
                if (!printed)
                    continue;
                lc_error_init(&e);
                lc_json_parse(printed, strlen(printed), NULL, WHAT, &mine, &e);
                compared++;
                if (!mine || !theirs || !cjson_same(mine, theirs)) {
                    differ++;
                    if (!first[0])
                        snprintf(first, sizeof first, "%s example at line %d: %.100s", files[f],
                                 cJSON_GetObjectItemCaseSensitive(ex, "line") ?
                                 cJSON_GetObjectItemCaseSensitive(ex, "line")->valueint : -1,
                                 e.message);
                }
                cJSON_Delete(mine);
                cJSON_Delete(theirs);
                free(printed);
            }
        }
        cJSON_Delete(spec);
    }
    ok(differ == 0 && compared > (top ? 250u : 4u),
       "the reader's tree is cJSON's for %zu documents (every documented body and answer) %s",
       compared, first);
}

int main(void)
{
    test_same_tree_as_cjson();
    test_attack_documents();
    test_duplicate_keys();
    test_escaped_backslash();
    test_utf8();
    test_grammar();
    test_number_range();
    test_budget();
    test_readers();
    return tap_done();
}
