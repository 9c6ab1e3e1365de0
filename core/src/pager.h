/* Pager internals shared with the unit tests. The pager (pager.c) is
 * generic; how a vendor pages is its lc_paging (vendor.h). */
#ifndef LC_PAGER_H
#define LC_PAGER_H

/* RemoteLock serves at most this many resources of a collection:
 * page * per_page must not exceed it. */
#define LC_MAX_RESOURCES 10000

/* RemoteLock's paging (vendor_remotelock.c): nonzero when page may be
 * requested with per_page (the pager always sets it; <= 0 never may). */
int lc_page_within_cap(long page, long per_page);

#endif
