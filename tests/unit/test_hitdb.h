/* test_hitdb.h -- what the hit database's two test files share: opening,
 * a run on a fake trace, a standard hit, one-integer queries. Each helper
 * fails the test on an error. */
#ifndef SAKER_TEST_HITDB_H
#define SAKER_TEST_HITDB_H

#include <sqlite3.h>
#include <stdint.h>

#include "../../analyzer/hitdb.h"

struct hitdb *thd_open(const char *path, int flags);
/* Begins a run on one fake trace (index 0); 0 = hitdb's default. */
int64_t thd_begin(struct hitdb *db, unsigned batch_hits, unsigned batch_ms);
/* Hit number i: evnum i + 1, time 1.7e18 + i us, two rules, priority i % 8. */
void thd_hit(struct hitdb_hit *h, uint64_t i);
void thd_add(struct hitdb *db, const struct hitdb_hit *h);
/* The first column of the first row (-1 for NULL). */
int64_t thd_int(sqlite3 *s, const char *sql);

#endif
