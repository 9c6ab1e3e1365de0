/* Reading and line-oriented parsing shared by the config, credentials and
 * map files. */
#ifndef LCPAM_LINES_H
#define LCPAM_LINES_H

#include <stddef.h>

/* The core's safe reader (internal to liblockcloud, linked statically). */
#include "../core/src/options.h"
#include "../core/src/safe_file.h"

#define LCPAM_LINE_MAX 1024
/* Default cap: no config or secret file is larger. The user map passes its
 * own, larger cap (LCPAM_MAP_FILE_MAX). */
#define LCPAM_FILE_MAX (64 * 1024)
#define LCPAM_ERR_MAX 256

/* Reads a module file through lc_file_read with the module's rules: an
 * absolute path, not a symbolic link, a regular file owned by root or the
 * effective uid, not group/world writable, no NUL byte, at most max bytes;
 * flags adds LC_FILE_SECRET for the credentials (0600). Returns 0 with *f
 * (free with lc_file_free), or -1 with the reader's message (naming the
 * path) in err. */
int lcpam_file_load(const char *path, unsigned flags, size_t max, lc_file *f,
                    char *err, size_t errlen);

/* A blank for every parser of the module's files: space, tab, and the
 * '\r' ending a CRLF line (the only place a line may hold one). */
int lcpam_is_blank(char c);

/* s without its leading and trailing blanks, cut in place. */
char *lcpam_trim(char *s);

/* Requirement terms as the decision cache keys them, so that a rules
 * line and the rule key agree: each run of blanks one space, none at
 * either end ("a\tb  c" is "a b c"), cut to dstlen - 1 bytes (dstlen > 0).
 * Returns the length. */
size_t lcpam_terms_canonical(char *dst, size_t dstlen, const char *s);

/* The checks of lcpam_lines_next on p[0..len), line lineno, without
 * writing to it: length, control characters (tab and a final '\r'
 * excepted). Then *s..*e is the line without surrounding blanks, empty
 * for a blank or comment line. Returns 0, or -1 with "line N: ..." in err. */
int lcpam_line_span(const char *p, size_t len, unsigned lineno, const char **s, const char **e,
                    char *err, size_t errlen);

typedef struct lcpam_lines {
    char *pos;        /* rest of the buffer, modified in place */
    unsigned lineno;  /* number of the line last returned      */
} lcpam_lines;

void lcpam_lines_init(lcpam_lines *it, char *buf);

/* Next line that is neither blank nor a comment ('#' as first non-blank
 * character), with surrounding blanks removed. Returns 1 and sets *line,
 * 0 at the end, -1 with err for a line longer than LCPAM_LINE_MAX or one
 * holding control characters (tab excepted). */
int lcpam_lines_next(lcpam_lines *it, char **line, char *err, size_t errlen);

/* Calls fn(ctx, line, ...) for each line lcpam_lines_next gives; the first
 * message (fn's or the reader's) comes back as "line N: ...". Returns 0,
 * or -1 with err. */
typedef int (*lcpam_line_fn)(void *ctx, char *line, char *err, size_t errlen);
int lcpam_lines_each(char *text, lcpam_line_fn fn, void *ctx, char *err, size_t errlen);

/* lcpam_file_load(path, flags, max), then parse(ctx, text, len, ...) on the
 * text; a parse error comes back as "<path>: <message>". The text is wiped
 * and freed either way. Returns parse's result (negative: error in err). */
typedef int (*lcpam_text_fn)(void *ctx, char *text, size_t len, char *err, size_t errlen);
int lcpam_file_parse(const char *path, unsigned flags, size_t max, lcpam_text_fn parse,
                     void *ctx, char *err, size_t errlen);

/* Checks value as the core's option table checks row o (options.h; its
 * message names the option, never the value), then stores a copy in
 * *slot. Returns 0, or -1 with err (also when o is NULL: a key with no
 * row). */
int lcpam_option_copy(const lc_option *o, const char *value, char **slot, char *err,
                      size_t errlen);

/* Splits "key = value" at the first '=' (values may contain '='). key is
 * [a-z0-9_]+, value non-empty. Returns 0, or -1 with err (which quotes
 * neither, so secrets stay out of logs). */
int lcpam_kv_split(char *line, char **key, char **value, char *err, size_t errlen);

/* Which of names[0..n) (n <= 32) key is, marking it in *seen: its index;
 * LCPAM_KEY_OTHER when it is none of them (another table's key, or
 * unknown); LCPAM_KEY_DUPLICATE with "duplicate key 'K'" in err when *seen
 * had it already. The one duplicate check of every table of config keys. */
enum { LCPAM_KEY_OTHER = -1, LCPAM_KEY_DUPLICATE = -2 };
int lcpam_key_claim(const char *const *names, int n, const char *key, unsigned *seen,
                    char *err, size_t errlen);

#endif
