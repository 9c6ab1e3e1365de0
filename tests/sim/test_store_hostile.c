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

int main(void)
{
    harness h;
    h_init(&h);
    test_kept_key(&h);
    h_free(&h);
    return tap_done();
}
