/* The RemoteLock catalogue: API coverage is data. One row per documented
 * endpoint of the current API (seed 000) and of LockState v1 (001), in
 * one file per resource group (catalogue_remotelock_<group>.c); each row
 * carries everything the core and the bindings need (see lc_endpoint in
 * lockcloud.h) and which documents have it (NOW, V1, or both); the Lua
 * methods are generated from it. Names are "<resource>.<action>";
 * summaries follow the API documents; query keys and sorts follow each
 * endpoint's parameter table and the reference's "Filtering" section.
 * This file holds what the groups share and the vendor descriptor. */
#include "catalogue_remotelock.h"

const lc_param lc_rl_q_filter[] = { P_ID, P_ATTRS, P_END };
const lc_param lc_rl_q_sorted[] = { P_SORT, P_ID, P_ATTRS, P_END };
const lc_param lc_rl_q_typed[] = { P_TYPE, P_SORT, P_ID, P_ATTRS, P_END };

const char *const lc_rl_s_name[] = { "created_at", "name", NULL };
const char *const lc_rl_s_created[] = { "created_at", NULL };

/* Catalogue order: people and their access, devices, places and groups,
 * events and notifications, schedules. */
static const lc_catalogue_part *const parts[] = {
    &lc_rl_part_people, &lc_rl_part_devices, &lc_rl_part_places, &lc_rl_part_events,
    &lc_rl_part_schedules,
};

const lc_vendor lc_vendor_remotelock = {
    .name = "remotelock",
    .parts = parts,
    .nparts = sizeof parts / sizeof parts[0],
    .protocol = &lc_protocol_remotelock,
};
