/* Pager internals shared with the unit tests. */
#ifndef LC_PAGER_H
#define LC_PAGER_H

/* The API serves at most this many resources of a collection:
 * page * per_page must not exceed it. */
#define LC_MAX_RESOURCES 10000

/* Nonzero when page may be requested with per_page (<= 0: unknown, the
 * server's default, always allowed; the server enforces its own cap). */
int lc_page_within_cap(long page, long per_page);

#endif
