/* The places file (pam/places_index.h): its config key, a good file and
 * every malformed shape, the zone lookup, scheduled accesses decided over
 * it through the core (inside, outside, unknown schedule, a door group
 * spanning two zones), what a login lends and warns, and the file checks
 * (missing, mode, owner, symbolic link, size cap, directory). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "places_index.h"
#include "tap.h"

#include "../core/src/json_parse.h"

static char dir[] = "/tmp/lcplacestest.XXXXXX";
static char path[256];

#define LOCK "20000000-0000-4000-8000-000000000001"
#define DG "f0000000-0000-4000-8000-000000000001"
#define GUEST "30000000-0000-4000-8000-000000000001"
/* 2026-03-10T12:00:00Z, a Tuesday: 06:00 in Denver (MDT), 13:00 in Berlin. */
#define NOW ((time_t)1773144000)

#define SCHED(id, tue) \
    "{\"type\":\"access_schedule\",\"id\":\"" id "\",\"attributes\":{\"name\":\"n\",\"tue\":[" tue "]}}"
#define WINDOW(a, b) "{\"start_time\":\"" a "\",\"end_time\":\"" b "\"}"
#define GOOD                                                                             \
    "{\"version\":1,\"built_at\":1773140000,\"schedules\":["                              \
    SCHED("s-in", WINDOW("05:00", "09:00")) "," SCHED("s-out", WINDOW("10:00", "11:00")) "," \
    SCHED("s-wide", WINDOW("05:00", "14:00")) "],"                                        \
    "\"exceptions\":[{\"type\":\"access_exception\",\"id\":\"x1\",\"attributes\":{\"dates\":[]}}]," \
    "\"places\":{\"lock:" LOCK "\":[\"America/Denver\"],"                                 \
    "\"door_group:" DG "\":[\"America/Denver\",\"Europe/Berlin\"],"                       \
    "\"location:l1\":[\"America/Denver\"]}}"

static lc_status parse(const char *text, lcpam_places **p, lc_error *err)
{
    lc_error_init(err);
    return lcpam_places_parse(text, strlen(text), p, err);
}

static void test_config(void)
{
    char e[256];
    lcpam_conf c;
    char text[512];

    snprintf(text, sizeof text, "credentials_file = /etc/x\nmap_file = /etc/y\n"
             "places_file = /var/lib/lockcloud/places.json\n");
    ok(lcpam_conf_parse(text, &c, e, sizeof e) == 0 && c.places_file &&
       strcmp(c.places_file, "/var/lib/lockcloud/places.json") == 0, "places_file parsed");
    lcpam_conf_free(&c);
    snprintf(text, sizeof text, "credentials_file = /etc/x\nmap_file = /etc/y\n");
    ok(lcpam_conf_parse(text, &c, e, sizeof e) == 0 && !c.places_file, "places_file optional");
    lcpam_conf_free(&c);
    snprintf(text, sizeof text, "credentials_file = /etc/x\nmap_file = /etc/y\nplaces_file = rel\n");
    ok(lcpam_conf_parse(text, &c, e, sizeof e) != 0 && strstr(e, "places_file"),
       "a relative places_file refused: %s", e);
    snprintf(text, sizeof text, "credentials_file = /etc/x\nmap_file = /etc/y\n"
             "places_file = /a\nplaces_file = /b\n");
    ok(lcpam_conf_parse(text, &c, e, sizeof e) != 0 && strstr(e, "duplicate key 'places_file'"),
       "places_file twice refused: %s", e);
}

static void test_good(void)
{
    const struct lc_tz *z[LC_ZONES_MAX];
    lcpam_places *p = NULL;
    lc_error err;

    lc_error_init(&err);

    ok(parse(GOOD, &p, &err) == LC_OK && p, "a good file parses: %s", err.message);
    if (!p)
        return;
    ok(lcpam_places_built_at(p) == 1773140000 &&
       cJSON_GetArraySize(lcpam_places_schedules(p)) == 3 &&
       cJSON_GetArraySize(lcpam_places_exceptions(p)) == 1, "built_at, 3 schedules, 1 exception");
    ok(lcpam_places_zones(p, "lock", LOCK, z, LC_ZONES_MAX) == 1 &&
       lcpam_places_zones(p, "lock", "20000000-0000-4000-8000-00000000000A", z, LC_ZONES_MAX) == 0,
       "a lock: one zone; an unknown one none");
    ok(lcpam_places_zones(p, "lock", "20000000-0000-4000-8000-000000000001", z, 0) == 0,
       "no room for the zones: unknown rather than a partial answer");
    ok(lcpam_places_zones(p, "door_group", "F0000000-0000-4000-8000-000000000001", z,
                          LC_ZONES_MAX) == 2 && z[0] != z[1],
       "a door group in two zones (id compared ignoring case)");
    ok(lcpam_places_zones(p, "zwave_lock", LOCK, z, LC_ZONES_MAX) == 0,
       "the type is part of the key");
    lcpam_places_free(p);
}

static void test_malformed(void)
{
    static const struct { const char *text, *want; } bad[] = {
        { "[]", "not a JSON object" },
        { "{\"version\":1}", "a member is missing" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[],\"exceptions\":[],\"places\":{},\"x\":1}",
          "unknown member" },
        { "{\"version\":2,\"built_at\":1,\"schedules\":[],\"exceptions\":[],\"places\":{}}",
          "version 1" },
        { "{\"version\":\"1\",\"built_at\":1,\"schedules\":[],\"exceptions\":[],\"places\":{}}",
          "version 1" },
        { "{\"version\":1,\"built_at\":-1,\"schedules\":[],\"exceptions\":[],\"places\":{}}",
          "built_at" },
        { "{\"version\":1,\"built_at\":1.5,\"schedules\":[],\"exceptions\":[],\"places\":{}}",
          "built_at" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":{},\"exceptions\":[],\"places\":{}}",
          "schedules: not an array" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[{\"type\":\"auto_lock_schedule\",\"id\":\"s\"}],"
          "\"exceptions\":[],\"places\":{}}", "not a access_schedule" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[{\"type\":\"access_schedule\"}],"
          "\"exceptions\":[],\"places\":{}}", "valid id" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[{\"type\":\"access_schedule\",\"id\":\"S\"}],"
          "\"exceptions\":[],\"places\":{}}", "valid id" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[{\"type\":\"access_schedule\",\"id\":\"a b\"}],"
          "\"exceptions\":[],\"places\":{}}", "valid id" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[" SCHED("s", "") "," SCHED("s", "") "],"
          "\"exceptions\":[],\"places\":{}}", "an id given twice" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[],\"exceptions\":[{\"type\":\"access_schedule\","
          "\"id\":\"x\"}],\"places\":{}}", "exceptions: an item" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[],\"exceptions\":[],\"places\":[]}",
          "places: not an object" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[],\"exceptions\":[],"
          "\"places\":{\"lock\":[\"UTC\"]}}", "not TYPE:ID" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[],\"exceptions\":[],"
          "\"places\":{\"door:x\":[\"UTC\"]}}", "not TYPE:ID" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[],\"exceptions\":[],"
          "\"places\":{\"lock:X\":[\"UTC\"]}}", "not TYPE:ID" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[],\"exceptions\":[],"
          "\"places\":{\"lock:x\":[]}}", "time zone names" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[],\"exceptions\":[],"
          "\"places\":{\"lock:x\":\"UTC\"}}", "time zone names" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[],\"exceptions\":[],"
          "\"places\":{\"lock:x\":[\"../../etc/shadow\"]}}", "time zone names" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[],\"exceptions\":[],"
          "\"places\":{\"lock:x\":[\"localtime\"]}}", "time zone names" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[],\"exceptions\":[],"
          "\"places\":{\"lock:x\":[\"UTC\",\"UTC\"]}}", "time zone names" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[],\"exceptions\":[],"
          "\"places\":{\"lock:x\":[\"A\",\"B\",\"C\",\"D\",\"E\",\"F\",\"G\",\"H\",\"I\"]}}",
          "time zone names" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[],\"exceptions\":[],"
          "\"places\":{\"lock:x\":[7]}}", "time zone names" },
        { "{\"version\":1,\"version\":1,\"built_at\":1,\"schedules\":[],\"exceptions\":[],\"places\":{}}",
          "" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[],\"exceptions\":[],\"places\":{}} x", "" },
        { "{\"version\":1,\"built_at\":1,\"schedules\":[],\"exceptions\":[],\"places\":{\"lock:\xff\":[]}}",
          "" },
        { "", "" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lcpam_places *p = (lcpam_places *)1;
        lc_error err;
        lc_status st = parse(bad[i].text, &p, &err);
        ok(st == LC_ERR_PARSE && !p && strstr(err.message, bad[i].want),
           "malformed %zu refused: %s", i, err.message);
        lc_error_clear(&err);
    }
}

/* The decision over the places (as check.c runs it): person and accesses
 * as fetched, the places lent to the docs. */
static int decide(const char *rule_text, const char *type, const char *id, const char *sched,
                  lcpam_places *p, lc_decision *d)
{
    char acc[1024];
    lc_access_docs docs;
    lc_rule rule;
    lc_error err;

    lc_error_init(&err);
    memset(&docs, 0, sizeof docs);
    snprintf(docs.person_id, sizeof docs.person_id, "%s", GUEST);
    snprintf(acc, sizeof acc,
             "{\"data\":[{\"type\":\"access_person_access\",\"id\":\"a\",\"attributes\":{"
             "\"accessible_type\":\"%s\",\"accessible_id\":\"%s\",\"access_person_id\":\"" GUEST
             "\",\"access_schedule_id\":\"%s\"}}],\"meta\":{\"page\":1,\"per_page\":50,"
             "\"total_pages\":1}}", type, id, sched);
    docs.accesses = cJSON_Parse(acc);
    docs.person = cJSON_Parse("{\"data\":{\"type\":\"access_guest\",\"id\":\"" GUEST "\","
                              "\"attributes\":{\"status\":\"current\",\"starts_at\":"
                              "\"2026-03-01T00:00:00\",\"ends_at\":\"2026-03-20T00:00:00\"}}}");
    docs.fetched = LC_NEED_PERSON | LC_NEED_ACCESSES;
    if (lc_rule_parse(rule_text, &rule, &err) != LC_OK) {
        diag("rule: %s", err.message);
        lc_access_docs_free(&docs);
        return -1;
    }
    if (p) {
        docs.schedules = lcpam_places_schedules(p);
        docs.exceptions = lcpam_places_exceptions(p);
        docs.zones_of = lcpam_places_zones;
        docs.zones_userdata = p;
    }
    lc_access_evaluate(&rule, &docs, NOW, d);
    lc_access_docs_free(&docs);
    return d->allow;
}

static void test_decisions(void)
{
    lcpam_places *p = NULL;
    lc_decision d;
    lc_error err;
    int r;

    lc_error_init(&err);

    if (!ok(parse(GOOD, &p, &err) == LC_OK, "the good file for the decisions"))
        return;
    r = decide("access=lock:" LOCK, "lock", LOCK, "s-in", p, &d);
    ok(r == 1 &&
       d.valid_until == (time_t)1773154800,
       "06:00 Denver in 05:00-09:00: allowed until 09:00 MDT (%s, %lld)", d.reason,
       (long long)d.valid_until);
    r = decide("access=lock:" LOCK, "lock", LOCK, "s-out", p, &d);
    ok(r == 0 &&
       strcmp(d.reason, "no access to this door now") == 0 && d.valid_until == (time_t)1773158400,
       "before 10:00-11:00: denied until 10:00 MDT (%s, %lld)", d.reason, (long long)d.valid_until);
    r = decide("access=lock:" LOCK, "lock", LOCK, "s-new", p, &d);
    ok(r == 0 &&
       strcmp(d.reason, "access schedule unknown: run lockcloud sync") == 0,
       "a schedule the file lacks: denied, sync named (%s)", d.reason);
    r = decide("access=lock:20000000-0000-4000-8000-000000000009", "lock",
              "20000000-0000-4000-8000-000000000009", "s-in", p, &d);
    ok(r == 0 &&
       strcmp(d.reason, "time zone of this door unknown: run lockcloud sync") == 0,
       "a lock the file does not place: denied, sync named (%s)", d.reason);
    r = decide("access=door_group:" DG, "door_group", DG, "s-wide", p, &d);
    ok(r == 1 &&
       d.valid_until == (time_t)1773147600,
       "a door group in Denver (06:00) and Berlin (13:00), 05:00-14:00: allowed until 14:00 "
       "in Berlin, the sooner end (%s, %lld)", d.reason, (long long)d.valid_until);
    r = decide("access=door_group:" DG, "door_group", DG, "s-in", p, &d);
    ok(r == 0,
       "05:00-09:00 holds in Denver, not in Berlin: the door group is denied (%s)", d.reason);
    r = decide("access=lock:" LOCK, "lock", LOCK, "s-in", NULL, &d);
    ok(r == 0 &&
       strcmp(d.reason, "access to this door follows a schedule not checked here") == 0,
       "no places at all: never allowed (%s)", d.reason);
    lcpam_places_free(p);
}

static int write_file(const char *file, const char *text, mode_t mode)
{
    FILE *f = fopen(file, "w");

    if (!f)
        return -1;
    fputs(text, f);
    if (fclose(f) != 0)
        return -1;
    return chmod(file, mode);
}

static lc_status load(lcpam_places **p, lc_error *err)
{
    lc_error_init(err);
    *p = NULL;
    return lcpam_places_load(path, p, err);
}

static void test_files(void)
{
    char link[300];
    lcpam_places *p;
    lc_error err;

    lc_error_init(&err);

    ok(load(&p, &err) == LC_OK && !p, "a missing file: nothing, no error (sync not run)");
    ok(write_file(path, GOOD, 0600) == 0 && load(&p, &err) == LC_OK && p, "0600, ours: read");
    lcpam_places_free(p);
    ok(chmod(path, 0644) == 0 && load(&p, &err) == LC_ERR_IO && !p,
       "readable by others: refused (%s)", err.message);
    ok(chmod(path, 0600) == 0 && chown(path, 1234, 1234) == 0 && load(&p, &err) == LC_ERR_IO,
       "another owner: refused (%s)", err.message);
    ok(chown(path, geteuid(), getegid()) == 0, "owner back");
    snprintf(link, sizeof link, "%s/real.json", dir);
    ok(rename(path, link) == 0 && symlink(link, path) == 0 && load(&p, &err) == LC_ERR_IO &&
       strstr(err.message, "symbolic link"), "a symbolic link: refused (%s)", err.message);
    unlink(path);
    ok(rename(link, path) == 0 && truncate(path, LCPAM_PLACES_MAX_BYTES + 1) == 0 &&
       load(&p, &err) != LC_OK && !p, "over the size cap: refused (%s)", err.message);
    ok(write_file(path, "{\"version\":1}", 0600) == 0 && load(&p, &err) == LC_ERR_PARSE &&
       strstr(err.message, path), "malformed: refused naming the file (%s)", err.message);
    ok(write_file(path, GOOD, 0600) == 0 && chmod(dir, 0777) == 0 && load(&p, &err) == LC_ERR_IO,
       "a directory others can write: refused (%s)", err.message);
    chmod(dir, 0700);

    /* What a login lends, and what it must not take as the cloud's word. */
    {
        lc_access_docs docs;
        lc_decision d;

        memset(&docs, 0, sizeof docs);
        docs.accesses = cJSON_Parse("{\"data\":[{\"attributes\":{\"access_schedule_id\":null}}]}");
        ok(lcpam_places_lend(path, &docs, &p, &err) == LC_OK && !p && !docs.schedules,
           "no access names a schedule: the file is not read");
        cJSON_Delete(docs.accesses);
        docs.accesses = cJSON_Parse("{\"data\":[{\"attributes\":{\"access_schedule_id\":\"s\"}}]}");
        ok(lcpam_places_lend(path, &docs, &p, &err) == LC_OK && p &&
           docs.schedules == lcpam_places_schedules(p) && docs.zones_userdata == p,
           "an access names a schedule: the file is lent");
        snprintf(d.reason, sizeof d.reason, "access schedule unknown: run lockcloud sync");
        ok(lcpam_places_release(p, &d) == 1,
           "a decision whose reason asks for a sync rests on what the file lacks");
        memset(&docs.schedules, 0, sizeof docs.schedules);
        ok(lcpam_places_lend(path, &docs, &p, &err) == LC_OK && p, "lent again");
        snprintf(d.reason, sizeof d.reason, "no access to this door now");
        ok(lcpam_places_release(p, &d) == 0, "any other reason is the file's word");
        unlink(path);
        docs.schedules = NULL;
        lc_error_clear(&err);
        ok(lcpam_places_lend(path, &docs, &p, &err) == LC_ERR_IO && !p && !docs.schedules &&
           strstr(err.message, path) && strstr(err.message, "run lockcloud sync"),
           "a missing file is an error asking for a sync, nothing lent (%s)", err.message);
        ok(write_file(path, GOOD, 0640) == 0, "group-readable file");
        lc_error_clear(&err);
        ok(lcpam_places_lend(path, &docs, &p, &err) == LC_ERR_IO && !p && !docs.schedules,
           "a refused file is an error, nothing lent (%s)", err.message);
        ok(write_file(path, "{\"version\":1}", 0600) == 0 && chmod(path, 0600) == 0, "malformed file");
        lc_error_clear(&err);
        ok(lcpam_places_lend(path, &docs, &p, &err) == LC_ERR_PARSE && !p && !docs.schedules,
           "a malformed file is an error, nothing lent (%s)", err.message);
        lc_error_clear(&err);
        cJSON_Delete(docs.accesses);
    }
}

int main(void)
{
    if (!mkdtemp(dir)) {
        ok(0, "mkdtemp: %s", strerror(errno));
        return tap_done();
    }
    snprintf(path, sizeof path, "%s/places.json", dir);
    test_config();
    test_good();
    test_malformed();
    test_decisions();
    if (geteuid() == 0)
        test_files();
    else
        skip("the file tests chown to another uid: run as root");
    {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            diag("could not remove %s", dir);
    }
    return tap_done();
}
