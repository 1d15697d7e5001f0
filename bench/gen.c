/*
 * Writes benchmark data straight into a migrated passpro SQLite database (the demo's), in one
 * transaction, with prepared statements: seconds for what the HTTP API would take minutes.
 *
 *   gen DB BENEFICIARIES OFFERS DIR
 *
 * BENEFICIARIES young people with a session and 300 € of credit; 2 x OFFERS museum cards of
 * 1 € with plenty of places ("Carte bench one/two N"); a timed slot of 100 places. Then the
 * request lists that bench/load reads ("METHOD PATH COOKIE BODY"):
 *   DIR/rush_one, DIR/rush_two  every beneficiary books every offer of the round once, shuffled
 *   DIR/hot, DIR/hot_stock      every beneficiary tries the 100-place slot once
 * Built by the bench scripts with -lsqlite3 -lsodium (not part of passpro itself).
 */
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static sqlite3 *db;

static void die(const char *what)
{
    fprintf(stderr, "gen: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static sqlite3_stmt *prep(const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        die(sql);
    return st;
}

static void run(sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE)
        die(sqlite3_sql(st));
    sqlite3_reset(st);
}

static int64_t query_int(const char *sql)
{
    sqlite3_stmt *st = prep(sql);
    if (sqlite3_step(st) != SQLITE_ROW)
        die(sql);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* A session token (64 hex digits) and the BLAKE2b-256 hex of it that the session table keeps. */
static void session_token(int64_t account, char token[65], char hash[65])
{
    unsigned char raw[32], h[32];
    char seed[32];
    snprintf(seed, sizeof seed, "bench%lld", (long long)account);
    crypto_generichash(raw, sizeof raw, (const unsigned char *)seed, strlen(seed), NULL, 0);
    sodium_bin2hex(token, 65, raw, sizeof raw);
    crypto_generichash(h, sizeof h, (const unsigned char *)token, 64, NULL, 0);
    sodium_bin2hex(hash, 65, h, sizeof h);
}

struct line {
    char text[200];
};

/* Writes @n lines to DIR/@name in random order. */
static void write_shuffled(const char *dir, const char *name, struct line *lines, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = randombytes_uniform((uint32_t)i);
        struct line t = lines[i - 1];
        lines[i - 1] = lines[j];
        lines[j] = t;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s\n", lines[i].text);
    fclose(f);
}

int main(int argc, char **argv)
{
    if (argc != 5 || sodium_init() < 0) {
        fprintf(stderr, "usage: gen DB BENEFICIARIES OFFERS DIR\n");
        return 2;
    }
    int bens = atoi(argv[2]), offers = atoi(argv[3]);
    const char *dir = argv[4];
    if (sqlite3_open(argv[1], &db) != SQLITE_OK)
        die("open");
    sqlite3_busy_timeout(db, 10000);
    int64_t now = time(NULL);
    int64_t venue = query_int("SELECT v.id FROM venue v JOIN user_offerer uo"
                              " ON uo.offerer_id = v.offerer_id JOIN account a"
                              " ON a.id = uo.account_id"
                              " WHERE a.email = 'julien.moreau@musee-saint-aubin.test'"
                              " ORDER BY v.id LIMIT 1");
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *acc = prep("INSERT INTO account (email, password_hash, first_name, last_name,"
                             " role, created_at) VALUES (?, 'x', 'Jeune', ?, 'BENEFICIARY', ?)");
    sqlite3_stmt *ben = prep("INSERT INTO beneficiary (account_id, birth_date, postal_code,"
                             " social_bonus, registered_at) VALUES (?, '2008-01-01', '75011', 0, ?)");
    sqlite3_stmt *wal = prep("INSERT INTO wallet (account_id, amount_cents, expires_at)"
                             " VALUES (?, 30000, ?)");
    sqlite3_stmt *ses = prep("INSERT INTO session (token_hash, account_id, csrf_token, created_at,"
                             " expires_at) VALUES (?, ?, 'bench', ?, ?)");
    char (*tokens)[65] = calloc((size_t)bens, 65);
    for (int i = 0; i < bens; i++) {
        char email[64], name[32], hash[65];
        snprintf(email, sizeof email, "bench%d@example.test", i + 1);
        snprintf(name, sizeof name, "Bench%d", i + 1);
        sqlite3_bind_text(acc, 1, email, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(acc, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(acc, 3, now);
        run(acc);
        int64_t id = sqlite3_last_insert_rowid(db);
        sqlite3_bind_int64(ben, 1, id);
        sqlite3_bind_int64(ben, 2, now);
        run(ben);
        sqlite3_bind_int64(wal, 1, id);
        sqlite3_bind_int64(wal, 2, now + 2 * 365 * 86400);
        run(wal);
        session_token(id, tokens[i], hash);
        sqlite3_bind_text(ses, 1, hash, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(ses, 2, id);
        sqlite3_bind_int64(ses, 3, now);
        sqlite3_bind_int64(ses, 4, now + 86400);
        run(ses);
    }
    sqlite3_stmt *off = prep("INSERT INTO offer (venue_id, name, subcategory_id, audio_disability,"
                             " mental_disability, motor_disability, visual_disability, validation,"
                             " is_active, created_at, published_at)"
                             " VALUES (?, ?, ?, 0, 0, 0, 0, 'APPROVED', 1, ?, ?)");
    sqlite3_stmt *sto = prep("INSERT INTO stock (offer_id, price_cents, quantity, beginning_at,"
                             " booking_limit_at, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    int nstocks = 2 * offers + 1;
    int64_t *stocks = calloc((size_t)nstocks, sizeof *stocks);
    for (int i = 0; i < nstocks; i++) {
        int slot = i == 2 * offers;
        char name[64];
        if (slot)
            snprintf(name, sizeof name, "Visite bench créneau");
        else
            snprintf(name, sizeof name, "Carte bench %s %d", i < offers ? "one" : "two", i + 1);
        sqlite3_bind_int64(off, 1, venue);
        sqlite3_bind_text(off, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(off, 3, slot ? "VISITE_GUIDEE" : "CARTE_MUSEE", -1, SQLITE_STATIC);
        sqlite3_bind_int64(off, 4, now);
        sqlite3_bind_int64(off, 5, now);
        run(off);
        sqlite3_bind_int64(sto, 1, sqlite3_last_insert_rowid(db));
        sqlite3_bind_int64(sto, 2, slot ? 500 : 100);
        sqlite3_bind_int64(sto, 3, slot ? 100 : 1000000);
        if (slot) {
            sqlite3_bind_int64(sto, 4, now + 10 * 86400);
            sqlite3_bind_int64(sto, 5, now + 9 * 86400);
        } else {
            sqlite3_bind_null(sto, 4);
            sqlite3_bind_null(sto, 5);
        }
        sqlite3_bind_int64(sto, 6, now);
        run(sto);
        stocks[i] = sqlite3_last_insert_rowid(db);
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        die("commit");

    size_t n = (size_t)bens * (size_t)offers;
    struct line *lines = calloc(n > (size_t)bens ? n : (size_t)bens, sizeof *lines);
    for (int round = 0; round < 2; round++) {
        for (int o = 0; o < offers; o++)
            for (int b = 0; b < bens; b++)
                snprintf(lines[(size_t)o * bens + b].text, sizeof lines->text,
                         "POST /api/v1/bookings %s {\"stockId\":%lld,\"quantity\":1}", tokens[b],
                         (long long)stocks[round * offers + o]);
        write_shuffled(dir, round == 0 ? "rush_one" : "rush_two", lines, n);
    }
    for (int b = 0; b < bens; b++)
        snprintf(lines[b].text, sizeof lines->text,
                 "POST /api/v1/bookings %s {\"stockId\":%lld,\"quantity\":1}", tokens[b],
                 (long long)stocks[2 * offers]);
    write_shuffled(dir, "hot", lines, (size_t)bens);
    char path[4096];
    snprintf(path, sizeof path, "%s/hot_stock", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "%lld\n", (long long)stocks[2 * offers]);
    fclose(f);
    sqlite3_close(db);
    return 0;
}
