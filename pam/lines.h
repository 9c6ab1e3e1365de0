/* Line-oriented parsing shared by the config, credentials and map files. */
#ifndef LCPAM_LINES_H
#define LCPAM_LINES_H

#include <stddef.h>

#define LCPAM_LINE_MAX 1024

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

/* Splits "key = value" at the first '=' (values may contain '='). key is
 * [a-z0-9_]+, value non-empty. Returns 0, or -1 with err (which quotes
 * neither, so secrets stay out of logs). */
int lcpam_kv_split(char *line, char **key, char **value, char *err, size_t errlen);

#endif
