/* What the RemoteLock catalogue files share: flag shorthands, the row
 * shapes, the query keys and sorts several resource groups use. Each
 * catalogue_remotelock_<group>.c holds one group's rows and its part;
 * catalogue_remotelock.c lists the parts in order. */
#ifndef LC_CATALOGUE_REMOTELOCK_H
#define LC_CATALOGUE_REMOTELOCK_H

#include "vendor.h"

/* ---- flags ---------------------------------------------------------------- */
#define COLL  (LC_EP_COLLECTION | LC_EP_IDEMPOTENT)
#define GET   LC_EP_IDEMPOTENT
#define PUTB  (LC_EP_BODY | LC_EP_IDEMPOTENT)
#define PUT0  LC_EP_IDEMPOTENT
#define POSTB LC_EP_BODY
#define POST0 0
#define DEL   (LC_EP_NO_CONTENT | LC_EP_IDEMPOTENT)
/* Which document has the row (neither: both, 000 and 001). */
#define NOW   LC_EP_CURRENT_ONLY /* the current API (000) alone   */
#define V1    LC_EP_LEGACY_V1    /* LockState v1 (001) alone       */

/* ---- query keys ------------------------------------------------------------ */
#define P_ID    { "id", LC_PARAM_LIST }
#define P_ATTRS { "attributes", LC_PARAM_NESTED }
#define P_TYPE  { "type", LC_PARAM_LIST }
#define P_SORT  { "sort", LC_PARAM_SORT }
#define P_END   { NULL, 0 }

/* id[] and attributes[...] filter every collection (the reference's
 * "Filtering" section). */
extern const lc_param lc_rl_q_filter[];  /* id, attributes              */
extern const lc_param lc_rl_q_sorted[];  /* sort, id, attributes        */
extern const lc_param lc_rl_q_typed[];   /* type, sort, id, attributes  */

extern const char *const lc_rl_s_name[];    /* created_at, name          */
extern const char *const lc_rl_s_created[]; /* created_at                */

/* ---- row shapes -------------------------------------------------------------
 * LIST(name, path, binding, params, sorts, default sort, types, summary)
 * SHOW(name, path, binding, summary)
 * WRITE(name, method, path, flags, body style, binding, types, summary)
 * ACTION(name, method, path, flags, binding, summary)
 * The _F forms add flags (NOW, V1, LC_EP_CSV_ANSWER). */
#define LIST_F(f, n, p, b, q, s, d, t, sum) { n, "GET", p, COLL | (f), sum, b, LC_BODY_NONE, q, s, d, t }
#define LIST(n, p, b, q, s, d, t, sum)  LIST_F(0, n, p, b, q, s, d, t, sum)
#define SHOW_F(f, n, p, b, sum)         { n, "GET", p, GET | (f), sum, b, LC_BODY_NONE, NULL, NULL, NULL, NULL }
#define SHOW(n, p, b, sum)              SHOW_F(0, n, p, b, sum)
#define WRITE(n, m, p, f, st, b, t, sum) { n, m, p, f, sum, b, st, NULL, NULL, NULL, t }
#define ACTION(n, m, p, f, b, sum)      { n, m, p, f, sum, b, LC_BODY_NONE, NULL, NULL, NULL, NULL }

#define PART(rows) { rows, sizeof rows / sizeof rows[0] }

extern const lc_catalogue_part lc_rl_part_people;    /* _people.c    */
extern const lc_catalogue_part lc_rl_part_devices;   /* _devices.c   */
extern const lc_catalogue_part lc_rl_part_places;    /* _places.c    */
extern const lc_catalogue_part lc_rl_part_events;    /* _events.c    */
extern const lc_catalogue_part lc_rl_part_schedules; /* _schedules.c */

#endif
