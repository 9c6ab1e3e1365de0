/* Is a RemoteLock access schedule in force at an instant, and until when:
 * pure evaluation (no I/O, no clock, no TZ), curl-free, for the PAM
 * module's `access` rule and its decision cache.
 *
 * Shapes (the API's documents, tests/spec/remotelock.json):
 *  schedule   GET /schedules/:id, as returned ({"data":{...}}) or the bare
 *             resource ({"type":"access_schedule","id":..,"attributes":..}).
 *             attributes.mon .. attributes.sun: arrays (absent = []) of
 *             {"start_time":"HH:MM","end_time":"HH:MM"}; optional
 *             attributes.access_exception_id (string or null).
 *  exceptions the schedule's access exception: GET /access_exceptions/:id
 *             or GET /access_exceptions, as returned ({"data":{...}},
 *             {"data":[...]}) or bare (a resource or an array of them);
 *             NULL when there is none. Each resource has "id" and
 *             attributes.dates: [{"start_date":"YYYY-MM-DD",
 *             "end_date":"YYYY-MM-DD"}, ...]. Only the exception whose id
 *             is the schedule's access_exception_id applies (that is how
 *             RemoteLock links them); the others are ignored.
 *
 * Meaning, in the zone's local wall-clock time:
 *  - a window holds from start_time (inclusive) to end_time (exclusive) on
 *    its weekday; end_time "24:00" is the end of that day; an end before
 *    the start runs past midnight into the next day (22:00-06:00);
 *  - no access at all on a local date inside an exception date range
 *    (both ends inclusive), also for the part of an overnight window that
 *    reaches into that date;
 *  - around DST the wall clock decides: a window starting in a skipped
 *    hour begins when the clocks jump past its start; a wall-clock time
 *    that happens twice is inside the window both times.
 *
 * Fail closed: anything not exactly of these shapes (a missing or mistyped
 * member, a time like "9:00" or "25:00", start == end, a date like
 * "2026-02-30" or a range ending before it starts, a schedule of another
 * type, an access_exception_id with no matching exception given, more than
 * LC_SCHEDULE_MAX_WINDOWS windows a day or LC_SCHEDULE_MAX_DATES ranges) is
 * malformed, whether or not it matters right now. */
#ifndef LC_SCHEDULE_H
#define LC_SCHEDULE_H

#include <stdint.h>
#include <cjson/cJSON.h>

#include "tz.h"

#define LC_SCHEDULE_MAX_WINDOWS 48   /* per weekday                      */
#define LC_SCHEDULE_MAX_DATES   1024 /* date ranges of one exception     */
#define LC_SCHEDULE_HORIZON     (8 * 86400) /* how far next_change looks */

/* 1: the schedule grants access at now; 0: it does not; -1: malformed
 * (callers deny). When next_change is not NULL it receives, for 1 and 0,
 * an instant > now before which the answer cannot change: the next change,
 * or now + LC_SCHEDULE_HORIZON when there is none that soon (a schedule
 * open around the clock); 0 for -1. tz must not be NULL. */
int lc_schedule_active(const cJSON *schedule, const cJSON *exceptions, const lc_tz *tz,
                       int64_t now, int64_t *next_change);

#endif
