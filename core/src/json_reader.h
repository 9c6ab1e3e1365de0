/* The one strict JSON reader for untrusted bytes, as a stream of events.
 *
 * One pass over the bytes checks everything json_parse.h promises (RFC
 * 8259 grammar, well-formed UTF-8, no NUL raw or escaped, no key twice in
 * one object after unescaping, finite numbers, depth and value budget, one
 * document and nothing after it) and hands each value to a sink as it is
 * read. Sinks build what their caller needs: json_parse.c a cJSON tree,
 * the Lua module tables, with no tree in between. A sink may have built
 * part of a document when a later byte is refused: it frees that part
 * when lc_json_read fails. */
#ifndef LC_JSON_READER_H
#define LC_JSON_READER_H

#include <stddef.h>
#include "buf.h"
#include "lockcloud/lockcloud.h"

#define LC_JSON_MAX_DEPTH 128

typedef struct lc_json_limits {
    size_t max_bytes;     /* longer input is refused before reading       */
    size_t max_values;    /* scalars + arrays + objects in the document   */
    int max_depth;        /* nesting of arrays and objects                */
} lc_json_limits;

/* Limits scaled to an input cap: the value budget grows with max_bytes.
 * max_bytes 0 means the library default (16 MiB). */
lc_json_limits lc_json_limits_for(size_t max_bytes);

/* What a sink is told, in document order. Strings and keys come unescaped,
 * as (bytes, length): valid UTF-8 with no NUL, valid until the callback
 * returns. An object member is a key followed by its value. Each callback
 * returns 0, or nonzero to stop reading (the sink could not keep the
 * value: out of memory). */
typedef struct lc_json_sink {
    int (*begin)(void *ud, int is_array);
    int (*end)(void *ud, int is_array);
    int (*key)(void *ud, const char *s, size_t n);
    int (*string)(void *ud, const char *s, size_t n);
    int (*number)(void *ud, double d);
    int (*boolean)(void *ud, int value);
    int (*null)(void *ud);
} lc_json_sink;

/* The reader's scratch (unescaped text, the keys of open objects). The
 * caller owns it, so that a sink that leaves by longjmp (a Lua error)
 * loses nothing: lc_json_reader_free releases it in every case. */
typedef struct lc_json_reader {
    lc_buf text;          /* the string value being read, unescaped       */
    lc_buf keytext;       /* the escaped keys of open objects, unescaped  */
    struct lc_json_key *keys; /* the keys of open objects                 */
    size_t nkeys, keys_cap;
} lc_json_reader;

void lc_json_reader_init(lc_json_reader *rd);
void lc_json_reader_free(lc_json_reader *rd);

/* Reads text[0..len) into sink. lim NULL = lc_json_limits_for(0); what
 * names the document in messages ("the answer to GET /devices"). Errors:
 * LC_ERR_PARSE (flagged LC_ERRF_AMBIGUOUS for duplicate keys, NUL and bad
 * UTF-8), LC_ERR_NOMEM when the reader or a sink ran out of memory. */
lc_status lc_json_read(lc_json_reader *rd, const char *text, size_t len,
                       const lc_json_limits *lim, const char *what,
                       const lc_json_sink *sink, void *ud, lc_error *err);

/* 1 when s[0..len) is well-formed UTF-8 (RFC 3629: no overlong form, no
 * surrogate, nothing above U+10FFFF, no cut sequence); else 0 and *bad
 * (if not NULL) is the offset of the first byte that is not. */
int lc_utf8_valid(const char *s, size_t len, size_t *bad);

#endif
