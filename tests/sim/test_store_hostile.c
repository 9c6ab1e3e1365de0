/* A hostile or careless client through the resource boundary: what a
 * listing remembers between requests is keyed so that no two different
 * queries share an answer, and a refused write changes nothing, sequences
 * included. (Found by review and by tests/fuzz/fuzz_sim_request.c.) */
#include "test_store_harness.h"

/* Listings whose decoded query pairs join to the same text ("k=v" with
 * "=" inside a key or a value) are different listings. */
static void test_kept_key(harness *h)
{
    /* key "attributes[name]=Harbor", value "View": no filter, 2 locations */
    h_call(h, "GET", "/locations?attributes%5Bname%5D%3DHarbor=View", NULL);
    ok(h->status == 200 && h_count(h) == 2, "an unknown query key filters nothing (%d)",
       h_count(h));
    /* key "attributes[name]", value "Harbor=View": no location has it */
    h_call(h, "GET", "/locations?attributes%5Bname%5D=Harbor%3DView", NULL);
    ok(h->status == 200 && h_count(h) == 0,
       "name filter \"Harbor=View\" right after: nothing, not the last answer (%d)",
       h_count(h));
    h_call(h, "GET", "/locations?attributes%5Bname%5D=Harbor%20View", NULL);
    ok(h->status == 200 && h_count(h) == 1, "name filter \"Harbor View\": one (%d)",
       h_count(h));
}

#define GUEST_BODY(ends)                                                                    \
    "{\"type\":\"access_guest\",\"attributes\":{\"name\":\"Zed\",\"generate_pin\":true,"      \
    "\"starts_at\":\"2026-03-01T00:00:00\",\"ends_at\":\"" ends "\"}}"

/* The PIN a guest created with generate_pin gets, after refused: a
 * create refused for its window, or an update refused for it. */
static void generated_pin(int refused, char *out, size_t outlen)
{
    harness h;
    h_init(&h);
    if (refused) {
        h_call(&h, "POST", "/access_persons", GUEST_BODY("2026-02-01T00:00:00"));
        ok(h.status == 422, "a guest ending before it starts: 422");
        h_call(&h, "PUT", "/access_persons/" P(2),
               "{\"attributes\":{\"generate_pin\":true,\"ends_at\":\"2020-01-01T00:00:00\"}}");
        ok(h.status == 422, "an update generating a PIN, refused for its window: 422");
    }
    h_call(&h, "POST", "/access_persons", GUEST_BODY("2026-04-01T00:00:00"));
    snprintf(out, outlen, "%s", h.status == 201 ? h_str(&h, "data.attributes.pin") : "(none)");
    h_free(&h);
}

/* Refused writes leave the sequence behind generated PINs alone, as
 * they leave the id sequence: a client's next create gets what it would
 * have got without the refusals. */
static void test_refused_sequences(void)
{
    char fresh[32], after[32];
    generated_pin(0, fresh, sizeof fresh);
    generated_pin(1, after, sizeof after);
    ok(strcmp(fresh, "(none)") != 0 && strcmp(fresh, after) == 0,
       "the PIN generated after two refusals is the first one (%s, %s)", fresh, after);
}

/* Routes split the path as sent, then decode each segment: an escaped
 * slash is part of an id. */
static void test_escaped_slash(harness *h)
{
    h_call(h, "GET", "/access_persons/" P(1) "/accesses", NULL);
    ok(h->status == 200 && h_count(h) == 1, "a person's grants: 200, one (%d)", h->status);
    h_call(h, "GET", "/access_persons/" P(1) "%2Faccesses", NULL);
    ok(h->status == 404, "the same with the slash escaped: a person id, 404 (%d)", h->status);
    h_call(h, "PUT", "/devices/" D(1) "%2flock", NULL);
    ok(h->status == 404, "an escaped slash before an action: 404 (%d)", h->status);
    h_call(h, "GET", "/access_persons/%33" "0000000-0000-4000-8000-000000000001", NULL);
    ok(h->status == 200, "other escapes in an id still decode (%d)", h->status);
}

/* Every filter group counts, however many a listing has: 33 attributes
 * of a device that match it, then one it does not have. */
static void test_many_filters(harness *h)
{
    h_call(h, "GET", "/devices/" D(1), NULL);
    const cJSON *attrs = h_get(h->body, "data.attributes"), *a;
    char target[8192];
    size_t len = (size_t)snprintf(target, sizeof target, "/devices?");
    int groups = 0;
    cJSON_ArrayForEach(a, attrs) {
        char value[64];
        if (cJSON_IsString(a))
            snprintf(value, sizeof value, "%s", a->valuestring);
        else if (cJSON_IsBool(a))
            snprintf(value, sizeof value, "%s", cJSON_IsTrue(a) ? "true" : "false");
        else if (cJSON_IsNumber(a))
            snprintf(value, sizeof value, "%.17g", a->valuedouble);
        else if (cJSON_IsNull(a))
            value[0] = '\0';
        else
            continue;
        len += (size_t)snprintf(target + len, sizeof target - len, "attributes[%s]=", a->string);
        for (const unsigned char *v = (const unsigned char *)value; *v; v++)
            len += (size_t)snprintf(target + len, sizeof target - len,
                                    (*v >= 'a' && *v <= 'z') || (*v >= '0' && *v <= '9') ? "%c"
                                                                                       : "%%%02X",
                                    *v);
        len += (size_t)snprintf(target + len, sizeof target - len, "&");
        groups++;
    }
    h_call(h, "GET", target, NULL);
    ok(groups > 32 && h->status == 200 && h_count(h) == 1,
       "%d attribute filters the device matches: it alone (%d)", groups, h_count(h));
    snprintf(target + len, sizeof target - len, "attributes[no_such_attribute]=1");
    h_call(h, "GET", target, NULL);
    ok(h->status == 200 && h_count(h) == 0,
       "one more, on an attribute it does not have: nothing (%d)", h_count(h));
}

/* Deleting an access exception a schedule uses clears the schedule's
 * reference: the schedule still takes updates and links nothing missing. */
static void test_deleted_reference(harness *h)
{
    const char *schedule = "/schedules/c0000000-0000-4000-8000-000000000001";
    h_call(h, "PUT", schedule,
           "{\"attributes\":{\"access_exception_id\":\"b0000000-0000-4000-8000-000000000001\"}}");
    ok(h->status == 200 && h_get(h->body, "data.links.access_exception"),
       "a schedule using the exception links it (%d)", h->status);
    h_call(h, "DELETE", "/access_exceptions/b0000000-0000-4000-8000-000000000001", NULL);
    ok(h->status == 204, "delete the exception: 204");
    h_call(h, "PUT", schedule, "{\"attributes\":{\"name\":\"Renamed\"}}");
    ok(h->status == 200 && strcmp(h_str(h, "data.attributes.name"), "Renamed") == 0,
       "the schedule is renamed, not refused for an exception it was not sent (%d)",
       h->status);
    h_call(h, "GET", schedule, NULL);
    ok(h->status == 200 && !h_get(h->body, "data.links.access_exception") &&
           !h_get(h->body, "data.attributes.access_exception_id"),
       "and neither links nor names the deleted exception");
}

int main(void)
{
    harness h;
    h_init(&h);
    test_kept_key(&h);
    test_escaped_slash(&h);
    test_many_filters(&h);
    test_deleted_reference(&h);
    h_free(&h);
    test_refused_sequences();
    return tap_done();
}
