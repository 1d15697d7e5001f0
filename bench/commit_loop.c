/*
 * The disk's limit for durable writes, as SQLite sees it: one small INSERT per transaction in
 * a tight loop (WAL, synchronous=FULL, the settings passpro uses), for SECONDS seconds.
 * Prints the commits per second. Built by bench/rush.sh (not part of passpro itself).
 *
 *   commit_loop FILE SECONDS
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: commit_loop FILE SECONDS\n");
        return 2;
    }
    sqlite3 *h;
    sqlite3_stmt *ins;
    if (sqlite3_open(argv[1], &h) != SQLITE_OK ||
        sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                        " CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v INTEGER)",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(h, "INSERT INTO t (v) VALUES (?)", -1, &ins, NULL) != SQLITE_OK) {
        fprintf(stderr, "commit_loop: %s\n", sqlite3_errmsg(h));
        return 1;
    }
    double limit = atof(argv[2]), start = now_s(), t = start;
    long n = 0;
    while (t - start < limit) {
        sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        sqlite3_bind_int64(ins, 1, n);
        sqlite3_step(ins);
        sqlite3_reset(ins);
        if (sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            fprintf(stderr, "commit_loop: %s\n", sqlite3_errmsg(h));
            return 1;
        }
        n++;
        if (n % 64 == 0)
            t = now_s();
    }
    t = now_s();
    printf("   %ld commits in %.2f s: %.0f commits/s\n", n, t - start, (double)n / (t - start));
    sqlite3_finalize(ins);
    sqlite3_close(h);
    return 0;
}
