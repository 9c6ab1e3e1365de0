/* Fault injection: a queue of armed faults, each hitting the next `count`
 * API/OAuth requests whose path starts with its prefix. */
#ifndef SIM_FAULTS_H
#define SIM_FAULTS_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "rawbody.h"
#include "reply.h"

#define SIM_MAX_FAULTS 64

typedef enum sim_fault_kind {
    SIM_FAULT_LATENCY,
    SIM_FAULT_STATUS,
    SIM_FAULT_MALFORMED,
    SIM_FAULT_DROP,
    SIM_FAULT_RAW
} sim_fault_kind;

typedef struct sim_fault {
    sim_fault_kind kind;
    long count;        /* requests still to hit            */
    char *path;        /* prefix filter, NULL = every path */
    long ms;           /* latency                          */
    int status;        /* status, raw                      */
    long retry_after;  /* status: Retry-After seconds, 0 = none */
    sim_rawbody *raw;  /* raw: the exact body (one reference) */
} sim_fault;

typedef struct sim_faults {
    sim_fault items[SIM_MAX_FAULTS];
    size_t n;
} sim_faults;

/* Arms a fault from a /_sim/fault document. 0, or -1 with a message. */
int sim_faults_add_json(sim_faults *f, const cJSON *doc, char *err, size_t errlen);

/* Applies the first armed fault matching path, if any. Latency sleeps and
 * returns 0 (carry on); the others fill r and return 1. */
int sim_faults_apply(sim_faults *f, const char *path, sim_reply *r);

/* {"faults":[...]} describing what is still armed. */
cJSON *sim_faults_to_json(const sim_faults *f);
void sim_faults_clear(sim_faults *f);

#endif
