/* A user's Linux groups by name, through NSS, for the rules file's
 * @group entries (rules.h). */
#ifndef LCPAM_GROUPS_H
#define LCPAM_GROUPS_H

#include <stddef.h>

/* Bounds: more groups than this is an error, not a truncated list (an
 * exclusion "!@group" must see every group, or it could let someone in). */
#define LCPAM_GROUPS_MAX 4096
/* Cap on the buffer of one getpwnam_r/getgrgid_r answer (it grows from
 * 4 KiB on ERANGE): a bigger entry is a lookup failure. */
#define LCPAM_GROUP_BUF_MAX (1024 * 1024)

typedef struct lcpam_groups {
    char **name;   /* the user's group names, primary first, no duplicates */
    size_t n;
} lcpam_groups;

/* The groups of the account user (its canonical name, as NSS gives it):
 * the primary group (passwd's gid) and the supplementary ones
 * (getgrouplist, retried with the size it asks for, a few times at most,
 * as membership may change between calls). A group id without a name in
 * the group database is left out (no @name can match it). Returns 0 with
 * *g (free with lcpam_groups_free); -1 with err when the user database
 * does not know user or cannot answer, or the user has more than
 * LCPAM_GROUPS_MAX groups: then the caller cannot tell who the user is,
 * and must not decide. */
int lcpam_groups_lookup(const char *user, lcpam_groups *g, char *err, size_t errlen);

void lcpam_groups_free(lcpam_groups *g);

#endif
