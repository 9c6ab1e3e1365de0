/* lockcloud check USER: the decision a login of USER to a service would
 * get, and why, without logging in. It runs the module's own decision
 * (pam/decide.c: configuration, rules file, identity, decision cache,
 * online check, failmode), so it answers exactly what the module would,
 * and like a login it may answer from a fresh cached record or store the
 * online decision it gets. Nothing goes to syslog: a check is not a
 * login attempt, and must not read like one in the auth log. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <security/_pam_types.h>

#include "check.h"
#include "cli.h"
#include "decide.h"

#include "../core/src/errors.h"
#include "../core/src/json_print.h"
#include "../core/src/text.h"

/* The service a login is checked for when none is named: the console. */
#define DEFAULT_SERVICE "login"

static const char check_usage[] =
    "usage: lockcloud check USER [--service S] [--json] [--verbose] [--config FILE]\n"
    "  S: the PAM service whose rules apply (default " DEFAULT_SERVICE ")\n"
    "Exit status: 0 allowed, 3 denied, 4 unmapped, 1 no decision (the cloud\n"
    "could not be asked, a local fault), 2 usage or configuration error.\n";

static const char *const kind_names[] = { "allow", "deny", "unmapped", "outage", "error" };

static const char *pam_code_name(int code)
{
    switch (code) {
    case PAM_SUCCESS:          return "PAM_SUCCESS";
    case PAM_PERM_DENIED:      return "PAM_PERM_DENIED";
    case PAM_USER_UNKNOWN:     return "PAM_USER_UNKNOWN";
    case PAM_IGNORE:           return "PAM_IGNORE";
    case PAM_AUTHINFO_UNAVAIL: return "PAM_AUTHINFO_UNAVAIL";
    case PAM_SERVICE_ERR:      return "PAM_SERVICE_ERR";
    default:                   return "PAM_SYSTEM_ERR";
    }
}

typedef struct check_opts {
    int verbose;
} check_opts;

/* Warnings and errors on stderr (everything with --verbose). */
static void say(void *ud, int prio, const char *line)
{
    const check_opts *o = ud;

    if (prio <= LOG_WARNING || o->verbose)
        lccli_msg("check: %s", line);
}

static void iso_utc(time_t t, char out[32])
{
    struct tm tm;

    if (t <= 0 || !gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, 32, "%s", "");
}

static int exit_status(const lcpam_verdict *v)
{
    switch (v->kind) {
    case LCPAM_V_ALLOW:    return LCCLI_OK;
    case LCPAM_V_DENY:     return LCCLI_DENIED;
    case LCPAM_V_UNMAPPED: return LCCLI_UNMAPPED;
    case LCPAM_V_OUTAGE:   return LCCLI_FAIL;
    default:               return v->config_error ? LCCLI_USAGE : LCCLI_FAIL;
    }
}

static int print_json(const lcpam_verdict *v, const char *service, const char *reason,
                      const char *tell)
{
    cJSON *doc = cJSON_CreateObject();
    char when[32];
    int built;

    iso_utc(v->valid_until, when);
    built = doc && cJSON_AddStringToObject(doc, "user", v->user) &&
            cJSON_AddStringToObject(doc, "service", service) &&
            (v->person[0] ? cJSON_AddStringToObject(doc, "person", v->person)
                          : cJSON_AddNullToObject(doc, "person")) &&
            cJSON_AddStringToObject(doc, "rule", v->rule) &&
            cJSON_AddStringToObject(doc, "decision", kind_names[v->kind]) &&
            cJSON_AddStringToObject(doc, "source", v->source) &&
            cJSON_AddStringToObject(doc, "reason", reason) &&
            (when[0] ? cJSON_AddStringToObject(doc, "valid_until", when)
                     : cJSON_AddNullToObject(doc, "valid_until")) &&
            cJSON_AddStringToObject(doc, "pam", pam_code_name(v->code)) &&
            (tell[0] ? cJSON_AddStringToObject(doc, "message", tell)
                     : cJSON_AddNullToObject(doc, "message")) &&
            cJSON_AddNumberToObject(doc, "latency_ms", (double)v->latency_ms);
    return lccli_json_out(doc, built, "check") == 0 ? LCCLI_OK : LCCLI_FAIL;
}

static void print_text(const lcpam_verdict *v, const char *service, const char *reason,
                       const char *tell)
{
    char when[32];

    iso_utc(v->valid_until, when);
    printf("user:        %s\n", v->user);
    printf("service:     %s\n", service);
    printf("person:      %s\n", v->person[0] ? v->person : "-");
    printf("rule:        %s\n", v->rule);
    printf("decision:    %s (%s)\n", kind_names[v->kind], v->source);
    printf("reason:      %s\n", reason);
    if (when[0])
        printf("valid until: %s\n", when);
    printf("pam:         %s\n", pam_code_name(v->code));
    if (tell[0])
        printf("message:     %s\n", tell);
    printf("latency:     %ld ms\n", v->latency_ms);
}

int lccli_check(int argc, char **argv)
{
    static const struct option opts[] = {
        { "service", required_argument, NULL, 's' },
        { "json", no_argument, NULL, 'j' },
        { "verbose", no_argument, NULL, 'v' },
        { "config", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *service = DEFAULT_SERVICE, *config = LCPAM_DEFAULT_CONFIG;
    char shown_service[LCPAM_SHOWN_MAX], reason[sizeof ((lcpam_verdict *)0)->reason];
    char tell[sizeof ((lcpam_verdict *)0)->tell];
    check_opts o = { 0 };
    lcpam_decide_ctx ctx;
    lcpam_verdict v;
    int json = 0, opt;

    optind = 1;
    /* Options may follow USER (GNU getopt permutes; "--" ends them). */
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case 's': service = optarg; break;
        case 'j': json = 1; break;
        case 'v': o.verbose = 1; break;
        case 'c': config = optarg; break;
        case 'h': fputs(check_usage, stdout); return LCCLI_OK;
        default:
            return lccli_usage("check", "unknown option or missing value", check_usage);
        }
    }
    if (optind != argc - 1 || !argv[optind][0])
        return lccli_usage("check", "one USER is needed", check_usage);
    if (!service[0])
        return lccli_usage("check", "--service needs a name", check_usage);

    memset(&ctx, 0, sizeof ctx);
    ctx.config_path = config;
    ctx.service = service;
    ctx.debug = o.verbose;
    ctx.online = lcpam_check;
    ctx.say = say;
    ctx.say_userdata = &o;
    lcpam_decide(&ctx, argv[optind], &v);

    /* The reason may quote the server: shown as text, never as escapes. */
    lc_text_sanitize(shown_service, sizeof shown_service, service, LC_TEXT_NAME);
    lc_text_sanitize(reason, sizeof reason, v.reason, LC_TEXT_MESSAGE);
    lc_text_sanitize(tell, sizeof tell, v.tell, LC_TEXT_MESSAGE);
    if (json) {
        if (print_json(&v, shown_service, reason, tell) != LCCLI_OK)
            return lccli_flush(LCCLI_FAIL);
    } else {
        print_text(&v, shown_service, reason, tell);
    }
    return lccli_flush(exit_status(&v));
}
