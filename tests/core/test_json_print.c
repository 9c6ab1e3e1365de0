/* The exact JSON writer (lc_json_print) that prints request bodies and
 * lockcloud.encode's text. cJSON's printer (%1.15g, accepted when it reads
 * back only approximately) sent 6666666666666661 as 6.66666666666666e+15
 * and 0.30000000000000004 as 0.3: every number must read back bit-for-bit,
 * NaN and infinity are refused, strings are escaped exactly as cJSON does.
 * The end-to-end part sends numbers in a body to the simulator, which keeps
 * them and matches an attributes[x] filter against their %.17g spelling. */
#include <math.h>
#include <stdint.h>

#include "coretest.h"
#include "json_parse.h"
#include "json_print.h"

/* Prints {"v":d}, reads it back with the strict reader; 1 when the text is
 * {"v":<want>} (want NULL: any) and the value read back has d's bits. */
static int round_trip(double d, const char *want)
{
    cJSON *doc = cJSON_CreateObject(), *back = NULL;
    char *text = NULL;
    size_t len = 0;
    lc_error e;
    int good = 0;

    lc_error_init(&e);
    cJSON_AddNumberToObject(doc, "v", d);
    if (lc_json_print(doc, &text, &len, &e) != LC_OK) {
        diag("print %.17g: %s", d, e.message);
    } else if (lc_json_parse(text, len, NULL, "printed", &back, &e) != LC_OK) {
        diag("read back %s: %s", text, e.message);
    } else {
        double r = cJSON_GetObjectItem(back, "v")->valuedouble;
        char expect[64];
        snprintf(expect, sizeof(expect), "{\"v\":%s}", want ? want : "");
        good = memcmp(&r, &d, sizeof(d)) == 0 && len == strlen(text) &&
               (!want || strcmp(text, expect) == 0);
        if (!good)
            diag("%.17g printed as %s, read back as %.17g", d, text, r);
    }
    free(text);
    cJSON_Delete(back);
    cJSON_Delete(doc);
    lc_error_clear(&e);
    return good;
}

static void test_numbers(void)
{
    double two53 = 9007199254740992.0;

    ok(round_trip(6666666666666661.0, "6666666666666661"),
       "6666666666666661 (< 2^53) is written as that integer (cJSON: 6.66666666666666e+15)");
    ok(round_trip(0.30000000000000004, "0.30000000000000004"),
       "0.30000000000000004 keeps its 17 digits (cJSON: 0.3)");
    ok(round_trip(0.1, "0.1") && round_trip(1.5, "1.5") && round_trip(-2.25e-7, "-2.25e-07"),
       "values that 15 digits give back keep the short form");
    ok(round_trip(two53, "9007199254740992") && round_trip(-two53, "-9007199254740992"),
       "+-2^53 are written as integers");
    ok(round_trip(two53 + 2, "9007199254740994"), "2^53+2 is written with all 16 digits");
    ok(round_trip(1e15, "1000000000000000") && round_trip(0, "0") && round_trip(-7, "-7"),
       "integral values up to 2^53 carry no exponent");
    ok(round_trip(-0.0, "-0"), "-0.0 is written as -0 and reads back with its sign");
    ok(round_trip(1e-320, NULL) && round_trip(-1e-320, NULL) &&
       round_trip(2.2250738585072009e-308, NULL),
       "subnormals read back bit-for-bit");
    ok(round_trip(5e-324, NULL), "the smallest subnormal (5e-324) reads back bit-for-bit");
    ok(round_trip(1.7976931348623157e308, "1.7976931348623157e+308") &&
       round_trip(-1.7976931348623157e308, "-1.7976931348623157e+308"),
       "+-DBL_MAX is written with 17 digits (fewer would read back as infinity)");
    ok(round_trip(1e300, "1e+300") && round_trip(two53 * 4 + 8, "36028797018963976"),
       "integral values beyond 2^53 in the shortest exact form");

    /* Bit patterns spread over the whole double range. */
    {
        uint64_t x = 0x9E3779B97F4A7C15u;
        int all = 1, n;
        for (n = 0; n < 200000 && all; n++) {
            double d, r;
            char buf[LC_JSON_NUMBER_MAX];
            size_t len;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            memcpy(&d, &x, sizeof(d));
            if (isnan(d) || isinf(d))
                continue;
            len = lc_json_format_number(d, buf);
            r = strtod(buf, NULL);
            if (!len || len != strlen(buf) || len > 24 || memcmp(&r, &d, sizeof(d)) != 0) {
                diag("%a written as %s", d, buf);
                all = 0;
            }
        }
        ok(all, "200,000 random doubles read back bit-for-bit in at most 24 characters");
    }
}

static lc_status print_one(cJSON *doc, char **text, lc_error *e)
{
    lc_status st;
    lc_error_clear(e);
    st = lc_json_print(doc, text, NULL, e);
    cJSON_Delete(doc);
    return st;
}

static void test_refused(void)
{
    static const double bad[] = { NAN, INFINITY, -INFINITY };
    const char *names[] = { "NaN", "infinity", "-infinity" };
    lc_error e;
    char *text = (char *)"unset";

    lc_error_init(&e);
    for (size_t i = 0; i < 3; i++) {
        cJSON *doc = cJSON_CreateArray();
        cJSON_AddItemToArray(doc, cJSON_CreateNumber(1));
        cJSON_AddItemToArray(doc, cJSON_CreateNumber(bad[i]));
        ok(print_one(doc, &text, &e) == LC_ERR_USAGE && !text && strstr(e.message, "NaN"),
           "%s is a usage error, not null: %s", names[i], e.message);
    }
    {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "name", "Ann\xC1\xB3");
        ok(print_one(doc, &text, &e) == LC_ERR_USAGE && !text && strstr(e.message, "UTF-8") &&
           !strstr(e.message, "Ann"), "a string that is not UTF-8 is refused: %s", e.message);
        doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "k\xED\xA0\x80", "v");
        ok(print_one(doc, &text, &e) == LC_ERR_USAGE && !text,
           "a key that is not UTF-8 is refused: %s", e.message);
    }
    {
        cJSON *doc = cJSON_CreateArray(), *p = doc;
        for (int i = 1; i < LC_JSON_MAX_DEPTH; i++) {
            cJSON *a = cJSON_CreateArray();
            cJSON_AddItemToArray(p, a);
            p = a;
        }
        ok(lc_json_print(doc, &text, NULL, &e) == LC_OK && text, "%d nested arrays are written",
           LC_JSON_MAX_DEPTH);
        free(text);
        cJSON_AddItemToArray(p, cJSON_CreateArray());
        ok(print_one(doc, &text, &e) == LC_ERR_USAGE && !text,
           "%d nested arrays (beyond what the reader takes) are refused: %s",
           LC_JSON_MAX_DEPTH + 1, e.message);
    }
    lc_error_clear(&e);
}

/* With no number in the tree, the text must be cJSON's, byte for byte. */
static void test_same_as_cjson(void)
{
    char all[128], key[32];
    cJSON *doc = cJSON_CreateObject(), *arr = cJSON_CreateArray();
    char *ours = NULL, *theirs;
    lc_error e;

    lc_error_init(&e);
    for (int i = 1; i < 128; i++)
        all[i - 1] = (char)i;
    all[127] = '\0';
    cJSON_AddStringToObject(doc, all, all);
    cJSON_AddStringToObject(doc, "utf8 \xC3\xA9\xE2\x82\xAC\xF0\x9F\x94\x92", "/\\\"\x7f");
    for (int i = 0; i < 5; i++) {
        snprintf(key, sizeof(key), "k\t%d\"", i);
        cJSON_AddItemToArray(arr, i % 2 ? cJSON_CreateTrue() : cJSON_CreateString(key));
    }
    cJSON_AddItemToArray(arr, cJSON_CreateFalse());
    cJSON_AddItemToArray(arr, cJSON_CreateNull());
    cJSON_AddItemToArray(arr, cJSON_CreateObject());
    cJSON_AddItemToArray(arr, cJSON_CreateArray());
    cJSON_AddItemToArray(arr, cJSON_CreateString(""));
    cJSON_AddItemToArray(arr, cJSON_CreateRaw("{\"raw\":[1,2]}"));
    cJSON_AddItemToObject(doc, "", arr);
    theirs = cJSON_PrintUnformatted(doc);
    ok(lc_json_print(doc, &ours, NULL, &e) == LC_OK && theirs && strcmp(ours, theirs) == 0,
       "strings, keys, literals, containers and raw items are written as cJSON writes them");
    free(ours);
    cJSON_free(theirs);
    cJSON_Delete(doc);
    lc_error_clear(&e);
}

/* End to end: the body is printed by the library and read by the
 * simulator, which keeps a fixture's device attributes as it read them and
 * matches attributes[x]=<value> against "%.17g" of the stored number. The
 * fixture goes through lc_request, so its numbers take the library's path
 * of every request body. */
#define LOC "10000000-0000-4000-8000-0000000000aa"
#define DEV "20000000-0000-4000-8000-0000000000aa"

static int devices_matching(lc_client *c, const char *attr, const char *value)
{
    char key[64];
    const char *query[3] = { key, value, NULL };
    cJSON *doc = NULL;
    lc_error e;
    int n = -1;

    lc_error_init(&e);
    snprintf(key, sizeof(key), "attributes[%s]", attr);
    if (lc_call(c, "devices.list", NULL, query, NULL, &doc, &e) == LC_OK) {
        const cJSON *data = cJSON_GetObjectItem(doc, "data");
        n = cJSON_IsArray(data) ? cJSON_GetArraySize(data) : -1;
    } else {
        diag("devices.list: %s", e.message);
    }
    cJSON_Delete(doc);
    lc_error_clear(&e);
    return n;
}

static void test_end_to_end(simproc *sim, lc_client *c)
{
    cJSON *fx = cJSON_CreateObject(), *locs = cJSON_AddArrayToObject(fx, "locations");
    cJSON *devs = cJSON_AddArrayToObject(fx, "devices"), *loc = cJSON_CreateObject();
    cJSON *dev = cJSON_CreateObject(), *out = NULL;
    lc_error e;
    lc_status st;

    lc_error_init(&e);
    cJSON_AddStringToObject(loc, "id", LOC);
    cJSON_AddStringToObject(loc, "name", "Numbers");
    cJSON_AddStringToObject(loc, "time_zone", "UTC");
    cJSON_AddItemToArray(locs, loc);
    cJSON_AddStringToObject(dev, "id", DEV);
    cJSON_AddStringToObject(dev, "type", "lock");
    cJSON_AddStringToObject(dev, "name", "Exact");
    cJSON_AddStringToObject(dev, "location_id", LOC);
    cJSON_AddNumberToObject(dev, "auto_lock_timeout", 6666666666666661.0);
    cJSON_AddNumberToObject(dev, "power_level", 0.30000000000000004);
    cJSON_AddNumberToObject(dev, "heartbeat_interval", 9007199254740994.0);
    cJSON_AddItemToArray(devs, dev);

    st = lc_request(c, "POST", "/_sim/fixture", fx, &out, &e);
    ok(st == LC_OK, "fixture with exact numbers sent through lc_request: %s", e.message);
    ok(devices_matching(c, "auto_lock_timeout", "6666666666666661") == 1,
       "the simulator holds 6666666666666661 (not 6666666666666660)");
    ok(devices_matching(c, "power_level", "0.30000000000000004") == 1,
       "the simulator holds 0.30000000000000004 (not 0.3)");
    ok(devices_matching(c, "heartbeat_interval", "9007199254740994") == 1,
       "the simulator holds 2^53+2");
    cJSON_Delete(out);
    out = NULL;

    /* NaN in a body: nothing is sent, the error names the request. */
    cJSON_ReplaceItemInObject(dev, "power_level", cJSON_CreateNumber(NAN));
    lc_error_clear(&e);
    st = lc_request(c, "POST", "/_sim/fixture", fx, &out, &e);
    ok(st == LC_ERR_USAGE && !out && strstr(e.message, "POST /_sim/fixture") &&
       strstr(e.message, "NaN"), "a body holding NaN is a usage error: %s", e.message);
    ok(devices_matching(c, "power_level", "0.30000000000000004") == 1,
       "and nothing was sent (the fixture stayed)");
    cJSON_Delete(fx);
    lc_error_clear(&e);
    ok(sim_ctl(sim, "POST", "/_sim/reset", NULL, NULL) == 200, "simulator reset");
}

int main(void)
{
    simproc *sim;
    lc_client *c;

    test_numbers();
    test_refused();
    test_same_as_cjson();
    sim = simproc_start(NULL);
    if (!sim)
        return 1;
    c = test_client(sim, NULL, NULL);
    if (c)
        test_end_to_end(sim, c);
    lc_client_free(c);
    ok(simproc_stop(sim) == 0, "simulator exits cleanly");
    return tap_done();
}
