/* In-memory resource store (stub; filled in shortly). */
#include <stdlib.h>
#include "sim_resources.h"

struct sim_store { int unused; };

sim_store *sim_store_new(void) { return calloc(1, sizeof(sim_store)); }
void sim_store_free(sim_store *store) { free(store); }
int sim_store_load(sim_store *store, const cJSON *fixture, char *err, size_t errlen)
{
    (void)store; (void)fixture; (void)err; (void)errlen;
    return 0;
}
int sim_resources_handle(sim_store *store, const sim_request *req, sim_response *res)
{
    (void)store; (void)req; (void)res;
    return 0;
}
