/* Bearer token check for API requests (RFC 6750 style answers). */
#include <string.h>
#include <strings.h>

#include "server.h"

int sim_auth_check(sim_server *s, const sim_http_req *req, sim_reply *r)
{
    const char *h = sim_http_header(req, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7) != 0) {
        sim_reply_message(r, 401, "Authorization header with a Bearer access token required");
        sim_reply_header(r, "WWW-Authenticate", "Bearer realm=\"lockcloud-sim\"");
        return -1;
    }
    const char *token = h + 7;
    while (*token == ' ')
        token++;
    if (!*token) {
        sim_reply_message(r, 401, "Authorization header with a Bearer access token required");
        sim_reply_header(r, "WWW-Authenticate", "Bearer realm=\"lockcloud-sim\"");
        return -1;
    }
    if (!sim_tokens_access_valid(&s->tokens, token, sim_clock_now(&s->clock))) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "message", "The access token is invalid or has expired");
        cJSON_AddStringToObject(doc, "type", "invalid_token");
        sim_reply_json(r, 403, doc);
        sim_reply_header(r, "WWW-Authenticate",
                         "Bearer realm=\"lockcloud-sim\", error=\"invalid_token\"");
        return -1;
    }
    return 0;
}
