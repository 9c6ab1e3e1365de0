/* Time zones of the system's zoneinfo (RFC 8536 TZif, versions 1-4, with
 * the POSIX TZ footer rule for instants after the last transition): the
 * UTC offset at any instant and local wall-clock time <-> UTC, without the
 * process-global TZ (setenv + tzset would race with every other thread and
 * library in the process: the PAM module runs inside sshd). Curl-free: the
 * PAM module's cached path links it. Used by schedule.c and the Lua
 * module (lockcloud.core's tz_load / tz_parse). */
#ifndef LC_TZ_H
#define LC_TZ_H

#include <stddef.h>
#include <stdint.h>

#include "lockcloud/lockcloud.h"

#define LC_TZ_DIR      "/usr/share/zoneinfo"
#define LC_TZ_NAME_MAX 128 /* bytes of an IANA name, NUL excluded */

typedef struct lc_tz lc_tz; /* immutable once loaded: share it freely */

/* 1 when name (len bytes, may hold NUL) is an IANA zone name: '/'-separated
 * components, each an uppercase ASCII letter followed by letters, digits,
 * '_', '+' or '-', at most LC_TZ_NAME_MAX bytes ("America/Denver",
 * "Etc/GMT+7", "UTC", "EST5EDT"). Every IANA zone and link is so named,
 * while the host's own files beside them are not ("localtime",
 * "posixrules", "posix/...", "right/...", "zone.tab"), nor "..", "." or an
 * absolute path: a name from a server stays inside the zoneinfo directory. */
int lc_tz_name_ok(const char *name, size_t len);

/* The zone named (the time_zone attribute of a RemoteLock location: IANA
 * names), read from LC_TZ_DIR/NAME through safe_file.c (symbolic links are
 * followed, as zoneinfo links are; the file must be a regular file of root
 * or the effective user, not group/world writable, at most 64 KiB).
 * NULL with err set: LC_ERR_IO for a refused name ("not an IANA time zone
 * name ..."), an unknown zone ("unknown time zone") or an unreadable file;
 * LC_ERR_PARSE for a malformed file; LC_ERR_NOMEM. */
lc_tz *lc_tz_load(const char *iana_name, lc_error *err);

/* The same from another directory (tests; dir is trusted, the name is not). */
lc_tz *lc_tz_load_dir(const char *dir, const char *iana_name, lc_error *err);

/* A zone from TZif bytes; NULL with err set (LC_ERR_PARSE: the message says
 * what is wrong; LC_ERR_NOMEM). Files with leap seconds (right/...) are
 * refused. */
lc_tz *lc_tz_parse(const unsigned char *data, size_t len, lc_error *err);

void lc_tz_free(lc_tz *tz); /* NULL is fine */

/* UTC offset (seconds east of UTC) in effect at the instant utc (Unix
 * seconds). Any int64 instant gives an answer. */
int32_t lc_tz_offset_at(const lc_tz *tz, int64_t utc);

/* The first instant after utc at which the offset differs from the one in
 * effect at utc, or INT64_MAX when it never changes again. Between utc and
 * that instant the wall clock runs in step with UTC (local = t + offset),
 * which is what lets a caller map wall-clock boundaries exactly. */
int64_t lc_tz_next_change(const lc_tz *tz, int64_t utc);

/* The instant whose local wall-clock time is local (seconds since the
 * epoch, counted as if local were UTC). The rule for the two ambiguous
 * cases, in *fold:
 *   0  exactly one instant shows that time;
 *   1  it happens twice (clocks turned back, an overlap): the EARLIER
 *      instant is returned;
 *  -1  it never happens (clocks turned forward, a gap): the time is moved
 *      forward by the gap, as the clocks were, by reading it with the
 *      offset before the change (02:30 on a spring-forward night in Denver
 *      is returned as 03:30 MDT).
 * Note: a wall-clock *boundary* ("from 02:30 on") falling in a gap is first
 * reached at the transition itself (03:00 MDT); schedule.c maps boundaries
 * with lc_tz_next_change instead of this function. */
int64_t lc_tz_utc(const lc_tz *tz, int64_t local, int *fold);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (exact for
 * every int64 day count the callers produce). */
int64_t lc_days_from_civil(int64_t y, int m, int d);
void lc_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

#endif
