/* The one reader of files that hold secrets or that decide trust: the PAM
 * module's configuration, credentials and user map, the token file, the CA
 * bundle. The file is opened once and every check runs on that descriptor,
 * so the file checked is the file read (no race with a rename). */
#ifndef LC_SAFE_FILE_H
#define LC_SAFE_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "lockcloud/lockcloud.h"

/* lc_file_rules.flags. By default: the final component must not be a
 * symbolic link (O_NOFOLLOW); a regular file (a FIFO never blocks the
 * open: it is refused); owned by root or the effective uid; not group or
 * world writable; no NUL byte; a missing file is an error. */
enum {
    LC_FILE_ABSOLUTE   = 1u << 0, /* a relative path is refused              */
    LC_FILE_SECRET     = 1u << 1, /* no group/other permission bits (0600)   */
    LC_FILE_OWNER_SELF = 1u << 2, /* owned by the effective uid; root's file
                                     is refused too (the token file)         */
    LC_FILE_ANY_OWNER  = 1u << 3, /* no owner or writable rule (a library
                                     client's own CA bundle: its trust is the
                                     caller's); LC_FILE_SECRET still holds   */
    LC_FILE_FOLLOW     = 1u << 4, /* a symbolic link is followed (system CA
                                     bundles are links); the target is checked */
    LC_FILE_MISSING_OK = 1u << 5, /* a missing file is LC_OK, data NULL      */
    LC_FILE_BINARY     = 1u << 6  /* NUL bytes are allowed                   */
};

typedef struct lc_file_rules {
    const char *label;    /* names the file in messages: "token file" gives
                             "token file /p: ...", NULL gives "/p: ..."       */
    size_t max;           /* size cap in bytes                               */
    unsigned flags;       /* LC_FILE_*                                       */
    lc_status too_large;  /* kind of the over-the-cap error; 0: LC_ERR_IO    */
} lc_file_rules;

typedef struct lc_file {
    char *data;           /* NUL-terminated (not counted in len); NULL when
                             missing under LC_FILE_MISSING_OK               */
    size_t len;
    dev_t dev;            /* identity of the file read, for callers that   */
    ino_t ino;            /* check its path again (cafile: the dir chain)   */
} lc_file;

/* Reads the whole file at path under rules into *out (emptied first).
 * Errors, each message naming the file: LC_ERR_IO for every refusal
 * (symbolic link, not regular, owner, mode, NUL byte, cannot open/read)
 * but the size cap (rules->too_large), LC_ERR_USAGE for a relative path
 * under LC_FILE_ABSOLUTE, LC_ERR_NOMEM. The buffer is sized from fstat, not
 * from the cap, so a large cap costs nothing for a small file; a file that
 * grows while being read is still refused past the cap. */
lc_status lc_file_read(const char *path, const lc_file_rules *rules, lc_file *out,
                       lc_error *err);

/* Wipes and frees what lc_file_read returned (it may be a secret); the
 * struct is emptied. */
void lc_file_free(lc_file *f);

/* For files that are not read whole (the token lock file): opens path with
 * O_RDONLY or the given extra open flags (O_RDWR | O_CREAT creates it 0600)
 * and checks the descriptor under rules (the size cap is not checked).
 * Returns the descriptor, or -1 with *st set (LC_OK when the file is
 * missing and LC_FILE_MISSING_OK allows it). */
int lc_file_open(const char *path, int oflags, const lc_file_rules *rules, lc_status *st,
                 lc_error *err);

#endif
