/* The `lockcloud` admin command: what its subcommands share. */
#ifndef LCCLI_H
#define LCCLI_H

#include <stdio.h>
#include <lockcloud/lockcloud.h>

#include "conf.h"

/* Exit status (documented in lockcloud(1)). 3 and 4 are
 * `lockcloud check`'s, whose answer is a decision, not a failure. */
enum {
    LCCLI_OK = 0,          /* done                                          */
    LCCLI_FAIL = 1,        /* runtime failure: network, API, local file     */
    LCCLI_USAGE = 2,       /* usage or configuration error                  */
    LCCLI_DENIED = 3,      /* check: the user would be refused               */
    LCCLI_UNMAPPED = 4     /* check: the user maps to no access person       */
};

/* What every subcommand that talks to the cloud needs. */
typedef struct lccli {
    const char *config_path;
    lcpam_conf conf;
    lc_client *client;
} lccli;

/* A usage error: "lockcloud: <sub>: <what>" and the usage on stderr;
 * returns LCCLI_USAGE. */
int lccli_usage(const char *sub, const char *what, const char *usage);
/* rc, or LCCLI_FAIL (said) when stdout could not be written. */
int lccli_flush(int rc);

/* Loads the module's configuration (pam/conf.c, the same checks as a
 * login), prints the error and returns LCCLI_USAGE on failure. */
int lccli_load_conf(lccli *c, const char *path);
/* Reads the credentials and makes a client for an admin job: rate-limit
 * waits and resends allowed (the core paces), the config's timeout per
 * request. Returns LCCLI_OK, or prints and returns LCCLI_USAGE (credentials)
 * or LCCLI_FAIL. */
int lccli_connect(lccli *c);
void lccli_close(lccli *c);

/* One error line on stderr: "lockcloud: <what>: <core's rendering>". */
void lccli_error(const char *what, const lc_error *err);
/* "lockcloud: " + printf on stderr. */
void lccli_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The end of every --json output: doc, when built (nonzero: every member
 * was added), printed on stdout as one line; otherwise "lockcloud: <sub>:
 * out of memory", and the printer's message when it refuses the tree.
 * Frees doc (NULL is fine). Returns 0, or -1 when nothing was printed. */
struct cJSON;
int lccli_json_out(struct cJSON *doc, int built, const char *sub);

/* Walks the account's access persons (access_persons.list with query,
 * NULL-ended key/value pairs) and calls fn for each; fn's error stops the
 * walk. Between pages it leaves a share of the rate-limit window to
 * logins: when fewer than a quarter of the window's requests remain, it
 * sleeps until the window resets (at most 61 s). Prints the error; returns
 * LCCLI_OK or LCCLI_FAIL. */
typedef lc_status (*lccli_person_fn)(void *ctx, const cJSON *person, lc_error *err);
int lccli_each_person(lc_client *client, lc_query *query, lccli_person_fn fn, void *ctx);
/* The same over any collection endpoint (path args, query); errors are
 * printed as "lockcloud: <what>: ...". */
int lccli_each(lc_client *client, const char *endpoint, lc_query *args, lc_query *query,
               const char *what, lccli_person_fn fn, void *ctx);

/* lockcloud sync's places file (sync_places.c, pam/places_index.h): walks
 * the account into *doc, with counts in *summary (schedules, exceptions,
 * places, unplaced); prints errors. Then writes doc (read back first). */
int lccli_places_build(lc_client *client, long long built_at, cJSON **doc, cJSON **summary);
int lccli_places_write(const char *path, const cJSON *doc);

/* Subcommands: argc/argv start at the subcommand's name. */
int lccli_guests(int argc, char **argv);
int lccli_sync(int argc, char **argv);
int lccli_check(int argc, char **argv);
int lccli_sweep(int argc, char **argv);

#endif
