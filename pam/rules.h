/* The rules file (rules_file =): which access rule applies to a login,
 * per PAM service and per user or Linux group. One line per rule, as in
 * pam_time's time.conf:
 *
 *     SERVICES ; USERS ; REQUIREMENTS
 *
 * SERVICES  '*', or service names separated by '|'
 * USERS     '*', or user names and @group names separated by '|'
 * REQUIREMENTS  handed whole to the core's lc_rule_parse (policy.h)
 *
 * Negation: an entry written "!name" excludes. A list of exclusions only
 * means "every one but these" ("!sshd": every service but sshd). A list
 * with both includes and excludes means "the included ones, minus the
 * excluded ones" ("@staff|!bob": staff members but bob); since an
 * exclusion must be able to exclude someone, it needs an included @group
 * ("sshd|!login" and "bob|!eve" are refused: the '!' part could never
 * change what the line matches). The first line whose SERVICES and USERS
 * both match applies; no matching line is the caller's deny.
 *
 * The whole file is validated when it is read; any error refuses it all.
 * Messages are "FILE:LINE: what", and quote at most a short, sanitised
 * token of the file. pam_lockcloud(8) is the reference for the format. */
#ifndef LCPAM_RULES_H
#define LCPAM_RULES_H

#include <stddef.h>
#include <lockcloud/policy.h>

#include "lines.h"

/* A rules file is small and read on every login. */
#define LCPAM_RULES_FILE_MAX (64 * 1024)
/* Lines are those of every module file (LCPAM_LINE_MAX, 1024 bytes). */
#define LCPAM_RULES_MAX 1000  /* rule lines per file                    */
#define LCPAM_RULES_NAME_MAX 64 /* a service, user or group name, bytes  */

/* One entry of a SERVICES or USERS list. */
typedef struct lcpam_rule_entry {
    const char *name;   /* without '!' and '@'                           */
    unsigned char negated;
    unsigned char group; /* "@name": a Linux group (USERS only)           */
} lcpam_rule_entry;

/* A SERVICES or USERS field; n == 0 means '*'. */
typedef struct lcpam_rule_list {
    lcpam_rule_entry *v;
    size_t n;
} lcpam_rule_list;

typedef struct lcpam_rule_line {
    unsigned lineno;          /* line number in the file                */
    lcpam_rule_list services;
    lcpam_rule_list users;
    lc_rule rule;             /* REQUIREMENTS as lc_rule_parse read it  */
    /* "SERVICES;USERS;REQUIREMENTS" without blanks around ';' and '|',
     * terms separated by one space: the same rule however it was laid
     * out (a decision cache keys on it). */
    char *canonical;
    char *names;              /* storage of the entries' names          */
} lcpam_rule_line;

typedef struct lcpam_rules {
    lcpam_rule_line *line;
    size_t n;
    int uses_groups;          /* some USERS entry is a @group           */
} lcpam_rules;

/* Parses text[0..len) (a NUL byte is an error; text is not modified).
 * file names the file in messages ("FILE:LINE: what"). Returns 0 with
 * *rules (free with lcpam_rules_free), or -1 with err and *rules empty. */
int lcpam_rules_parse(const char *text, size_t len, const char *file, lcpam_rules *rules,
                      char *err, size_t errlen);

/* Reads path with the module's file rules (lcpam_file_load: absolute,
 * O_NOFOLLOW, root's or ours, not group/world writable, at most
 * LCPAM_RULES_FILE_MAX) and parses it. Returns 0 or -1 as above. */
int lcpam_rules_load(const char *path, lcpam_rules *rules, char *err, size_t errlen);

void lcpam_rules_free(lcpam_rules *rules);

/* The first line matching service, user and the user's groups (names,
 * primary and supplementary: lcpam_groups_lookup), or NULL. Names are
 * compared exactly. A NULL service or user matches '*' alone (not an
 * exclusion list). groups may be NULL when ngroups is 0. */
const lcpam_rule_line *lcpam_rules_match(const lcpam_rules *rules, const char *service,
                                         const char *user, const char *const *groups,
                                         size_t ngroups);

#endif
