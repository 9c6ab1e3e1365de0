/* The API surfaces on the listener. RemoteLock is mounted at the root:
 * bearer tokens from /oauth/token, the documented X-RateLimit-* headers and
 * 429 body, {"message"} for unknown paths. A second vendor (Lockt:
 * `apiuser`/`apikey` headers, its own documents) would add a row here with
 * its prefix ("/api/v1"), an auth function and a store built from its own
 * resource table (see docs/SIMULATOR.md). */
#include <string.h>

#include "server.h"

#define RATE_LIMIT_MESSAGE \
    "Your account has exceeded the rate limit. Check the X-RateLimit-* headers."

static void remotelock_rate_headers(sim_reply *r, const sim_rl_state *st)
{
    sim_reply_header(r, "X-RateLimit-Limit", "%ld", st->limit);
    sim_reply_header(r, "X-RateLimit-Remaining", "%ld", st->remaining);
    sim_reply_header(r, "X-RateLimit-Reset", "%lld", (long long)st->reset);
}

static void remotelock_rate_limited(sim_reply *r, const sim_rl_state *st)
{
    sim_reply_message(r, 429, RATE_LIMIT_MESSAGE);
    sim_reply_header(r, "Retry-After", "%ld", st->retry_after);
}

static void remotelock_no_route(sim_reply *r)
{
    sim_reply_message(r, 404, "Not found");
}

static sim_store *remotelock_store(sim_server *s)
{
    return s->store;
}

const sim_surface sim_surfaces[] = {
    {"remotelock", "", sim_auth_check, remotelock_rate_headers, remotelock_rate_limited,
     remotelock_no_route, remotelock_store},
};
const size_t sim_nsurfaces = sizeof sim_surfaces / sizeof sim_surfaces[0];

_Static_assert(sizeof sim_surfaces / sizeof sim_surfaces[0] <= SIM_MAX_SURFACES,
               "raise SIM_MAX_SURFACES");

const sim_surface *sim_surface_for(const char *path, const char **rest)
{
    const sim_surface *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < sim_nsurfaces; i++) {
        size_t n = strlen(sim_surfaces[i].prefix);
        if (strncmp(path, sim_surfaces[i].prefix, n) == 0 &&
            (path[n] == '/' || path[n] == '\0') && (!best || n > best_len)) {
            best = &sim_surfaces[i];
            best_len = n;
        }
    }
    if (best && rest)
        *rest = path + best_len;
    return best;
}

void sim_surfaces_rate_configure(sim_server *s)
{
    for (size_t i = 0; i < sim_nsurfaces; i++)
        sim_rl_configure(&s->rl[i], s->cfg.rate_limit, s->cfg.rate_window);
}
