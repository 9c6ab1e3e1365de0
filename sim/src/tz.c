/* Time helpers (see tz.h). Zone conversion borrows the C library's tz
 * database through the TZ variable: the simulator is single-threaded, and
 * TZ is restored before returning, so nothing else observes the switch. */
#include "tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ZONEINFO_DIR "/usr/share/zoneinfo"

int tz_zone_valid(const char *zone)
{
    size_t len = zone ? strlen(zone) : 0;
    if (len == 0 || len >= TZ_NAME_MAX || zone[0] == '/' || strstr(zone, ".."))
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = zone[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '_' || c == '-' || c == '+'))
            return 0;
    }
    /* glibc silently falls back to UTC for unknown zones, so check the file. */
    const char *dir = getenv("TZDIR");
    char path[256];
    int n = snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : ZONEINFO_DIR, zone);
    struct stat st;
    return n > 0 && (size_t)n < sizeof path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int tz_local_time(const char *zone, time_t t, char out[TZ_LOCAL_LEN])
{
    const char *old = getenv("TZ");
    char *saved = NULL;
    if (old && !(saved = strdup(old)))
        return -1;
    if (setenv("TZ", zone, 1) != 0) {
        free(saved);
        return -1;
    }
    tzset();
    struct tm tm;
    int ok = localtime_r(&t, &tm) != NULL;
    if (saved)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    free(saved);
    if (!ok || strftime(out, TZ_LOCAL_LEN, "%Y-%m-%dT%H:%M:%S", &tm) != TZ_LOCAL_LEN - 1)
        return -1;
    return 0;
}

/* Reads exactly n decimal digits. */
static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* Parses "YYYY-MM-DDTHH:MM[:SS]" into tm fields; returns the rest of s. */
static const char *parse_datetime(const char *s, struct tm *tm)
{
    int y, mo, d, h, mi, sec = 0;
    if (strnlen(s, 16) < 16 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
        s[7] != '-' || digits(s + 8, 2, &d) || s[10] != 'T' || digits(s + 11, 2, &h) ||
        s[13] != ':' || digits(s + 14, 2, &mi))
        return NULL;
    s += 16;
    if (s[0] == ':') {
        if (digits(s + 1, 2, &sec))
            return NULL;
        s += 3;
    }
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
        mi > 59 || sec > 59)
        return NULL;
    memset(tm, 0, sizeof *tm);
    tm->tm_year = y - 1900;
    tm->tm_mon = mo - 1;
    tm->tm_mday = d;
    tm->tm_hour = h;
    tm->tm_min = mi;
    tm->tm_sec = sec;
    return s;
}

int tz_parse_local(const char *s, char out[TZ_LOCAL_LEN])
{
    struct tm tm;
    const char *rest = s ? parse_datetime(s, &tm) : NULL;
    if (!rest || !(rest[0] == '\0' || (rest[0] == 'Z' && rest[1] == '\0')))
        return -1;
    return strftime(out, TZ_LOCAL_LEN, "%Y-%m-%dT%H:%M:%S", &tm) == TZ_LOCAL_LEN - 1 ? 0 : -1;
}

int tz_parse_utc(const char *s, time_t *out)
{
    struct tm tm;
    const char *rest = s && strlen(s) == TZ_UTC_LEN - 1 ? parse_datetime(s, &tm) : NULL;
    if (!rest || strcmp(rest, "Z") != 0)
        return -1;
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return -1;
    *out = t;
    return 0;
}

void tz_format_utc(time_t t, char out[TZ_UTC_LEN])
{
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out, TZ_UTC_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, TZ_UTC_LEN, "1970-01-01T00:00:00Z");
}

int tz_parse_clock(const char *s, char out[TZ_CLOCK_LEN])
{
    int h, m, sec = 0;
    size_t len = s ? strnlen(s, 9) : 0;
    if ((len != 5 && len != 8) || digits(s, 2, &h) || s[2] != ':' || digits(s + 3, 2, &m))
        return -1;
    if (len == 8 && (s[5] != ':' || digits(s + 6, 2, &sec)))
        return -1;
    if (h > 23 || m > 59 || sec > 59)
        return -1;
    struct tm tm = {.tm_hour = h, .tm_min = m, .tm_sec = sec};
    return strftime(out, TZ_CLOCK_LEN, "%H:%M:%S", &tm) == TZ_CLOCK_LEN - 1 ? 0 : -1;
}
