/* Access schedule evaluation (core/src/schedule.c) in America/New_York:
 * windows and their ends, windows across midnight, the DST gap and
 * overlap days, access exceptions covering today, the documents as the
 * API returns them, malformed shapes denied (-1); and, over two DST weeks,
 * that every next_change is exact: the answer holds until then (checked on
 * a 5-minute grid) and differs there. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedule.h"
#include "tap.h"

#define H 3600

static lc_tz *ny;

/* The instant New York's wall clock shows y-m-d hh:mm (the earlier one of
 * an overlap; a gap time moved forward). */
static int64_t at(int y, int m, int d, int hh, int mm)
{
    int fold;
    return lc_tz_utc(ny, lc_days_from_civil(y, m, d) * 86400 + hh * H + mm * 60, &fold);
}

static cJSON *json(const char *text)
{
    cJSON *j = cJSON_Parse(text);
    if (j == NULL) {
        fprintf(stderr, "bad test JSON: %s\n", text);
        exit(2);
    }
    return j;
}

/* An access_schedule resource with these attribute members. */
static cJSON *sched(const char *members)
{
    char buf[8192];
    snprintf(buf, sizeof buf, "{\"type\":\"access_schedule\",\"id\":\"s1\",\"attributes\":"
             "{\"name\":\"t\"%s%s}}", *members ? "," : "", members);
    return json(buf);
}

/* Answer and next change for schedule text at t (exceptions may be NULL). */
static int eval(const char *members, const char *exceptions, int64_t t, int64_t *next)
{
    cJSON *s = sched(members), *e = exceptions ? json(exceptions) : NULL;
    int r = lc_schedule_active(s, e, ny, t, next);
    cJSON_Delete(s);
    cJSON_Delete(e);
    return r;
}

static void test_windows(void)
{
    const char *mon = "\"mon\":[{\"start_time\":\"09:00\",\"end_time\":\"17:00\"}]";
    int64_t next;
    cJSON *wrapped, *bare;

    /* 2026-03-02 is a Monday */
    ok(eval(mon, NULL, at(2026, 3, 2, 10, 0), &next) == 1 && next == at(2026, 3, 2, 17, 0),
       "Monday 10:00 in 09:00-17:00: active until 17:00");
    ok(eval(mon, NULL, at(2026, 3, 2, 8, 59), &next) == 0 && next == at(2026, 3, 2, 9, 0),
       "Monday 08:59: not yet, changes at 09:00");
    ok(eval(mon, NULL, at(2026, 3, 2, 9, 0), &next) == 1, "the start is inside the window");
    ok(eval(mon, NULL, at(2026, 3, 2, 17, 0), &next) == 0 && next == at(2026, 3, 9, 9, 0),
       "the end is outside; next change the following Monday 09:00 (across the DST change)");
    ok(eval(mon, NULL, at(2026, 3, 3, 10, 0), &next) == 0, "Tuesday 10:00: no window that day");
    ok(eval("", NULL, at(2026, 3, 3, 10, 0), &next) == 0 && next == at(2026, 3, 3, 10, 0) + 8 * 86400,
       "no windows at all: never active, next change at the horizon");

    wrapped = json("{\"data\":{\"type\":\"access_schedule\",\"id\":\"s1\",\"attributes\":{\"name\":\"x\","
                   "\"mon\":[{\"start_time\":\"09:00\",\"end_time\":\"17:00\"}],\"tue\":[]}}}");
    bare = cJSON_DetachItemFromObject(wrapped, "data");
    cJSON_AddItemToObject(wrapped, "data", cJSON_Duplicate(bare, 1));
    ok(lc_schedule_active(wrapped, NULL, ny, at(2026, 3, 2, 10, 0), NULL) == 1 &&
       lc_schedule_active(bare, NULL, ny, at(2026, 3, 2, 10, 0), NULL) == 1,
       "the document as GET /schedules/:id returns it and the bare resource both read");
    cJSON_Delete(wrapped);
    cJSON_Delete(bare);

    ok(eval("\"mon\":[{\"start_time\":\"00:00\",\"end_time\":\"24:00\"}]", NULL, at(2026, 3, 2, 23, 59),
            &next) == 1 && next == at(2026, 3, 3, 0, 0), "00:00-24:00 is the whole day, until midnight");
}

static void test_midnight(void)
{
    const char *overnight = "\"fri\":[{\"start_time\":\"22:00\",\"end_time\":\"02:00\"}]";
    const char *adjacent = "\"fri\":[{\"start_time\":\"20:00\",\"end_time\":\"24:00\"}],"
                           "\"sat\":[{\"start_time\":\"00:00\",\"end_time\":\"03:00\"}]";
    int64_t next;

    /* 2026-03-06 is a Friday */
    ok(eval(overnight, NULL, at(2026, 3, 6, 23, 0), &next) == 1 && next == at(2026, 3, 7, 2, 0),
       "Friday 22:00-02:00 at 23:00: active until Saturday 02:00");
    ok(eval(overnight, NULL, at(2026, 3, 7, 1, 0), &next) == 1 && next == at(2026, 3, 7, 2, 0),
       "Saturday 01:00: still Friday's window");
    ok(eval(overnight, NULL, at(2026, 3, 7, 2, 0), &next) == 0 && next == at(2026, 3, 13, 22, 0),
       "Saturday 02:00: over, next Friday 22:00");
    ok(eval(overnight, NULL, at(2026, 3, 6, 1, 0), &next) == 0,
       "Friday 01:00: the window belongs to Friday night, not Thursday night");
    ok(eval(adjacent, NULL, at(2026, 3, 6, 21, 0), &next) == 1 && next == at(2026, 3, 7, 3, 0),
       "Friday 20:00-24:00 then Saturday 00:00-03:00: one stretch, next change Saturday 03:00");
}

static void test_dst_days(void)
{
    int64_t next, spring = 1772953200, fall = 1793512800; /* 07:00Z, 06:00Z */

    /* 2026-03-08 (Sunday): 02:00 EST -> 03:00 EDT */
    ok(eval("\"sun\":[{\"start_time\":\"01:00\",\"end_time\":\"03:30\"}]", NULL, spring - 1800, &next) == 1 &&
       next == spring + 1800, "spring: 01:00-03:30 at 01:30 EST is active for one real hour, to 03:30 EDT");
    ok(eval("\"sun\":[{\"start_time\":\"02:30\",\"end_time\":\"04:00\"}]", NULL, spring - 60, &next) == 0 &&
       next == spring, "spring: a window starting in the skipped hour begins at the jump (03:00 EDT)");
    ok(eval("\"sun\":[{\"start_time\":\"02:30\",\"end_time\":\"04:00\"}]", NULL, spring, &next) == 1 &&
       next == spring + H, "spring: ... and is active from 03:00 EDT to 04:00 EDT");
    ok(eval("\"sun\":[{\"start_time\":\"02:00\",\"end_time\":\"02:45\"}]", NULL, spring - H, &next) == 0 &&
       next == spring + 7 * 86400 - H, "spring: a window wholly in the skipped hour never happens that day");

    /* 2026-11-01 (Sunday): 02:00 EDT -> 01:00 EST; 01:00-01:30 happens twice */
    ok(eval("\"sun\":[{\"start_time\":\"01:00\",\"end_time\":\"01:30\"}]", NULL, fall - 3000, &next) == 1 &&
       next == fall - 1800, "fall: 01:10 EDT in 01:00-01:30: active until 01:30 EDT");
    ok(eval("\"sun\":[{\"start_time\":\"01:00\",\"end_time\":\"01:30\"}]", NULL, fall - 1800, &next) == 0 &&
       next == fall, "fall: 01:30 EDT: over, until the clocks show 01:00 again (EST)");
    ok(eval("\"sun\":[{\"start_time\":\"01:00\",\"end_time\":\"01:30\"}]", NULL, fall, &next) == 1 &&
       next == fall + 1800, "fall: the second 01:00-01:30 (EST) is inside the window too");
    ok(eval("\"sun\":[{\"start_time\":\"00:00\",\"end_time\":\"03:00\"}]", NULL, fall - 2 * H, &next) == 1 &&
       next == fall + 2 * H, "fall: 00:00-03:00 that night lasts four real hours");
}

static void test_exceptions(void)
{
    const char *daily = "\"mon\":[{\"start_time\":\"00:00\",\"end_time\":\"24:00\"}],"
                        "\"tue\":[{\"start_time\":\"00:00\",\"end_time\":\"24:00\"}],"
                        "\"wed\":[{\"start_time\":\"00:00\",\"end_time\":\"24:00\"}],"
                        "\"thu\":[{\"start_time\":\"00:00\",\"end_time\":\"24:00\"}],"
                        "\"fri\":[{\"start_time\":\"00:00\",\"end_time\":\"24:00\"}],"
                        "\"sat\":[{\"start_time\":\"00:00\",\"end_time\":\"24:00\"}],"
                        "\"sun\":[{\"start_time\":\"00:00\",\"end_time\":\"24:00\"}],"
                        "\"access_exception_id\":\"x1\"";
    const char *one = "{\"data\":{\"type\":\"access_exception\",\"id\":\"x1\",\"attributes\":{\"name\":\"h\","
                      "\"dates\":[{\"start_date\":\"2026-03-04\",\"end_date\":\"2026-03-05\"},"
                      "{\"start_date\":\"2025-12-25\",\"end_date\":\"2025-12-25\"}]}}}";
    const char *list = "{\"data\":[{\"type\":\"access_exception\",\"id\":\"x0\",\"attributes\":{\"dates\":[]}},"
                       "{\"type\":\"access_exception\",\"id\":\"x1\",\"attributes\":{\"dates\":"
                       "[{\"start_date\":\"2026-03-04\",\"end_date\":\"2026-03-05\"}]}}],"
                       "\"meta\":{\"page\":1}}";
    char members[4096];
    int64_t next;

    ok(eval(daily, one, at(2026, 3, 4, 12, 0), &next) == 0 && next == at(2026, 3, 6, 0, 0),
       "an exception covering today (Mar 4-5): no access, until Mar 6 00:00");
    ok(eval(daily, one, at(2026, 3, 3, 12, 0), &next) == 1 && next == at(2026, 3, 4, 0, 0),
       "the day before: access until the exception starts at midnight");
    ok(eval(daily, one, at(2026, 3, 5, 23, 59), &next) == 0, "the range's end date is included");
    ok(eval(daily, list, at(2026, 3, 4, 12, 0), &next) == 0 && eval(daily, list, at(2026, 3, 6, 0, 0), &next) == 1,
       "GET /access_exceptions (a list): the one the schedule names applies");
    ok(eval(daily, "{\"data\":{\"id\":\"x9\",\"attributes\":{\"dates\":[]}}}", at(2026, 3, 3, 12, 0), &next) == -1 &&
       next == 0, "the schedule's exception is not among those given: malformed (-1), next_change 0");
    ok(eval(daily, NULL, at(2026, 3, 3, 12, 0), &next) == -1, "the schedule names an exception, none given: -1");
    snprintf(members, sizeof members, "%.*s", (int)(strstr(daily, ",\"access_exception_id\"") - daily), daily);
    ok(eval(members, one, at(2026, 3, 4, 12, 0), &next) == 1,
       "a schedule naming no exception is not affected by the account's exceptions");
    ok(eval("\"tue\":[{\"start_time\":\"22:00\",\"end_time\":\"06:00\"}],\"access_exception_id\":\"x1\"", one,
            at(2026, 3, 3, 23, 0), &next) == 1 && next == at(2026, 3, 4, 0, 0),
       "an overnight window stops at midnight when the next day is an exception");
}

/* Each document must be refused (-1, next_change 0). */
static void test_malformed(void)
{
    static const char *const bad_members[] = {
        "\"mon\":{}", "\"mon\":null", "\"mon\":[1]", "\"mon\":[{}]",
        "\"mon\":[{\"start_time\":\"9:00\",\"end_time\":\"17:00\"}]",
        "\"mon\":[{\"start_time\":\"09:00\",\"end_time\":\"25:00\"}]",
        "\"mon\":[{\"start_time\":\"24:00\",\"end_time\":\"02:00\"}]",
        "\"mon\":[{\"start_time\":\"09:60\",\"end_time\":\"17:00\"}]",
        "\"mon\":[{\"start_time\":\"09:00:00\",\"end_time\":\"17:00\"}]",
        "\"mon\":[{\"start_time\":900,\"end_time\":\"17:00\"}]",
        "\"mon\":[{\"start_time\":\"09:00\"}]",
        "\"mon\":[{\"start_time\":\"09:00\",\"end_time\":\"09:00\"}]",
        "\"mon\":[{\"start_time\":\"0a:00\",\"end_time\":\"17:00\"}]",
        "\"mon\":[{\"start_time\":\"+9:00\",\"end_time\":\"17:00\"}]",
        "\"access_exception_id\":7",
    };
    static const char *const bad_exceptions[] = {
        "{\"data\":{\"id\":\"x1\",\"attributes\":{}}}",
        "{\"data\":{\"id\":\"x1\",\"attributes\":{\"dates\":{}}}}",
        "{\"data\":{\"id\":\"x1\",\"attributes\":{\"dates\":[\"2026-03-04\"]}}}",
        "{\"data\":{\"id\":\"x1\",\"attributes\":{\"dates\":[{\"start_date\":\"2026-02-30\",\"end_date\":\"2026-03-01\"}]}}}",
        "{\"data\":{\"id\":\"x1\",\"attributes\":{\"dates\":[{\"start_date\":\"2026-03-05\",\"end_date\":\"2026-03-04\"}]}}}",
        "{\"data\":{\"id\":\"x1\",\"attributes\":{\"dates\":[{\"start_date\":\"2026-3-5\",\"end_date\":\"2026-03-06\"}]}}}",
        "{\"data\":{\"id\":\"x1\",\"attributes\":{\"dates\":[{\"start_date\":\"2026-03-05\"}]}}}",
        "{\"data\":{\"type\":\"access_schedule\",\"id\":\"x1\",\"attributes\":{\"dates\":[]}}}",
        "{\"data\":[{\"id\":\"x1\",\"attributes\":{\"dates\":[]}},{\"id\":\"x1\",\"attributes\":{\"dates\":[]}}]}",
        "{\"data\":[\"x1\"]}",
        "{\"data\":{\"id\":1,\"attributes\":{\"dates\":[]}}}",
        "[]",
    };
    static const char *const bad_docs[] = {
        "{\"data\":{\"type\":\"auto_lock_schedule\",\"id\":\"s\",\"attributes\":{\"mon\":[]}}}",
        "{\"data\":{\"type\":\"access_schedule\",\"id\":\"s\"}}",
        "{\"data\":{\"type\":\"access_schedule\",\"attributes\":[]}}",
        "{\"data\":[{\"type\":\"access_schedule\",\"attributes\":{}}]}",
        "{\"data\":null}", "[]", "\"access_schedule\"", "{}",
    };
    int64_t now = at(2026, 3, 2, 10, 0), next;
    size_t i;
    int refused = 0, n = 0;
    char members[8192];

    for (i = 0; i < sizeof bad_members / sizeof *bad_members; i++, n++) {
        next = 1;
        if (eval(bad_members[i], NULL, now, &next) == -1 && next == 0)
            refused++;
        else
            diag("schedule members not refused: %s", bad_members[i]);
    }
    for (i = 0; i < sizeof bad_exceptions / sizeof *bad_exceptions; i++, n++) {
        next = 1;
        if (eval("\"access_exception_id\":\"x1\"", bad_exceptions[i], now, &next) == -1 && next == 0)
            refused++;
        else
            diag("exception not refused: %s", bad_exceptions[i]);
    }
    for (i = 0; i < sizeof bad_docs / sizeof *bad_docs; i++, n++) {
        cJSON *d = json(bad_docs[i]);
        if (lc_schedule_active(d, NULL, ny, now, NULL) == -1)
            refused++;
        else
            diag("document not refused: %s", bad_docs[i]);
        cJSON_Delete(d);
    }
    ok(refused == n, "%d malformed schedules and exceptions refused (-1) of %d", refused, n);
    ok(lc_schedule_active(NULL, NULL, ny, now, NULL) == -1, "no schedule: -1");
    {
        cJSON *s = sched("\"mon\":[]");
        ok(lc_schedule_active(s, NULL, NULL, now, NULL) == -1 &&
           lc_schedule_active(s, NULL, ny, INT64_MAX, NULL) == -1 &&
           lc_schedule_active(s, NULL, ny, INT64_MIN, NULL) == -1, "no zone, or an absurd instant: -1");
        cJSON_Delete(s);
    }

    /* the caps: 48 windows a day read, 49 refused; 1024 date ranges, not 1025 */
    {
        size_t len = 0;
        int w;
        len += (size_t)snprintf(members + len, sizeof members - len, "\"mon\":[");
        for (w = 0; w < 49; w++)
            len += (size_t)snprintf(members + len, sizeof members - len,
                                    "%s{\"start_time\":\"%02d:%02d\",\"end_time\":\"%02d:%02d\"}",
                                    w ? "," : "", w / 3, w % 3 * 10, w / 3, w % 3 * 10 + 5);
        snprintf(members + len, sizeof members - len, "]");
        ok(eval(members, NULL, now, NULL) == -1, "49 windows on one day: refused");
        len = (size_t)(strrchr(members, '{') - members) - 1;
        snprintf(members + len, sizeof members - len, "]");
        ok(eval(members, NULL, now, NULL) == 1, "48 windows on one day: read (10:00-10:05 holds Monday 10:00)");
    }
    {
        size_t cap = 1025 * 64 + 256, len;
        char *ex = malloc(cap);
        int k;
        len = (size_t)snprintf(ex, cap, "{\"id\":\"x1\",\"attributes\":{\"dates\":[");
        for (k = 0; k < 1025; k++)
            len += (size_t)snprintf(ex + len, cap - len, "%s{\"start_date\":\"2000-01-01\",\"end_date\":\"2000-01-02\"}",
                                    k ? "," : "");
        snprintf(ex + len, cap - len, "]}}");
        ok(eval("\"access_exception_id\":\"x1\"", ex, now, NULL) == -1, "1025 date ranges: refused");
        free(ex);
    }
}

/* Over the two DST weeks of 2026, every answer holds until its
 * next_change (on a 5-minute grid) and differs there. */
static void test_next_change_exact(void)
{
    const char *members =
        "\"sun\":[{\"start_time\":\"01:00\",\"end_time\":\"01:30\"},{\"start_time\":\"02:30\",\"end_time\":\"02:45\"},"
        "{\"start_time\":\"23:00\",\"end_time\":\"03:00\"}],"
        "\"mon\":[{\"start_time\":\"09:00\",\"end_time\":\"12:00\"},{\"start_time\":\"11:00\",\"end_time\":\"13:05\"}],"
        "\"tue\":[{\"start_time\":\"00:00\",\"end_time\":\"24:00\"}],"
        "\"wed\":[{\"start_time\":\"00:00\",\"end_time\":\"06:00\"}],"
        "\"fri\":[{\"start_time\":\"18:00\",\"end_time\":\"02:00\"}],"
        "\"sat\":[{\"start_time\":\"01:00\",\"end_time\":\"02:30\"}],"
        "\"access_exception_id\":\"x\"";
    const char *ex = "{\"id\":\"x\",\"attributes\":{\"dates\":[{\"start_date\":\"2026-03-11\",\"end_date\":\"2026-03-11\"},"
                     "{\"start_date\":\"2026-11-03\",\"end_date\":\"2026-11-04\"}]}}";
    cJSON *s = sched(members), *e = json(ex);
    static const int64_t starts[2] = { 1772582400, 1793145600 }; /* 2026-03-04T00:00Z, 2026-10-28T00:00Z */
    enum { STEPS = 12 * 288 };
    static int answer[STEPS];
    static int64_t next[STEPS];
    long bad = 0, checked = 0;
    int w, i;

    for (w = 0; w < 2; w++) {
        int64_t t0 = starts[w];
        int first_diff = STEPS; /* grid index of the next different answer */
        for (i = 0; i < STEPS; i++)
            answer[i] = lc_schedule_active(s, e, ny, t0 + 300 * (int64_t)i, &next[i]);
        for (i = STEPS - 1; i >= 0 && bad < 5; i--) {
            int64_t t = t0 + 300 * (int64_t)i;
            if (i + 1 < STEPS && answer[i + 1] != answer[i])
                first_diff = i + 1;
            checked++;
            if (answer[i] < 0 || next[i] <= t ||
                (first_diff < STEPS && next[i] > t0 + 300 * (int64_t)first_diff)) {
                diag("at %lld: answer %d, next_change %lld, grid change at %lld", (long long)t, answer[i],
                     (long long)next[i], (long long)(t0 + 300 * (int64_t)first_diff));
                bad++;
            } else if (next[i] != t + LC_SCHEDULE_HORIZON &&
                       lc_schedule_active(s, e, ny, next[i], NULL) == answer[i]) {
                diag("no change at next_change %lld (from %lld)", (long long)next[i], (long long)t);
                bad++;
            }
        }
    }
    ok(bad == 0 && checked > 6000, "next_change exact at %ld instants over both DST weeks", checked);
    cJSON_Delete(s);
    cJSON_Delete(e);
}

int main(void)
{
    lc_error err;
    ny = lc_tz_load("America/New_York", &err);
    if (!ok(ny != NULL, "America/New_York loads"))
        return tap_done();
    test_windows();
    test_midnight();
    test_dst_days();
    test_exceptions();
    test_malformed();
    test_next_change_exact();
    lc_tz_free(ny);
    return tap_done();
}
