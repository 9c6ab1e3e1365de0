/* Access schedule evaluation: see schedule.h. The documents are read once
 * into fixed tables (checking every member), then the answer is a pure
 * function of the local wall-clock second, walked forward along UTC to
 * find when it changes. */
#include <string.h>

#include "schedule.h"
#include "tz_rule.h" /* LC_TZ_T_LIMIT */

#define DAY 86400

typedef struct window {
    int32_t start, end; /* seconds after local midnight; end < start: overnight */
} window;

typedef struct schedule {
    window win[7][LC_SCHEDULE_MAX_WINDOWS]; /* [0] Monday .. [6] Sunday */
    int nwin[7];
    int64_t dates[LC_SCHEDULE_MAX_DATES][2]; /* inclusive local day numbers */
    size_t ndates;
} schedule;

static const char *const day_keys[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/* 0 = Monday (1970-01-01, day 0, was a Thursday). */
static int weekday(int64_t day)
{
    return (int)((day % 7 + 7 + 3) % 7);
}

static int digits(const char *s, int n, int *out)
{
    int i, v = 0;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* "HH:MM" -> seconds; "24:00" only when is_end. -1 when malformed. */
static int32_t parse_hhmm(const cJSON *v, int is_end)
{
    const char *s = cJSON_GetStringValue(v);
    int h, m;
    if (s == NULL || strlen(s) != 5 || s[2] != ':' || digits(s, 2, &h) || digits(s + 3, 2, &m))
        return -1;
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !is_end)))
        return -1;
    return h * 3600 + m * 60;
}

/* "YYYY-MM-DD" -> day number; 0 on success, -1 when malformed. */
static int parse_date(const cJSON *v, int64_t *day)
{
    const char *s = cJSON_GetStringValue(v);
    int y, m, d, m2, d2;
    int64_t y2;
    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) ||
        digits(s + 5, 2, &m) || digits(s + 8, 2, &d) || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    *day = lc_days_from_civil(y, m, d);
    lc_civil_from_days(*day, &y2, &m2, &d2); /* February 30th comes back as March */
    return y2 == y && m2 == m && d2 == d ? 0 : -1;
}

/* {"data":{...}} or the bare resource; NULL when neither. */
static const cJSON *resource(const cJSON *doc)
{
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(doc, "data");
    return cJSON_IsObject(data) ? data : cJSON_IsObject(doc) && !data ? doc : NULL;
}

/* The resource's attributes when its type (if given) is type. */
static const cJSON *attributes(const cJSON *res, const char *type)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(res, "type");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(res, "attributes");
    if (t != NULL && !(cJSON_IsString(t) && strcmp(t->valuestring, type) == 0))
        return NULL;
    return cJSON_IsObject(a) ? a : NULL;
}

static int read_windows(const cJSON *attrs, schedule *s)
{
    int d;
    for (d = 0; d < 7; d++) {
        const cJSON *list = cJSON_GetObjectItemCaseSensitive(attrs, day_keys[d]), *w;
        s->nwin[d] = 0;
        if (list == NULL)
            continue;
        if (!cJSON_IsArray(list))
            return -1;
        cJSON_ArrayForEach(w, list) {
            window x;
            if (!cJSON_IsObject(w) || s->nwin[d] == LC_SCHEDULE_MAX_WINDOWS)
                return -1;
            x.start = parse_hhmm(cJSON_GetObjectItemCaseSensitive(w, "start_time"), 0);
            x.end = parse_hhmm(cJSON_GetObjectItemCaseSensitive(w, "end_time"), 1);
            if (x.start < 0 || x.end < 0 || x.start == x.end)
                return -1;
            s->win[d][s->nwin[d]++] = x;
        }
    }
    return 0;
}

/* The exception resource with this id in exceptions (one resource or a
 * list, wrapped in "data" or not); NULL when absent, ambiguous or
 * malformed. */
static const cJSON *find_exception(const cJSON *exceptions, const char *id)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(exceptions, "data"), *it, *found = NULL;
    if (list == NULL)
        list = exceptions;
    if (cJSON_IsObject(list))
        return cJSON_IsString(cJSON_GetObjectItemCaseSensitive(list, "id")) &&
               strcmp(cJSON_GetObjectItemCaseSensitive(list, "id")->valuestring, id) == 0
               ? list : NULL;
    if (!cJSON_IsArray(list))
        return NULL;
    cJSON_ArrayForEach(it, list) {
        const cJSON *rid = cJSON_GetObjectItemCaseSensitive(it, "id");
        if (!cJSON_IsObject(it) || !cJSON_IsString(rid))
            return NULL;
        if (strcmp(rid->valuestring, id) == 0) {
            if (found != NULL)
                return NULL; /* two answers for one id: refuse both */
            found = it;
        }
    }
    return found;
}

static int read_exception(const cJSON *sched_attrs, const cJSON *exceptions, schedule *s)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(sched_attrs, "access_exception_id");
    const cJSON *attrs, *dates, *r;

    s->ndates = 0;
    if (id == NULL || cJSON_IsNull(id))
        return 0;
    if (!cJSON_IsString(id) || exceptions == NULL)
        return -1;
    attrs = attributes(find_exception(exceptions, id->valuestring), "access_exception");
    dates = cJSON_GetObjectItemCaseSensitive(attrs, "dates");
    if (!cJSON_IsArray(dates))
        return -1;
    cJSON_ArrayForEach(r, dates) {
        int64_t *range = s->dates[s->ndates];
        if (s->ndates == LC_SCHEDULE_MAX_DATES || !cJSON_IsObject(r) ||
            parse_date(cJSON_GetObjectItemCaseSensitive(r, "start_date"), &range[0]) ||
            parse_date(cJSON_GetObjectItemCaseSensitive(r, "end_date"), &range[1]) ||
            range[1] < range[0])
            return -1;
        s->ndates++;
    }
    return 0;
}

/* ---------------------------------------------------------------- evaluation */

/* Whether the schedule grants access at local wall-clock second l. */
static int granted(const schedule *s, int64_t l)
{
    int64_t day = floor_div(l, DAY);
    int32_t sec = (int32_t)(l - day * DAY);
    int wd = weekday(day), yd = (wd + 6) % 7, i;
    size_t k;

    for (k = 0; k < s->ndates; k++)
        if (day >= s->dates[k][0] && day <= s->dates[k][1])
            return 0;
    for (i = 0; i < s->nwin[wd]; i++) {
        const window *w = &s->win[wd][i];
        if (sec >= w->start && (w->end < w->start || sec < w->end))
            return 1;
    }
    for (i = 0; i < s->nwin[yd]; i++) { /* yesterday's overnight windows */
        const window *w = &s->win[yd][i];
        if (w->end < w->start && sec < w->end)
            return 1;
    }
    return 0;
}

/* The first local second after l at which granted() may change: a window
 * edge, or midnight (exception dates, weekdays). */
static int64_t next_edge(const schedule *s, int64_t l)
{
    int64_t day = floor_div(l, DAY), best = (day + 1) * DAY, d;
    int i;

    for (d = day - 1; d <= day; d++) { /* windows starting yesterday can end today */
        int wd = weekday(d);
        for (i = 0; i < s->nwin[wd]; i++) {
            const window *w = &s->win[wd][i];
            int64_t a = d * DAY + w->start;
            int64_t b = d * DAY + w->end + (w->end < w->start ? DAY : 0);
            if (a > l && a < best)
                best = a;
            if (b > l && b < best)
                best = b;
        }
    }
    return best;
}

/* Walks UTC forward from now through stretches of constant UTC offset,
 * where the wall clock runs in step, stopping at each window edge and
 * offset change, until the answer differs or the horizon is reached. */
static int64_t next_change(const schedule *s, const lc_tz *tz, int64_t now, int answer)
{
    int64_t limit = now + LC_SCHEDULE_HORIZON, t = now;
    int32_t off = lc_tz_offset_at(tz, t);
    int64_t stretch_end = lc_tz_next_change(tz, t), l = t + off;

    while (t < limit) {
        int64_t edge = next_edge(s, l);
        if (edge - off < stretch_end) {
            t = edge - off;
            l = edge;
        } else {
            t = stretch_end;
            off = lc_tz_offset_at(tz, t);
            stretch_end = lc_tz_next_change(tz, t);
            l = t + off;
        }
        if (t < limit && granted(s, l) != answer)
            return t;
    }
    return limit;
}

int lc_schedule_active(const cJSON *schedule_doc, const cJSON *exceptions, const lc_tz *tz,
                       int64_t now, int64_t *next_change_out)
{
    schedule s;
    const cJSON *attrs = attributes(resource(schedule_doc), "access_schedule");
    int answer;

    if (next_change_out != NULL)
        *next_change_out = 0;
    if (attrs == NULL || tz == NULL || now <= -LC_TZ_T_LIMIT || now >= LC_TZ_T_LIMIT ||
        read_windows(attrs, &s) != 0 || read_exception(attrs, exceptions, &s) != 0)
        return -1;
    answer = granted(&s, now + lc_tz_offset_at(tz, now));
    if (next_change_out != NULL)
        *next_change_out = next_change(&s, tz, now, answer);
    return answer;
}
