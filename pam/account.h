/* The account a login name stands for, as the user database (NSS) names it. */
#ifndef LCPAM_ACCOUNT_H
#define LCPAM_ACCOUNT_H

#include <stddef.h>

/* Cap on getpwnam_r's buffer (it grows from 4 KiB on ERANGE): an entry
 * needing more is a lookup failure, not an unbounded allocation. */
#define LCPAM_PW_BUF_MAX (1024 * 1024)

typedef struct lcpam_account {
    const char *name;   /* the canonical pw_name, or the typed name when unknown */
    int known;          /* 1 when NSS knew the account */
    char *buf;          /* holds name when known */
} lcpam_account;

/* Looks typed up with getpwnam_r. A directory that folds case (SSSD or
 * LDAP with case_sensitive = false) or otherwise canonicalises names
 * answers "ELI" with the account "eli", and that account, not the
 * spelling, is what the rest of the stack (pam_unix via NSS) lets in.
 * Returns 0 with a->name the account's pw_name (known = 1), or typed
 * itself when NSS has no such account (known = 0); -1 with err when the
 * database could not answer (then nobody knows which account it is). */
int lcpam_account_lookup(const char *typed, lcpam_account *a, char *err, size_t errlen);

void lcpam_account_free(lcpam_account *a);

#endif
