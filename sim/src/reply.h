/* A response under construction: status, JSON body, extra headers, or the
 * instruction to drop the connection without answering. */
#ifndef SIM_REPLY_H
#define SIM_REPLY_H

#include <stddef.h>
#include <cjson/cJSON.h>

#define SIM_REPLY_MAX_HEADERS 10

typedef struct sim_header {
    const char *name;   /* static string */
    char value[192];
} sim_header;

typedef struct sim_reply {
    int status;         /* 0 until something is set                 */
    char *body;         /* malloc'd, or NULL for an empty body       */
    size_t body_len;
    int drop;           /* close the connection without a response  */
    size_t nheaders;
    sim_header headers[SIM_REPLY_MAX_HEADERS];
} sim_reply;

/* Serialises doc (may be NULL: empty body) and takes ownership of it. */
void sim_reply_json(sim_reply *r, int status, cJSON *doc);
/* {"message": msg} */
void sim_reply_message(sim_reply *r, int status, const char *msg);
/* A body sent verbatim (used for the malformed-JSON fault). */
void sim_reply_raw(sim_reply *r, int status, const char *text);
__attribute__((format(printf, 3, 4)))
void sim_reply_header(sim_reply *r, const char *name, const char *fmt, ...);
void sim_reply_free(sim_reply *r);

#endif
