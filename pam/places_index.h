/* The places file: what the `access` rule needs beyond the person and the
 * accesses, and a login must not fetch (3 more requests; the budget of a
 * cold decision is 2): the account's access schedules, its access
 * exceptions, and the time zone(s) of every accessible. `lockcloud sync`
 * writes it out of band (it may page, a login may not); a login whose
 * accesses name an access schedule reads it whole and hands it to the
 * core's decision (lc_access_docs.schedules/exceptions/zones_of).
 *
 * Curl-free (cJSON, the core's strict JSON reader, safe_file.c, tz.c):
 * linked into the module's cached path and into the `lockcloud` command.
 *
 * Configuration: `places_file = /absolute/path` in lockcloud.conf
 * (optional; without it a scheduled access never allows: "follows a
 * schedule not checked here").
 *
 * Format 1: one JSON object, exactly these members:
 *   "version":    1
 *   "built_at":   unix seconds of the sync (an integer)
 *   "schedules":  [access schedule resources as GET /schedules lists them:
 *                  {"type":"access_schedule","id":ID,"attributes":{...}}]
 *   "exceptions": [access exception resources as GET /access_exceptions
 *                  lists them: {"type":"access_exception","id":ID,...}]
 *   "places":     {"TYPE:ID": ["Zone/Name", ...], ...}: for every lock (by
 *                  its device type), door group and location, the IANA
 *                  zones of the locations it lies in: a device its
 *                  location's, a location its own, a door group those of
 *                  its members' locations (member door groups included),
 *                  1..LC_ZONES_MAX distinct names, sorted. A door group
 *                  spanning several zones: its scheduled access counts only
 *                  while the schedule is in force in every one (so every
 *                  door of the group opens now).
 * Ids are as lc_access_id_normalize leaves them (lower case); TYPE an
 * accessible type the rules accept. Schedule and exception ids are unique.
 * The schedules' contents are checked when used (core/src/schedule.h: a
 * malformed one never allows), the rest here: anything else, a duplicate
 * key, bad UTF-8, trailing bytes is LC_ERR_PARSE naming what, never a value.
 *
 * The file: root's or ours, 0600, not a symbolic link, at most
 * LCPAM_PLACES_MAX_BYTES, the directories above it root's or ours (as the
 * token directory's, core/src/dir_chain.c); written as the identity index
 * is (temp file, fsync, rename, directory fsync: lcpam_index_write). */
#ifndef LCPAM_PLACES_INDEX_H
#define LCPAM_PLACES_INDEX_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include <lockcloud/policy.h>

#define LCPAM_PLACES_VERSION 1
#define LCPAM_PLACES_MAX_BYTES (16u * 1024u * 1024u)
/* Schedules or exceptions in one file: the API's cap on one listing. */
#define LCPAM_PLACES_MAX_ITEMS 10000u

typedef struct lcpam_places lcpam_places;

/* One "key = value" of lockcloud.conf: 1 when key is not places_file (the
 * caller goes on), 0 when set, -1 with err (bad path, key given twice). */
int lcpam_places_conf_set(char **places_file, const char *key, const char *value, char *err,
                          size_t errlen);

/* Parses and checks len bytes of a places file (the format above) into
 * *out. LC_ERR_PARSE (malformed), LC_ERR_NOMEM. */
lc_status lcpam_places_parse(const char *text, size_t len, lcpam_places **out, lc_error *err);

/* Reads path under the file rules above, then lcpam_places_parse. A missing
 * file is LC_OK with *out NULL (sync has not run yet); any refusal
 * LC_ERR_IO naming the path. */
lc_status lcpam_places_load(const char *path, lcpam_places **out, lc_error *err);

void lcpam_places_free(lcpam_places *p); /* NULL is fine */

long long lcpam_places_built_at(const lcpam_places *p);
const cJSON *lcpam_places_schedules(const lcpam_places *p); /* an array */
const cJSON *lcpam_places_exceptions(const lcpam_places *p); /* an array */

/* An lc_zones_fn (userdata: the lcpam_places): the zones of TYPE:ID (id
 * compared ignoring ASCII case), loaded from the system's zoneinfo on
 * first use and kept with p; 0 when the file does not know the accessible
 * or a zone cannot be loaded. */
size_t lcpam_places_zones(void *places, const char *type, const char *id,
                          const struct lc_tz **zones, size_t max);

/* ---- a login (check.c) -------------------------------------------------- */

/* Between lc_access_fetch and lc_access_evaluate: when path is set and an
 * access in docs names an access schedule, loads the places file and lends
 * its schedules, exceptions and zone lookup to docs; *out is what
 * lcpam_places_release frees (NULL when nothing was needed). Without the
 * file such a decision cannot be made: a missing file ("run lockcloud
 * sync"), a refused or a malformed one is an error naming the file, and
 * nothing is lent. The caller treats it as a local fault, never as the
 * cloud's deny: no cache keeps it, no sweep acts on it. */
lc_status lcpam_places_lend(const char *path, lc_access_docs *docs, lcpam_places **out,
                            lc_error *err);

/* After the decision: 1 when it rests on what the file lacks (its reason
 * asks for a sync: a schedule or a zone sync did not see), so it is not
 * the cloud's word either; frees p. */
int lcpam_places_release(lcpam_places *p, const lc_decision *d);

#endif
