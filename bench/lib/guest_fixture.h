/* Simulator fixtures of many guests, for the benches that page through
 * them (iter_memory, sim_page). */
#ifndef LC_BENCH_GUEST_FIXTURE_H
#define LC_BENCH_GUEST_FIXTURE_H

/* Which stays the guests get, at the fixture clock 2026-03-10T12:00:00Z. */
enum bench_stays {
    BENCH_STAYS_CURRENT, /* every guest current                            */
    BENCH_STAYS_MIXED,   /* expired, current, upcoming in turn              */
    BENCH_STAYS_NOW      /* every guest current at the real time: no fixture
                            clock (the simulator runs at the host's), stays
                            from yesterday to 30 days on, so a client that
                            reads the host clock (the PAM module's decision
                            cache) sees them current too                   */
};

/* Writes to path a fixture of n guests (each granted one of the default
 * fixture's two locations, in turn) with the default fixture's OAuth
 * client, clock, time zone and locations, read from top's
 * sim/fixtures/default.json. Returns how many guests the default status
 * filter lists (current and upcoming), -1 on error. */
long bench_write_guest_fixture(const char *top, const char *path, long n, enum bench_stays stays);

#endif
