/* See cache_step.h. */
#include <stdio.h>
#include <string.h>

#include "cache_step.h"

#define VENDOR "remotelock"

static void note_error(lcpam_cache_step *s, const char *what, const lc_error *err)
{
    /* err names files and fields, never a record's bytes (decision_cache.h) */
    snprintf(s->note, sizeof s->note, "decision cache: %s: %s", what, err->message);
}

static void from_record(const lcpam_decision_record *r, const lcpam_conf *conf,
                        lcpam_outcome *out)
{
    memset(out, 0, sizeof *out);
    out->kind = r->allow ? LCPAM_ALLOW : LCPAM_DENY;
    out->status = LC_OK;
    out->decision.allow = r->allow;
    out->decision.rule = lc_rule_name(conf->rule.kind);
    snprintf(out->decision.reason, sizeof out->decision.reason, "%s", r->reason);
    out->decision.valid_until = (time_t)r->valid_until;
}

/* 1 when the key's record is fresh at now (*out filled); a record the
 * cache refused is noted and counts as a miss. */
static int fresh_hit(lcpam_cache_step *s, const lcpam_conf *conf, time_t now,
                     lcpam_outcome *out)
{
    lcpam_decision_record r;
    lc_error err;
    lcpam_cache_status st;

    lc_error_init(&err);
    st = lcpam_cache_load(&s->cache, &s->key, now, &r, &err);
    if (st != LCPAM_CACHE_HIT && st != LCPAM_CACHE_ABSENT)
        note_error(s, lcpam_cache_status_name(st), &err);
    lc_error_clear(&err);
    if (st != LCPAM_CACHE_HIT || !lcpam_cache_fresh(&r, &conf->cache, now))
        return 0;
    from_record(&r, conf, out);
    return 1;
}

int lcpam_cache_step_begin(lcpam_cache_step *s, const lcpam_conf *conf, const char *person_id,
                           const char *rule_text, time_t now, long long deadline_ms,
                           lcpam_outcome *out, char *err, size_t errlen)
{
    lc_error lerr;

    memset(s, 0, sizeof *s);
    s->lock.fd = -1;
    if (!conf->cache.dir)
        return 0;
    lc_error_init(&lerr);
    /* The module never creates it: `make install` and the admin do, so a
     * typo in cache_dir is an error, not a new directory somewhere. */
    if (lcpam_cache_open(&s->cache, conf->cache.dir, 0, &lerr) != LC_OK) {
        snprintf(err, errlen, "cache_dir: %s", lerr.message);
        lc_error_clear(&lerr);
        return -1;
    }
    snprintf(s->person_id, sizeof s->person_id, "%s", person_id);
    snprintf(s->rule, sizeof s->rule, "%s", rule_text);
    s->key.vendor = VENDOR;
    s->key.person_id = s->person_id;
    s->key.rule = s->rule;
    s->on = 1;
    if (fresh_hit(s, conf, now, out))
        return 1;
    /* Another login of this person may be asking the cloud right now:
     * wait for it, then its record answers. A lock not had in time only
     * costs a request. */
    if (lcpam_cache_lock_key(&s->cache, &s->key, deadline_ms, &s->lock, &lerr) != LC_OK &&
        lerr.kind != LC_ERR_TIMEOUT)
        note_error(s, "lock", &lerr);
    lc_error_clear(&lerr);
    if (s->lock.fd >= 0 && fresh_hit(s, conf, time(NULL), out)) {
        lcpam_cache_unlock(&s->lock);
        return 1;
    }
    return 0;
}

/* Stores an online decision; a failure is noted, the decision stands. */
static void store(lcpam_cache_step *s, const lcpam_conf *conf, time_t decided_at,
                  const lcpam_outcome *out)
{
    lcpam_decision_record r;
    int allow = out->kind == LCPAM_ALLOW && out->decision.allow == 1;
    /* valid_until is when the core says the decision may change (stay or
     * window end, a window opening, schedule change): no record is fresh
     * past it, and no allow outlives it, offline either. */
    long long changes_at = (long long)out->decision.valid_until;
    lc_error err;

    lc_error_init(&err);
    if (allow && changes_at > 0 && changes_at <= (long long)decided_at) {
        /* already at its end: nothing to keep, and nothing older may stay */
        if (lcpam_cache_forget(&s->cache, &s->key, &err) != LC_OK)
            note_error(s, "forget", &err);
    } else if (lcpam_decision_record_make(&r, &s->key, allow, out->decision.reason,
                                          (long long)decided_at, changes_at, &conf->cache,
                                          &err) != LC_OK ||
               lcpam_cache_store(&s->cache, &r, &err) != LC_OK) {
        note_error(s, "store", &err);
        /* the older record must not answer for this decision later */
        lc_error_clear(&err);
        if (lcpam_cache_forget(&s->cache, &s->key, &err) != LC_OK)
            note_error(s, "forget", &err);
    }
    lc_error_clear(&err);
}

/* failmode cached, the cloud out: the last online decision if it may
 * stand in; 1 with *out replaced. */
static int offline(lcpam_cache_step *s, const lcpam_conf *conf, time_t now, lcpam_outcome *out)
{
    lcpam_decision_record r;
    lc_error err;
    lcpam_cache_status st;
    int ok;

    lc_error_init(&err);
    st = lcpam_cache_load(&s->cache, &s->key, now, &r, &err);
    if (st != LCPAM_CACHE_HIT && st != LCPAM_CACHE_ABSENT)
        note_error(s, lcpam_cache_status_name(st), &err);
    lc_error_clear(&err);
    ok = st == LCPAM_CACHE_HIT && lcpam_cache_offline_ok(&r, &conf->cache, now);
    if (ok) {
        from_record(&r, conf, out);
        s->offline_decided_at = r.decided_at;
    }
    return ok;
}

lcpam_from lcpam_cache_step_end(lcpam_cache_step *s, const lcpam_conf *conf, time_t decided_at,
                                lcpam_outcome *out)
{
    lcpam_from from = LCPAM_FROM_ONLINE;

    if (!s->on)
        return from;
    switch (out->kind) {
    case LCPAM_ALLOW:
    case LCPAM_DENY:
    case LCPAM_GONE:
        store(s, conf, decided_at, out);
        break;
    case LCPAM_REMOTE:
        if (conf->failmode == LCPAM_FAIL_CACHED && offline(s, conf, time(NULL), out))
            from = LCPAM_FROM_OFFLINE;
        break;
    case LCPAM_LOCAL:
        break;
    }
    lcpam_cache_unlock(&s->lock);
    return from;
}

void lcpam_cache_step_free(lcpam_cache_step *s)
{
    if (s->lock.fd >= 0)
        lcpam_cache_unlock(&s->lock);
}
