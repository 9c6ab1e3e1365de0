/* lockcloud sweep: ends, through logind, the sessions of users a login
 * would now refuse. Sessions outlive the stay they were opened in; run by
 * the shipped timer (opt-in), the sweep closes that gap. Each session is
 * decided as a login of its own PAM service would be (lcpam_decide: rules
 * file, identity, decision cache, the cloud, failmode), once per (user,
 * service) per run. Only a deny ends a session: an allow, an unmapped
 * user, an outage or an error never does (the last two make the exit
 * status 1), nor does a deny standing in for an unreachable cloud (source
 * "offline"). Root, system accounts (uid below 1000, as sync) and
 * sessions that are not a user's own (greeter, lock screen, a user
 * manager) are never decided. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "check.h"
#include "cli.h"
#include "decide.h"
#include "logind.h"

#include "../core/src/text.h"

static const char sweep_usage[] =
    "usage: lockcloud sweep [--dry-run] [--json] [--config FILE]\n";

/* Debian's UID_MIN; lockcloud sync skips the same accounts. */
#define SWEEP_FIRST_USER_UID 1000

typedef enum sweep_action {
    SWEEP_SKIPPED,   /* never decided: root, system account, class      */
    SWEEP_KEPT,      /* decided, not a deny (or a deny not to act on)    */
    SWEEP_ENDED,
    SWEEP_WOULD_END, /* --dry-run                                        */
    SWEEP_FAILED     /* TerminateSession failed                          */
} sweep_action;

static const char *const action_names[] = { "skipped", "kept", "ended", "would_end", "failed" };
static const char *const kind_names[] = { "allow", "deny", "unmapped", "outage", "error" };

/* One decision per (user, service) within a run. */
typedef struct decided {
    const char *user, *service; /* logind's strings, owned by the list   */
    lcpam_verdict v;
} decided;

/* What happened to one session. */
typedef struct sweep_row {
    const lclogind_session *s;
    const lcpam_verdict *v; /* NULL when skipped                           */
    sweep_action action;
    int undecided;          /* kept for want of a decision (exit 1)      */
    char why[LC_REASON_MAX + 64]; /* skipped, failed or kept despite a deny */
} sweep_row;

typedef struct sweep {
    const char *config_path;
    int dry, json;
    decided *cache;
    size_t ncache;
    sweep_row *rows;
    size_t nrows;
    int rc;
} sweep;

/* Decision lines go to the auth log next to the module's own; warnings
 * and errors also to stderr, for an admin running the sweep by hand. */
static void say(void *ud, int prio, const char *line)
{
    (void)ud;
    syslog(LOG_AUTHPRIV | prio, "%s", line);
    if (prio <= LOG_WARNING)
        lccli_msg("sweep: %s", line);
}

/* The session's classes a user's login opens ("user", "background" for
 * cron and the like, and systemd 256's "-early", "-incomplete", "-light"
 * variants); greeter, lock-screen and manager sessions are not logins. */
static int user_class(const char *class)
{
    return strncmp(class, "user", 4) == 0 || strncmp(class, "background", 10) == 0;
}

static const lcpam_verdict *decide_once(sweep *sw, const lclogind_session *s)
{
    lcpam_decide_ctx ctx = { 0 };
    decided *d;

    for (size_t i = 0; i < sw->ncache; i++)
        if (strcmp(sw->cache[i].user, s->user) == 0 &&
            strcmp(sw->cache[i].service, s->service) == 0)
            return &sw->cache[i].v;
    d = &sw->cache[sw->ncache++];
    d->user = s->user;
    d->service = s->service;
    ctx.config_path = sw->config_path;
    ctx.service = s->service[0] ? s->service : NULL;
    ctx.online = lcpam_check;
    ctx.say = say;
    lcpam_decide(&ctx, s->user, &d->v);
    return &d->v;
}

static void sweep_one(sweep *sw, lclogind *l, const lclogind_session *s, sweep_row *row)
{
    char err[512];

    memset(row, 0, sizeof *row);
    row->s = s;
    row->action = SWEEP_SKIPPED;
    if (s->uid == 0) {
        snprintf(row->why, sizeof row->why, "root");
        return;
    }
    if (s->uid < SWEEP_FIRST_USER_UID) {
        snprintf(row->why, sizeof row->why, "system account");
        return;
    }
    if (!user_class(s->class)) {
        snprintf(row->why, sizeof row->why, "not a login session (class ");
        lc_text_sanitize(row->why + strlen(row->why), sizeof row->why - strlen(row->why) - 1,
                         s->class, LC_TEXT_NAME);
        strcat(row->why, ")");
        return;
    }
    row->v = decide_once(sw, s);
    row->action = SWEEP_KEPT;
    switch (row->v->kind) {
    case LCPAM_V_DENY:
        if (strcmp(row->v->source, "offline") == 0) {
            /* An old deny standing in for an unreachable cloud: an outage. */
            snprintf(row->why, sizeof row->why, "the cloud gave no decision");
            row->undecided = 1;
            sw->rc = LCCLI_FAIL;
            return;
        }
        if (sw->dry) {
            row->action = SWEEP_WOULD_END;
            return;
        }
        if (lclogind_terminate(l, s->id, err, sizeof err) != 0) {
            row->action = SWEEP_FAILED;
            lc_text_sanitize(row->why, sizeof row->why, err, LC_TEXT_FIELD);
            sw->rc = LCCLI_FAIL;
            return;
        }
        row->action = SWEEP_ENDED;
        return;
    case LCPAM_V_OUTAGE:
    case LCPAM_V_ERROR:
        row->undecided = 1;
        sw->rc = LCCLI_FAIL;
        return;
    default:
        return;
    }
}

static size_t count(const sweep *sw, sweep_action a)
{
    size_t n = 0;

    for (size_t i = 0; i < sw->nrows; i++)
        n += sw->rows[i].action == a;
    return n;
}

static size_t undecided(const sweep *sw)
{
    size_t n = 0;

    for (size_t i = 0; i < sw->nrows; i++)
        n += sw->rows[i].undecided;
    return n;
}

/* The session's own strings, safe for a terminal or a key=value line. */
typedef struct shown {
    char id[64], user[LCPAM_SHOWN_MAX], service[LCPAM_SHOWN_MAX], class[32];
    char reason[LC_REASON_MAX + 64];
} shown;

static void show(const sweep_row *r, shown *sh)
{
    lc_text_sanitize(sh->id, sizeof sh->id, r->s->id, LC_TEXT_WORD);
    lc_text_sanitize(sh->user, sizeof sh->user, r->s->user, LC_TEXT_NAME);
    lc_text_sanitize(sh->service, sizeof sh->service, r->s->service, LC_TEXT_NAME);
    lc_text_sanitize(sh->class, sizeof sh->class, r->s->class, LC_TEXT_NAME);
    lc_text_sanitize(sh->reason, sizeof sh->reason,
                     r->why[0] ? r->why : r->v ? r->v->reason : "", LC_TEXT_FIELD);
}

static void print_text(const sweep *sw)
{
    shown sh;

    for (size_t i = 0; i < sw->nrows; i++) {
        const sweep_row *r = &sw->rows[i];
        show(r, &sh);
        printf("session=%s user=%s uid=%lu service=%s class=%s decision=%s action=%s "
               "reason=\"%s\"\n", sh.id, sh.user, (unsigned long)r->s->uid,
               sh.service[0] ? sh.service : "-", sh.class[0] ? sh.class : "-",
               r->v ? kind_names[r->v->kind] : "-", action_names[r->action], sh.reason);
    }
    if (sw->dry)
        printf("sessions seen %zu: would end %zu, undecided %zu (dry run, nothing ended)\n",
               sw->nrows, count(sw, SWEEP_WOULD_END), undecided(sw));
    else
        printf("sessions seen %zu: ended %zu, failed %zu, undecided %zu\n", sw->nrows,
               count(sw, SWEEP_ENDED), count(sw, SWEEP_FAILED), undecided(sw));
}

static int add_row_json(cJSON *list, const sweep_row *r)
{
    cJSON *o = cJSON_CreateObject();
    shown sh;
    int ok;

    if (!o || !cJSON_AddItemToArray(list, o)) {
        cJSON_Delete(o);
        return -1;
    }
    show(r, &sh);
    ok = cJSON_AddStringToObject(o, "session", sh.id) &&
         cJSON_AddStringToObject(o, "user", sh.user) &&
         cJSON_AddNumberToObject(o, "uid", (double)r->s->uid) &&
         cJSON_AddStringToObject(o, "service", sh.service) &&
         cJSON_AddStringToObject(o, "class", sh.class) &&
         (r->v ? cJSON_AddStringToObject(o, "decision", kind_names[r->v->kind]) != NULL
               : cJSON_AddNullToObject(o, "decision") != NULL) &&
         cJSON_AddStringToObject(o, "action", action_names[r->action]) &&
         cJSON_AddStringToObject(o, "reason", sh.reason);
    if (ok && r->v)
        ok = cJSON_AddStringToObject(o, "rule", r->v->rule) &&
             cJSON_AddStringToObject(o, "source", r->v->source);
    return ok ? 0 : -1;
}

static int print_json(const sweep *sw)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *list = NULL;
    int rc = LCCLI_OK;

    if (!doc || !cJSON_AddBoolToObject(doc, "dry_run", sw->dry) ||
        !cJSON_AddNumberToObject(doc, "sessions_seen", (double)sw->nrows) ||
        !cJSON_AddNumberToObject(doc, sw->dry ? "would_end" : "ended",
                                 (double)count(sw, sw->dry ? SWEEP_WOULD_END : SWEEP_ENDED)) ||
        !cJSON_AddNumberToObject(doc, "failed", (double)count(sw, SWEEP_FAILED)) ||
        !cJSON_AddNumberToObject(doc, "undecided", (double)undecided(sw)) ||
        !(list = cJSON_AddArrayToObject(doc, "sessions")))
        rc = LCCLI_FAIL;
    for (size_t i = 0; rc == LCCLI_OK && i < sw->nrows; i++)
        if (add_row_json(list, &sw->rows[i]) != 0)
            rc = LCCLI_FAIL;
    return lccli_json_out(doc, rc == LCCLI_OK, "sweep") == 0 ? LCCLI_OK : LCCLI_FAIL;
}

static int run(sweep *sw)
{
    char err[512], shown_err[512];
    lclogind_session *list = NULL;
    size_t n = 0;
    lclogind *l = lclogind_open(err, sizeof err);
    int rc;

    if (!l || lclogind_sessions(l, &list, &n, err, sizeof err) != 0) {
        lc_text_sanitize(shown_err, sizeof shown_err, err, LC_TEXT_MESSAGE);
        lccli_msg("sweep: logind is unreachable: %s", shown_err);
        lclogind_close(l);
        return LCCLI_FAIL;
    }
    sw->rows = n ? calloc(n, sizeof *sw->rows) : NULL;
    sw->cache = n ? calloc(n, sizeof *sw->cache) : NULL;
    if (n && (!sw->rows || !sw->cache)) {
        lccli_msg("sweep: out of memory");
        sw->rc = LCCLI_FAIL;
        n = 0;
    }
    openlog("lockcloud-sweep", LOG_PID, LOG_AUTHPRIV);
    for (size_t i = 0; i < n; i++)
        sweep_one(sw, l, &list[i], &sw->rows[sw->nrows++]);
    closelog();
    rc = sw->json ? print_json(sw) : (print_text(sw), LCCLI_OK);
    if (rc == LCCLI_OK)
        rc = sw->rc;
    free(sw->rows);
    free(sw->cache);
    lclogind_free(list, n);
    lclogind_close(l);
    return rc;
}

int lccli_sweep(int argc, char **argv)
{
    static const struct option opts[] = {
        { "dry-run", no_argument, NULL, 'n' },
        { "json", no_argument, NULL, 'j' },
        { "config", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    sweep sw = { 0 };
    const char *config = NULL;
    int o, rc;
    lccli c;

    opterr = 0;
    optind = 1;
    while ((o = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (o) {
        case 'n': sw.dry = 1; break;
        case 'j': sw.json = 1; break;
        case 'c': config = optarg; break;
        case 'h': fputs(sweep_usage, stdout); return LCCLI_OK;
        default:
            return lccli_usage("sweep", "unknown option or missing value", sweep_usage);
        }
    }
    if (optind != argc)
        return lccli_usage("sweep", "takes no arguments", sweep_usage);
    /* A configuration error is a usage error (2) before any session is
     * looked at; each decision reads the file again, as a login does. */
    rc = lccli_load_conf(&c, config);
    if (rc != LCCLI_OK)
        return rc;
    sw.config_path = c.config_path;
    lccli_close(&c);
    return lccli_flush(run(&sw));
}
