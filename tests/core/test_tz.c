/* The core's time zones (core/src/tz.c, tz_rule.c) on the system's real
 * zoneinfo files: offsets and the next change around New York's DST gap
 * and overlap, Berlin, Lord Howe's half-hour DST, instants past the last
 * transition that only the POSIX footer rule answers; the same offsets as
 * glibc's localtime over 1970-2100 for zones with unusual rules; hostile
 * zone names refused before any file is touched; the file checks of
 * safe_file.c; damaged TZif bytes refused, never a crash. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "tz.h"

#define H 3600

static lc_tz *load(const char *name)
{
    lc_error err;
    lc_tz *tz = lc_tz_load(name, &err);
    if (tz == NULL)
        diag("%s: %s", name, err.message);
    return tz;
}

/* The whole file, malloc'ed; NULL when unreadable. */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = malloc(1 << 20);
    *len = f && buf ? fread(buf, 1, 1 << 20, f) : 0;
    if (f)
        fclose(f);
    if (*len == 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static void test_new_york(void)
{
    lc_tz *ny = load("America/New_York");
    int64_t spring = 1772953200, fall = 1793512800; /* 2026-03-08T07:00Z, 2026-11-01T06:00Z */
    int fold = 9;

    if (!ok(ny != NULL, "America/New_York loads"))
        return;
    ok(lc_tz_offset_at(ny, spring - 1) == -5 * H && lc_tz_offset_at(ny, spring) == -4 * H,
       "spring forward at 2026-03-08T07:00Z: EST to EDT");
    ok(lc_tz_offset_at(ny, fall - 1) == -4 * H && lc_tz_offset_at(ny, fall) == -5 * H,
       "fall back at 2026-11-01T06:00Z: EDT to EST");
    ok(lc_tz_next_change(ny, 1767225600) == spring, "next change after 2026-01-01 is the spring one");
    ok(lc_tz_next_change(ny, spring - 1) == spring && lc_tz_next_change(ny, spring) == fall,
       "next change: the instant itself from just before, the fall one from it");

    /* local wall-clock seconds of 2026-03-08 02:30 and 2026-11-01 01:30 */
    int64_t gap = lc_days_from_civil(2026, 3, 8) * 86400 + 2 * H + 1800;
    int64_t overlap = lc_days_from_civil(2026, 11, 1) * 86400 + H + 1800;
    int64_t t = lc_tz_utc(ny, gap, &fold);
    ok(fold == -1 && t == spring + 1800, "02:30 in the spring gap: fold -1, moved forward to 03:30 EDT "
       "(got %lld, fold %d)", (long long)t, fold);
    t = lc_tz_utc(ny, overlap, &fold);
    ok(fold == 1 && t == fall - 1800, "01:30 in the fall overlap: fold 1, the earlier (EDT) instant "
       "(got %lld, fold %d)", (long long)t, fold);
    t = lc_tz_utc(ny, overlap + 3 * H, &fold);
    ok(fold == 0 && t == fall + 3 * H + 1800, "04:30 after fall back: one instant, EST");

    /* 2100: long past the file's transitions (2037), only the footer
     * "EST5EDT,M3.2.0,M11.1.0" knows March 14 and November 7 */
    ok(lc_tz_offset_at(ny, 4108690800 - 1) == -5 * H && lc_tz_offset_at(ny, 4108690800) == -4 * H &&
       lc_tz_offset_at(ny, 4129250400) == -5 * H, "2100: DST from the footer rule (Mar 14, Nov 7)");
    ok(lc_tz_next_change(ny, 4102444800) == 4108690800 &&
       lc_tz_next_change(ny, 4108690800) == 4129250400, "2100: next changes from the footer rule");
    lc_tz_free(ny);
}

/* The same file with its footer rule emptied answers 2100 differently:
 * the footer really is what answers it above. */
static void test_footer_needed(void)
{
    size_t len, nl;
    unsigned char *data = slurp("/usr/share/zoneinfo/America/New_York", &len);
    lc_error err;
    lc_tz *tz;

    if (data == NULL || len < 2 || data[len - 1] != '\n') {
        ok(0, "read the New York file");
        free(data);
        return;
    }
    for (nl = len - 2; nl > 0 && data[nl] != '\n'; nl--)
        ;
    data[nl + 1] = '\n'; /* "\n\n": no rule */
    tz = lc_tz_parse(data, nl + 2, &err);
    ok(tz && lc_tz_offset_at(tz, 4108690800) == -5 * H && lc_tz_next_change(tz, 4102444800) == INT64_MAX,
       "without its footer the file stays EST in July 2100 and never changes again");
    lc_tz_free(tz);
    free(data);
}

static void test_berlin_lord_howe(void)
{
    lc_tz *be = load("Europe/Berlin"), *lh = load("Australia/Lord_Howe");
    int64_t lh_end = 1775314800, lh_start = 1791041400; /* 2026-04-04T15:00Z, 2026-10-03T15:30Z */
    int fold;

    if (ok(be != NULL, "Europe/Berlin loads")) {
        ok(lc_tz_offset_at(be, 1774746000 - 1) == H && lc_tz_offset_at(be, 1774746000) == 2 * H &&
           lc_tz_offset_at(be, 1792890000) == H, "Berlin: CEST from 2026-03-29T01:00Z to 2026-10-25T01:00Z");
        ok(lc_tz_next_change(be, 1774746000) == 1792890000, "Berlin: next change after spring is autumn");
    }
    if (ok(lh != NULL, "Australia/Lord_Howe loads")) {
        ok(lc_tz_offset_at(lh, lh_end - 1) == 11 * H && lc_tz_offset_at(lh, lh_end) == 10 * H + 1800,
           "Lord Howe: +11 to +10:30 at 2026-04-04T15:00Z (half an hour back)");
        ok(lc_tz_offset_at(lh, lh_start) == 11 * H && lc_tz_next_change(lh, lh_end) == lh_start,
           "Lord Howe: +11 again at 2026-10-03T15:30Z, the next change after April's");
        /* 2026-10-04 02:00 -> 02:30 local: 02:15 never happens */
        int64_t t = lc_tz_utc(lh, lc_days_from_civil(2026, 10, 4) * 86400 + 2 * H + 900, &fold);
        ok(fold == -1 && t == lh_start + 900, "Lord Howe: 02:15 in the half-hour gap is fold -1");
        t = lc_tz_utc(lh, lc_days_from_civil(2026, 4, 5) * 86400 + H + 2700, &fold);
        ok(fold == 1 && t == lh_end - 900, "Lord Howe: 01:45 in the half-hour overlap: the earlier one");
        /* 2090: footer "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0" */
        ok(lc_tz_offset_at(lh, 3786912000) == 11 * H, "Lord Howe 2090-01-01: southern DST from the footer");
    }
    lc_tz_free(be);
    lc_tz_free(lh);
}

/* glibc's localtime (TZ set: this test is single-threaded) as the
 * independent reference: every stretch lc_tz_next_change gives has one
 * offset throughout (sampled every 3 h) and a different one after. */
static void test_against_glibc(const char *zone)
{
    lc_tz *tz = load(zone);
    int64_t t = 0, end = 4133980800; /* 1970 .. 2101 */
    long bad = 0, stretches = 0, samples = 0;

    if (tz == NULL) {
        ok(0, "%s loads", zone);
        return;
    }
    setenv("TZ", zone, 1);
    tzset();
    while (t < end && bad < 5) {
        int64_t next = lc_tz_next_change(tz, t), s;
        int32_t off = lc_tz_offset_at(tz, t);
        struct tm tm;
        time_t tt;
        for (s = t; s < next && s < end; s += 3 * H) {
            tt = (time_t)s;
            samples++;
            if (localtime_r(&tt, &tm) == NULL || tm.tm_gmtoff != off) {
                diag("%s at %lld: ours %d, glibc %ld", zone, (long long)s, off, (long)tm.tm_gmtoff);
                bad++;
                break;
            }
        }
        if (next >= end)
            break;
        tt = (time_t)next;
        if (localtime_r(&tt, &tm) == NULL || tm.tm_gmtoff == off || lc_tz_offset_at(tz, next) != tm.tm_gmtoff) {
            diag("%s: change at %lld not seen by glibc", zone, (long long)next);
            bad++;
        }
        if (next <= t) {
            bad++;
            break;
        }
        stretches++;
        t = next;
    }
    ok(bad == 0 && stretches > 0, "%s: offsets and changes agree with glibc 1970-2100 "
       "(%ld stretches, %ld samples)", zone, stretches, samples);
    unsetenv("TZ");
    tzset();
    lc_tz_free(tz);
}

static void test_names(void)
{
    static const char *const hostile[] = {
        "../etc/passwd", "/etc/passwd", "America/../../etc/passwd", "", "America//New_York",
        "America/New_York/", "./UTC", ".hidden", "localtime", "posixrules", "posix/Europe/Berlin",
        "right/UTC", "zone.tab", "europe/Berlin", "America/New York", "Europe/Berlin\n",
        "America/New_York\\", "Etc/GMT%2B1", "UTC*",
    };
    static const char *const good[] = {
        "UTC", "EST5EDT", "Etc/GMT+1", "Etc/GMT-14", "America/Argentina/Buenos_Aires",
        "America/Port-au-Prince", "US/Eastern",
    };
    char longname[LC_TZ_NAME_MAX + 2];
    size_t i;
    int refused = 0;

    for (i = 0; i < sizeof hostile / sizeof *hostile; i++) {
        lc_error err;
        lc_tz *tz = lc_tz_load(hostile[i], &err);
        if (tz == NULL && err.kind == LC_ERR_IO && strstr(err.message, "not an IANA time zone name"))
            refused++;
        else
            diag("'%s' was not refused as a name", hostile[i]);
        lc_tz_free(tz);
    }
    ok(refused == (int)(sizeof hostile / sizeof *hostile), "%d hostile names refused by the name rule",
       refused);
    ok(!lc_tz_name_ok("Europe/Berlin\0../x", 18) && lc_tz_name_ok("Europe/Berlin", 13),
       "a NUL inside a counted name is refused");
    for (i = 0; i < sizeof good / sizeof *good; i++) {
        lc_tz *tz = load(good[i]);
        ok(tz != NULL, "'%s' loads", good[i]);
        lc_tz_free(tz);
    }
    memset(longname, 'A', sizeof longname);
    longname[LC_TZ_NAME_MAX] = '\0';
    ok(lc_tz_name_ok(longname, LC_TZ_NAME_MAX) && !lc_tz_name_ok(longname, LC_TZ_NAME_MAX + 1),
       "names up to %d bytes, not one more", LC_TZ_NAME_MAX);
    {
        lc_error err;
        lc_tz *tz = lc_tz_load("Mars/Olympus", &err);
        ok(tz == NULL && err.kind == LC_ERR_IO && strcmp(err.message, "unknown time zone") == 0,
           "a well-formed unknown name: 'unknown time zone' (%s)", tz ? "loaded" : err.message);
    }
}

/* lc_tz_load_dir: the file checks of safe_file.c on a directory we own. */
static void test_file_checks(void)
{
    char dir[] = "/tmp/lc-tz-XXXXXX", path[256], path2[256];
    size_t len;
    unsigned char *data = slurp("/usr/share/zoneinfo/Europe/Berlin", &len);
    lc_error err;
    lc_tz *tz;
    FILE *f;

    if (data == NULL || mkdtemp(dir) == NULL) {
        ok(0, "temporary zone directory");
        free(data);
        return;
    }
    snprintf(path, sizeof path, "%s/Good", dir);
    f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, len, f);
        fclose(f);
    }
    chmod(path, 0644);
    tz = lc_tz_load_dir(dir, "Good", &err);
    ok(tz && lc_tz_offset_at(tz, 1774746000) == 2 * H, "a zone of our own directory loads");
    lc_tz_free(tz);

    snprintf(path2, sizeof path2, "%s/Link", dir);
    ok(symlink("Good", path2) == 0 && (tz = lc_tz_load_dir(dir, "Link", &err)) != NULL,
       "a symbolic link is followed (zoneinfo links are)");
    lc_tz_free(tz);
    unlink(path2);

    chmod(path, 0666);
    tz = lc_tz_load_dir(dir, "Good", &err);
    ok(tz == NULL && err.kind == LC_ERR_IO && strstr(err.message, "writable"),
       "a world-writable zone file is refused (%s)", tz ? "loaded" : err.message);
    lc_tz_free(tz);
    unlink(path);

    snprintf(path2, sizeof path2, "%s/Fifo", dir);
    tz = mkfifo(path2, 0600) == 0 ? lc_tz_load_dir(dir, "Fifo", &err) : NULL;
    ok(tz == NULL && err.kind == LC_ERR_IO && strstr(err.message, "not a regular file"),
       "a FIFO is refused without hanging (%s)", tz ? "loaded" : err.message);
    unlink(path2);

    snprintf(path2, sizeof path2, "%s/Big", dir);
    f = fopen(path2, "wb");
    if (f) {
        static unsigned char pad[70 * 1024];
        fwrite(data, 1, len, f);
        fwrite(pad, 1, sizeof pad, f);
        fclose(f);
    }
    tz = lc_tz_load_dir(dir, "Big", &err);
    ok(tz == NULL && strstr(err.message, "too large"), "a zone file over 64 KiB is refused (%s)",
       tz ? "loaded" : err.message);
    unlink(path2);

    snprintf(path2, sizeof path2, "%s/Short", dir);
    f = fopen(path2, "wb");
    if (f) {
        fwrite(data, 1, len / 2, f);
        fclose(f);
    }
    tz = lc_tz_load_dir(dir, "Short", &err);
    ok(tz == NULL && err.kind == LC_ERR_PARSE, "a truncated zone file: LC_ERR_PARSE (%s)",
       tz ? "loaded" : err.message);
    unlink(path2);
    rmdir(dir);
    free(data);
}

static void test_damaged_bytes(void)
{
    size_t len, cut, refused = 0;
    unsigned char *data = slurp("/usr/share/zoneinfo/America/New_York", &len), *leap;
    lc_error err;
    lc_tz *tz;

    if (!ok(data != NULL, "read the New York file"))
        return;
    for (cut = 0; cut < len; cut++) {
        tz = lc_tz_parse(data, cut, &err);
        refused += tz == NULL && err.kind == LC_ERR_PARSE;
        lc_tz_free(tz);
    }
    ok(refused == len, "every truncation (%zu lengths) is refused with LC_ERR_PARSE (%zu)", len, refused);

    /* version 1: the first (32-bit) block alone, read as a v1 file */
    {
        unsigned char *v1 = malloc(len);
        uint32_t n[6];
        size_t i, block;
        memcpy(v1, data, len);
        v1[4] = 0;
        for (i = 0; i < 6; i++)
            n[i] = (uint32_t)v1[20 + 4 * i] << 24 | (uint32_t)v1[21 + 4 * i] << 16 |
                   (uint32_t)v1[22 + 4 * i] << 8 | v1[23 + 4 * i];
        block = n[3] * 5 + n[4] * 6 + n[5] + n[2] * 8 + n[1] + n[0];
        tz = lc_tz_parse(v1, 44 + block, &err);
        ok(tz && lc_tz_offset_at(tz, 962409600) == -4 * H && lc_tz_offset_at(tz, 946684800) == -5 * H,
           "a version 1 file (32-bit block, no footer) is read: 2000-07-01 EDT, 2000-01-01 EST");
        lc_tz_free(tz);
        memcpy(v1, data, len);
        v1[4] = '4';
        tz = lc_tz_parse(v1, len, &err);
        ok(tz && lc_tz_offset_at(tz, 4108690800) == -4 * H, "a version 4 header reads the same");
        lc_tz_free(tz);
        free(v1);
    }
    {
        size_t llen;
        leap = slurp("/usr/share/zoneinfo/right/UTC", &llen);
        if (leap) {
            tz = lc_tz_parse(leap, llen, &err);
            ok(tz == NULL && strstr(err.message, "leap seconds"), "a leap-second file is refused (%s)",
               tz ? "loaded" : err.message);
            lc_tz_free(tz);
        } else {
            skip("no /usr/share/zoneinfo/right/UTC");
        }
        free(leap);
    }
    free(data);
}

static void test_calendar(void)
{
    int64_t y;
    int m, d;
    lc_civil_from_days(lc_days_from_civil(2028, 2, 29), &y, &m, &d);
    ok(lc_days_from_civil(1970, 1, 1) == 0 && lc_days_from_civil(2026, 3, 8) == 20520 &&
       y == 2028 && m == 2 && d == 29, "calendar: epoch, 2026-03-08, leap day round trip");
    lc_civil_from_days(-1, &y, &m, &d);
    ok(y == 1969 && m == 12 && d == 31, "calendar: day -1 is 1969-12-31");
}

int main(void)
{
    test_new_york();
    test_footer_needed();
    test_berlin_lord_howe();
    test_against_glibc("America/New_York");
    test_against_glibc("Australia/Lord_Howe");
    test_against_glibc("Europe/Dublin"); /* negative DST in the footer */
    test_against_glibc("America/Sao_Paulo");
    test_names();
    test_file_checks();
    test_damaged_bytes();
    test_calendar();
    return tap_done();
}
