/* The identity index: which access person a Linux user is, through a
 * pattern on one of the person's attributes (`identity = email:%u@example.org`
 * in lockcloud.conf), resolved from a local file that only `lockcloud sync`
 * writes. A login never pages the account: it reads the header and about
 * log2(count) fixed-size records, so a lookup costs the same at 100 and at
 * 10,000 persons, and it checks what it reads rather than the whole file.
 *
 * Curl-free (no libcurl, no cJSON): linked into the module's cached path
 * and into the `lockcloud` command.
 *
 * Precedence: the map file (map.c) is asked first; the index only for a
 * user the map does not list. An admin can thus pin or override any user.
 *
 * Configuration (all optional; identity and index_file go together):
 *   identity      = ATTR:PATTERN   ATTR: email, name or phone (documented
 *                  access person attributes); PATTERN holds exactly one %u
 *                  and no other '%', 1..LCPAM_IDENTITY_PATTERN_MAX bytes of
 *                  UTF-8 without control characters. email is compared
 *                  ASCII-case-insensitively (pattern and value are folded to
 *                  lower case, so the user part is lower case: a Linux user
 *                  name holding an upper-case letter never matches); name
 *                  and phone exactly.
 *   index_file    = absolute path of the index
 *   index_max_age = seconds, 60..31536000, default 172800 (two days): an
 *                  older index is stale. A stale index is still used and the
 *                  module logs a warning: it only says who a user is, never
 *                  whether they may enter (every mapped login still passes
 *                  the rules against the person's own record), so refusing it
 *                  would turn a stopped sync timer into a lockout of every
 *                  guest. The CLI reports it.
 *
 * The value the %u stands for must be a Linux user name as the map accepts
 * one ([A-Za-z0-9._@-], 1..64, not starting with '-'); a person whose
 * attribute does not fit the pattern is skipped. Two persons fitting to the
 * same user make that user ambiguous: it is kept in the index, marked, and
 * a login of it is denied (never mapped to either).
 *
 * File format 1 (little-endian), root's (or the effective uid's), 0600, in
 * a directory that belongs to root or us and has no group or other
 * permission bit, every directory above it checked as the token
 * directory's (core/src/dir_chain.c); written to a temp file beside it,
 * fsync'd and renamed over it, then the directory fsync'd:
 *   header (LCPAM_INDEX_HEADER_SIZE bytes)
 *     0  magic "LCIDENT\n"          8  u32 version (1)
 *    12  u32 header size (320)     16  u32 record size (132)
 *    20  u32 count                 24  u64 built_at (unix seconds)
 *    32  u32 spec length           36  u32 flags (0)   40..63 zero
 *    64  spec: the canonical identity value the index was built for,
 *        NUL-padded to 256 bytes
 *   count records sorted by user, strictly increasing (bytewise):
 *     0  u8 user length (1..64)     1  u8 id length (0 when ambiguous)
 *     2  u8 flags (1: ambiguous)    3  u8 zero
 *     4  user, zero-padded to 64    68  id, zero-padded to 64
 * The file size must be exactly header + count * record. Every record a
 * lookup reads is checked (lengths, padding, characters, flags, order
 * against the bounds of the search so far); an index built for another
 * identity than the configured one is an error (run lockcloud sync). */
#ifndef LCPAM_IDENTITY_INDEX_H
#define LCPAM_IDENTITY_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <lockcloud/policy.h>

#include "map.h"

#define LCPAM_IDENTITY_PATTERN_MAX 200
#define LCPAM_IDENTITY_SPEC_MAX 256   /* "phone:" + pattern, with room     */
#define LCPAM_INDEX_VERSION 1
#define LCPAM_INDEX_HEADER_SIZE (64 + LCPAM_IDENTITY_SPEC_MAX)
#define LCPAM_INDEX_RECORD_SIZE (4 + LCPAM_USER_MAX + LC_ACCESS_ID_MAX)
/* More persons than the API lists for one query (10,000) times ten. */
#define LCPAM_INDEX_MAX_COUNT 100000u
#define LCPAM_INDEX_MAX_AGE_DEFAULT 172800L
#define LCPAM_INDEX_MAX_AGE_MIN 60L
#define LCPAM_INDEX_MAX_AGE_MAX 31536000L
/* An index built more than this after now is stale too (clock went back). */
#define LCPAM_INDEX_SKEW_S 300L
enum { LCPAM_INDEX_AMBIGUOUS_FLAG = 1 };

typedef enum lcpam_identity_attr {
    LCPAM_ATTR_NONE = 0,
    LCPAM_ATTR_EMAIL,  /* compared ASCII-case-insensitively */
    LCPAM_ATTR_NAME,
    LCPAM_ATTR_PHONE
} lcpam_identity_attr;

typedef struct lcpam_identity_conf {
    lcpam_identity_attr attr;  /* NONE: no identity key given            */
    char *spec;                /* canonical "attr:pattern" (email folded) */
    size_t prefix_len;         /* pattern bytes before %u                 */
    size_t suffix_len;         /* pattern bytes after %u                  */
    char *index_file;          /* malloc'd; NULL without identity         */
    long max_age_s;            /* index_max_age                           */
    unsigned seen;             /* keys given, for the duplicate check     */
} lcpam_identity_conf;

void lcpam_identity_conf_defaults(lcpam_identity_conf *ic);
/* One "key = value" of lockcloud.conf: 1 when key is not an identity key
 * (the caller goes on), 0 when set, -1 with err for a bad value or a key
 * given twice (messages name the key, never the value). */
int lcpam_identity_conf_set(lcpam_identity_conf *ic, const char *key, const char *value,
                            char *err, size_t errlen);
/* After the last line: identity and index_file both or neither. */
int lcpam_identity_conf_check(const lcpam_identity_conf *ic, char *err, size_t errlen);
void lcpam_identity_conf_free(lcpam_identity_conf *ic);

/* "email", "name", "phone"; NULL for NONE. The attribute's key in an
 * access person's "attributes" object. */
const char *lcpam_identity_attr_name(lcpam_identity_attr attr);

/* The Linux user a person's attribute value stands for: 1 with user
 * (NUL-terminated) when value fits the pattern and the part %u covers is a
 * valid user name (email: lower-cased), else 0. */
int lcpam_identity_user_of(const lcpam_identity_conf *ic, const char *value,
                           char user[LCPAM_USER_MAX + 1]);

/* ---- building (lockcloud sync) ----------------------------------------- */

typedef struct lcpam_index_pair {
    char user[LCPAM_USER_MAX + 1];
    char id[LC_ACCESS_ID_MAX + 1];   /* normalised (lc_access_id_normalize) */
} lcpam_index_pair;

typedef struct lcpam_index_builder {
    lcpam_index_pair *pairs;
    size_t count, cap;
    int sorted;
} lcpam_index_builder;

void lcpam_index_builder_init(lcpam_index_builder *b);
/* Adds (user, person id). LC_ERR_USAGE for a user the map would refuse or
 * an id lc_access_id_normalize refuses (the caller counts it as skipped),
 * LC_ERR_NOMEM, LC_ERR_TOO_MANY past LCPAM_INDEX_MAX_COUNT. */
lc_status lcpam_index_builder_add(lcpam_index_builder *b, const char *user, const char *id,
                                  lc_error *err);
/* Sorts by (user, id) and drops repeated identical pairs (a person listed
 * twice while the collection moved under the pager). Afterwards the pairs
 * of one user are adjacent: more than one means ambiguous. */
void lcpam_index_builder_finish(lcpam_index_builder *b);
/* Users in the finished builder, and how many of them are ambiguous. */
void lcpam_index_builder_counts(const lcpam_index_builder *b, size_t *users, size_t *ambiguous);
void lcpam_index_builder_free(lcpam_index_builder *b);

/* The finished builder as index bytes (malloc'd, *len); LC_ERR_NOMEM or
 * LC_ERR_USAGE (spec too long, builder not finished). */
lc_status lcpam_index_encode(const lcpam_index_builder *b, const char *spec, long long built_at,
                             unsigned char **out, size_t *len, lc_error *err);

/* Checks the directory of path (as the lookup does), then writes the
 * encoded index atomically (temp file 0600 beside it, fsync, rename,
 * directory fsync). LC_ERR_IO naming the path. */
lc_status lcpam_index_write(const char *path, const unsigned char *data, size_t len,
                            lc_error *err);

/* ---- reading (every login that the map does not settle) ---------------- */

typedef enum lcpam_index_result {
    LCPAM_INDEX_ERROR = -1,   /* err says why; the module: PAM_SERVICE_ERR  */
    LCPAM_INDEX_UNMAPPED = 0, /* no such user in the index                 */
    LCPAM_INDEX_FOUND = 1,    /* id filled                                 */
    LCPAM_INDEX_AMBIGUOUS = 2 /* several persons fit this user: deny       */
} lcpam_index_result;

typedef struct lcpam_index_info {
    long long built_at;
    uint32_t count;
    int stale;                /* built_at + max_age <= now, or built_at
                                 > now + LCPAM_INDEX_SKEW_S               */
} lcpam_index_info;

/* Where the index bytes come from: a checked descriptor, or memory. */
typedef struct lcpam_index_src {
    int fd;                       /* -1: read mem                         */
    const unsigned char *mem;
    uint64_t size;
} lcpam_index_src;

/* The lookup over a source of size bytes: header checked (magic, version,
 * sizes, count, spec equal to spec), then a binary search for user with
 * every record read checked. user NULL: header only (UNMAPPED). user not a
 * valid user name: UNMAPPED. info may be NULL; max_age_s <= 0: never stale.
 * Errors: LC_ERR_PARSE (malformed), LC_ERR_USAGE (built for another
 * identity: run lockcloud sync), LC_ERR_IO (read). */
lcpam_index_result lcpam_index_search(const lcpam_index_src *src, const char *spec,
                                      const char *user, long max_age_s, time_t now,
                                      char id[LC_ACCESS_ID_MAX + 1], lcpam_index_info *info,
                                      lc_error *err);

/* Opens ic->index_file under the file rules above (not a symbolic link, a
 * regular file owned by root or us, 0600, its directory checked) and runs
 * lcpam_index_search with ic's spec and max age. A missing index is
 * LC_ERR_IO ("run lockcloud sync"). */
lcpam_index_result lcpam_index_lookup(const lcpam_identity_conf *ic, const char *user,
                                      time_t now, char id[LC_ACCESS_ID_MAX + 1],
                                      lcpam_index_info *info, lc_error *err);

/* ---- who a Linux user is: the map, then the index ----------------------- */

typedef enum lcpam_who {
    LCPAM_WHO_ERROR = -1,     /* err says which file and why: a config error */
    LCPAM_WHO_UNMAPPED = 0,   /* in neither (the module's unmapped result)   */
    LCPAM_WHO_MAPPED = 1,     /* the map file names the person               */
    LCPAM_WHO_INDEXED = 2,    /* the identity index names the person         */
    LCPAM_WHO_AMBIGUOUS = 3   /* the index marks the user ambiguous: deny    */
} lcpam_who;

/* The one place that says which source wins: map_file first (validated
 * whole, as map.c does: a broken map is an error even when the index would
 * know the user), and the index (when ic configures one) only for a user
 * the map does not list. id gets the person id (normalised); info, when
 * not NULL, the index's header when it was read (count 0 otherwise), so
 * the caller can log a stale index. */
lcpam_who lcpam_identity_resolve(const char *map_file, const lcpam_identity_conf *ic,
                                 const char *user, time_t now, char id[LC_ACCESS_ID_MAX + 1],
                                 lcpam_index_info *info, lc_error *err);

/* Every record checked and in order (the CLI and the fuzzer; never on a
 * login). LC_OK or LC_ERR_PARSE / LC_ERR_USAGE as lcpam_index_search. */
lc_status lcpam_index_verify(const lcpam_index_src *src, const char *spec, lc_error *err);

#endif
