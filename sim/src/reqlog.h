/* Log of API/OAuth requests for GET /_sim/requests (oldest first, bounded). */
#ifndef SIM_REQLOG_H
#define SIM_REQLOG_H

#include <stddef.h>
#include <cjson/cJSON.h>

#define SIM_REQLOG_MAX 10000

typedef struct sim_reqlog_entry {
    char method[12];
    char *path;
    int status;               /* 0: connection dropped without an answer */
    unsigned long connection;
} sim_reqlog_entry;

typedef struct sim_reqlog {
    sim_reqlog_entry *items;  /* ring buffer of SIM_REQLOG_MAX once full */
    size_t n, head;
} sim_reqlog;

void sim_reqlog_add(sim_reqlog *log, const char *method, const char *path,
                    int status, unsigned long connection);
cJSON *sim_reqlog_to_json(const sim_reqlog *log);
void sim_reqlog_clear(sim_reqlog *log);

#endif
