/* Request log: a ring buffer so a long-running demo cannot grow it forever. */
#include "reqlog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sim_reqlog_add(sim_reqlog *log, const char *method, const char *path,
                    int status, unsigned long connection)
{
    if (!log->items) {
        log->items = calloc(SIM_REQLOG_MAX, sizeof(*log->items));
        if (!log->items)
            return;
    }
    char *copy = strdup(path);
    if (!copy)
        return;
    size_t slot = (log->head + log->n) % SIM_REQLOG_MAX;
    if (log->n == SIM_REQLOG_MAX) { /* full: overwrite the oldest */
        free(log->items[log->head].path);
        log->head = (log->head + 1) % SIM_REQLOG_MAX;
    } else {
        log->n++;
    }
    sim_reqlog_entry *e = &log->items[slot];
    snprintf(e->method, sizeof(e->method), "%s", method);
    e->path = copy;
    e->status = status;
    e->connection = connection;
}

cJSON *sim_reqlog_to_json(const sim_reqlog *log)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(doc, "requests");
    for (size_t i = 0; arr && i < log->n; i++) {
        const sim_reqlog_entry *e = &log->items[(log->head + i) % SIM_REQLOG_MAX];
        cJSON *o = cJSON_CreateObject();
        if (!o)
            break;
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "method", e->method);
        cJSON_AddStringToObject(o, "path", e->path);
        cJSON_AddNumberToObject(o, "status", e->status);
        cJSON_AddNumberToObject(o, "connection", (double)e->connection);
    }
    return doc;
}

void sim_reqlog_clear(sim_reqlog *log)
{
    for (size_t i = 0; i < log->n; i++)
        free(log->items[(log->head + i) % SIM_REQLOG_MAX].path);
    free(log->items);
    log->items = NULL;
    log->n = 0;
    log->head = 0;
}
