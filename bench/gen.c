/*
 * Writes benchmark data straight into a migrated passpro SQLite database, in one transaction,
 * with prepared statements and synchronous=OFF: seconds for what the HTTP API would take hours.
 * Built by the bench scripts with -lsqlite3 -lsodium (not part of passpro itself).
 *
 *   gen DB rush BENEFICIARIES OFFERS DIR       (the demo's database; bench/rush.sh)
 *     BENEFICIARIES young people with a session and 300 € of credit; 2 x OFFERS museum cards
 *     of 1 € with plenty of places ("Carte bench one/two N"); a timed slot of 100 places.
 *     Then the request lists that bench/load reads ("METHOD PATH COOKIE BODY"):
 *     DIR/rush_one, DIR/rush_two  every beneficiary books every offer of the round once
 *     DIR/hot, DIR/hot_stock      every beneficiary tries the 100-place slot once
 *
 *   gen DB volume OFFERS BENEFICIARIES BOOKINGS  (the demo's database; bench/export.sh)
 *     A museum's history over the last 180 days, at the demo museum's venues (the venues of
 *     julien.moreau's structure whose type is MUSEUM): OFFERS offers (events with four weekly
 *     dates and their price categories, museum cards and catalogues), BENEFICIARIES young
 *     people of 18 with their 150 € wallet, BOOKINGS bookings as the server and its jobs
 *     would have left them; see volume() for the rules.
 *
 *   gen DB finance BOOKINGS                      (a migrated empty database; bench/finance.sh)
 *     One museum with its own SIRET and an accepted bank account, 5 museum cards of 20 €,
 *     BOOKINGS / 5 beneficiaries who each used every card once over 1-14 March 2026, and the
 *     ready finance events the Guichet leaves: what a reimbursement run prices and pays.
 */
#include <sodium.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAY 86400
#define HISTORY_DAYS 180
#define WALLET_CENTS 15000
#define DEMO_PRO "julien.moreau@musee-saint-aubin.test"
/* The countermark alphabet (src/core/booking_rules.h) and its 6-letter space, 30^6. */
#define ALPHABET "ABCDEFGHJKLMNPQRSTUVWXYZ234567"
#define TOKEN_SPACE 729000000LL

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

static void exec(const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        die(sql);
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

/* Binds the values of @v (INT64_MIN: NULL) to @st from parameter @first on. */
static void bind_ints(sqlite3_stmt *st, int first, const int64_t *v, int n)
{
    for (int i = 0; i < n; i++) {
        if (v[i] == INT64_MIN)
            sqlite3_bind_null(st, first + i);
        else
            sqlite3_bind_int64(st, first + i, v[i]);
    }
}

/* Binds @v from parameter 1 and runs @st. */
static void insert_ints(sqlite3_stmt *st, const int64_t *v, int n)
{
    bind_ints(st, 1, v, n);
    run(st);
}

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* GEN_PHASES=1: each phase's wall and CPU seconds on stderr (the machine may be shared). */
static void phase(const char *name)
{
    static struct timespec last;
    static double last_cpu;
    static bool started;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double cpu = cpu_seconds();
    if (!started) {
        started = true;
        last = t;
    }
    if (getenv("GEN_PHASES") != NULL)
        fprintf(stderr, "gen: %-13s %6.2f s wall, %6.2f s CPU\n", name,
                (double)(t.tv_sec - last.tv_sec) + (double)(t.tv_nsec - last.tv_nsec) / 1e9,
                cpu - last_cpu);
    last = t;
    last_cpu = cpu;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int arg_count(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end != '\0' || v < 0 || v > 100000000) {
        fprintf(stderr, "gen: not a count: %s\n", s);
        exit(2);
    }
    return (int)v;
}

/* For a fast load: the database's own durability is not what is measured here. */
static void begin_load(void)
{
    sqlite3_busy_timeout(db, 10000);
    exec("PRAGMA synchronous = OFF");
    /* Out of WAL for the load: pages written once, to the database, at commit (WAL writes
     * them to the log and the checkpoint copies them again); WAL again at the end. */
    exec("PRAGMA journal_mode = MEMORY");
    exec("PRAGMA locking_mode = EXCLUSIVE");
    exec("PRAGMA cache_size = -500000"); /* 500 MB: the indexes of a million bookings */
    exec("PRAGMA temp_store = MEMORY");
    exec("BEGIN");
}

/* The indexes of @table, dropped for the load and built again after it from their own SQL
 * (sorting a million keys once beats a million random inserts). Not the UNIQUE constraints'
 * automatic indexes, which have no SQL, nor those that the rows, written in the order of their
 * creation, fill at their end anyway (@keep, "a,b,c"). */
struct indexes {
    char *sql[32];
    int n;
};

static void drop_indexes(const char *table, const char *keep, struct indexes *ix)
{
    sqlite3_stmt *st = prep("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                            " AND tbl_name = ? AND sql IS NOT NULL"
                            " AND instr(',' || ? || ',', ',' || name || ',') = 0");
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, keep, -1, SQLITE_STATIC);
    char drops[32][128];
    ix->n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && ix->n < 32) {
        snprintf(drops[ix->n], sizeof drops[0], "DROP INDEX \"%s\"",
                 (const char *)sqlite3_column_text(st, 0));
        ix->sql[ix->n++] = strdup((const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    for (int i = 0; i < ix->n; i++)
        exec(drops[i]);
}

static void create_indexes(struct indexes *ix)
{
    for (int i = 0; i < ix->n; i++) {
        exec(ix->sql[i]);
        free(ix->sql[i]);
    }
    ix->n = 0;
}

static void end_load(void)
{
    exec("COMMIT");
    exec("PRAGMA locking_mode = NORMAL");
    exec("PRAGMA journal_mode = WAL");
}

/* ---------------------------------------------------------------------------------------- */
/* rush                                                                                      */

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

static int rush(int bens, int offers, const char *dir)
{
    int64_t now = time(NULL);
    int64_t venue = query_int("SELECT v.id FROM venue v JOIN user_offerer uo"
                              " ON uo.offerer_id = v.offerer_id JOIN account a"
                              " ON a.id = uo.account_id WHERE a.email = '" DEMO_PRO "'"
                              " ORDER BY v.id LIMIT 1");
    exec("BEGIN");
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
        sqlite3_bind_text(acc, 1, email, -1, SQLITE_STATIC);
        sqlite3_bind_text(acc, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(acc, 3, now);
        run(acc);
        int64_t id = sqlite3_last_insert_rowid(db);
        insert_ints(ben, (int64_t[]){id, now}, 2);
        insert_ints(wal, (int64_t[]){id, now + 2 * 365 * DAY}, 2);
        session_token(id, tokens[i], hash);
        sqlite3_bind_text(ses, 1, hash, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ses, 2, id);
        sqlite3_bind_int64(ses, 3, now);
        sqlite3_bind_int64(ses, 4, now + DAY);
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
        sqlite3_bind_text(off, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(off, 3, slot ? "VISITE_GUIDEE" : "CARTE_MUSEE", -1, SQLITE_STATIC);
        sqlite3_bind_int64(off, 4, now);
        sqlite3_bind_int64(off, 5, now);
        run(off);
        insert_ints(sto,
                    (int64_t[]){sqlite3_last_insert_rowid(db), slot ? 500 : 100,
                                slot ? 100 : 1000000, slot ? now + 10 * DAY : INT64_MIN,
                                slot ? now + 9 * DAY : INT64_MIN, now},
                    6);
        stocks[i] = sqlite3_last_insert_rowid(db);
    }
    exec("COMMIT");

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
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Shared by volume and finance                                                              */

/* splitmix64: a fixed seed, so that a run writes the same data as the last one. */
static uint64_t rng_state = 0x5eed2026;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n) (n > 0); the bias of the modulo is below 2^-40 for these sizes. */
static int64_t below(int64_t n)
{
    return n > 0 ? (int64_t)(rnd() % (uint64_t)n) : 0;
}

/* True with probability @percent %. */
static bool chance(int percent)
{
    return below(100) < percent;
}

/* Midnight (Europe/Paris) of a local date, as Unix seconds. */
static int64_t paris_midnight(int year, int month, int day)
{
    struct tm tm = {.tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day, .tm_isdst = -1};
    return (int64_t)mktime(&tm);
}

/* The finance cut-offs (src/domain/finance_run.c): 00:00 Paris on the 1st and the 16th, from
 * 2020 to 2039, computed once (mktime is slow enough to matter a million times). */
#define CUTOFF_YEARS 20
static int64_t cutoffs[CUTOFF_YEARS * 24];
static int64_t new_years[CUTOFF_YEARS + 1];

static void cutoffs_init(void)
{
    for (int y = 0; y < CUTOFF_YEARS; y++) {
        new_years[y] = paris_midnight(2020 + y, 1, 1);
        for (int m = 0; m < 12; m++) {
            cutoffs[y * 24 + 2 * m] = paris_midnight(2020 + y, m + 1, 1);
            cutoffs[y * 24 + 2 * m + 1] = paris_midnight(2020 + y, m + 1, 16);
        }
    }
    new_years[CUTOFF_YEARS] = paris_midnight(2020 + CUTOFF_YEARS, 1, 1);
}

/* The index of the first cut-off after @t. */
static int cutoff_after(int64_t t)
{
    int lo = 0, hi = CUTOFF_YEARS * 24 - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (cutoffs[mid] > t)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static int64_t next_cutoff(int64_t t)
{
    return cutoffs[cutoff_after(t)];
}

static int64_t last_cutoff(int64_t now)
{
    int i = cutoff_after(now);
    return cutoffs[i > 0 ? i - 1 : 0];
}

/* The calendar year (Paris) of @t. */
static int paris_year(int64_t t)
{
    int y = 0;
    while (y < CUTOFF_YEARS && new_years[y + 1] <= t)
        y++;
    return 2020 + y;
}

/* Token number -> the 6 letters. */
static void token_text(int64_t x, char out[7])
{
    for (int i = 5; i >= 0; i--) {
        out[i] = ALPHABET[x % 30];
        x /= 30;
    }
    out[6] = '\0';
}

static int64_t token_number(const char *t)
{
    int64_t x = 0;
    for (int i = 0; i < 6 && t[i]; i++) {
        const char *p = strchr(ALPHABET, t[i]);
        x = x * 30 + (p ? p - ALPHABET : 0);
    }
    return x;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Countermarks: an affine permutation of the 30^6 numbers (its factor is prime to 2, 3 and
 * 5), so every one differs, skipping those the database already holds. */
struct tokens {
    int64_t *taken;
    size_t ntaken;
    int64_t next;
};

static void tokens_init(struct tokens *t)
{
    t->ntaken = (size_t)query_int("SELECT COUNT(*) FROM booking");
    t->taken = calloc(t->ntaken + 1, sizeof *t->taken);
    sqlite3_stmt *st = prep("SELECT token FROM booking");
    size_t i = 0;
    while (sqlite3_step(st) == SQLITE_ROW && i < t->ntaken)
        t->taken[i++] = token_number((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    t->ntaken = i;
    qsort(t->taken, t->ntaken, sizeof *t->taken, cmp_i64);
    t->next = 0;
}

static void tokens_next(struct tokens *t, char out[7])
{
    int64_t x;
    do
        x = (t->next++ * 387420491LL + 1234567LL) % TOKEN_SPACE;
    while (bsearch(&x, t->taken, t->ntaken, sizeof x, cmp_i64) != NULL);
    token_text(x, out);
}

static const char *const first_names[] = {
    "Emma", "Louis", "Jade", "Gabriel", "Louise", "Raphaël", "Alice", "Arthur", "Lina", "Jules",
    "Mia", "Adam", "Chloé", "Lucas", "Léa", "Hugo", "Manon", "Nathan", "Inès", "Théo",
};
static const char *const last_names[] = {"Martin", "Bernard", "Dubois", "Thomas", "Robert",
                                         "Richard", "Petit", "Durand", "Leroy", "Moreau",
                                         "Simon", "Laurent", "Lefebvre", "Michel", "Garcia"};
static const char *const postal_codes[] = {"33000", "33100", "33200", "33400", "33600",
                                           "33700", "33800", "24000", "40000", "47000"};

/*
 * @n young people born in @birth_year, registered from @year0 over 100 days: an account, a
 * beneficiary row and a wallet of the 18-year-old grant (150 €, until 21), of which
 * @spent[i] (may be NULL) is used by live bookings. Account ids from @first_id on.
 */
static void insert_beneficiaries(int64_t first_id, int n, const int32_t *spent, int64_t year0,
                                 int birth_year)
{
    sqlite3_stmt *acc = prep("INSERT INTO account (id, email, password_hash, first_name,"
                             " last_name, phone, role, created_at)"
                             " VALUES (?, ?, 'x', ?, ?, ?, 'BENEFICIARY', ?)");
    sqlite3_stmt *ben = prep("INSERT INTO beneficiary (account_id, birth_date, postal_code,"
                             " social_bonus, registered_at) VALUES (?, ?, ?, 0, ?)");
    sqlite3_stmt *wal = prep("INSERT INTO wallet (account_id, amount_cents, spent_cents,"
                             " expires_at) VALUES (?, ?, ?, ?)");
    for (int i = 0; i < n; i++) {
        int64_t id = first_id + i, registered = year0 + below(100 * DAY);
        int month = 1 + (int)below(12), day = 1 + (int)below(28);
        char email[64], phone[20], birth[24];
        snprintf(email, sizeof email, "jeune.%lld@example.test", (long long)id);
        snprintf(phone, sizeof phone, "06 %02d %02d %02d %02d", (int)below(100), (int)below(100),
                 (int)below(100), (int)below(100));
        snprintf(birth, sizeof birth, "%d-%02d-%02d", birth_year, month, day);
        sqlite3_bind_int64(acc, 1, id);
        sqlite3_bind_text(acc, 2, email, -1, SQLITE_STATIC);
        sqlite3_bind_text(acc, 3, first_names[below(20)], -1, SQLITE_STATIC);
        sqlite3_bind_text(acc, 4, last_names[below(15)], -1, SQLITE_STATIC);
        sqlite3_bind_text(acc, 5, chance(80) ? phone : NULL, -1, SQLITE_STATIC);
        sqlite3_bind_int64(acc, 6, registered);
        run(acc);
        sqlite3_bind_int64(ben, 1, id);
        sqlite3_bind_text(ben, 2, birth, -1, SQLITE_STATIC);
        sqlite3_bind_text(ben, 3, postal_codes[below(10)], -1, SQLITE_STATIC);
        sqlite3_bind_int64(ben, 4, registered);
        run(ben);
        insert_ints(wal,
                    (int64_t[]){id, WALLET_CENTS, spent ? spent[i] : 0,
                                paris_midnight(birth_year + 21, month, day)},
                    4);
    }
    sqlite3_finalize(acc);
    sqlite3_finalize(ben);
    sqlite3_finalize(wal);
}

/* ---------------------------------------------------------------------------------------- */
/* volume                                                                                    */

enum kind { EXPO, TOUR, TALK, CARD, BOOK, NKINDS };

struct kind_info {
    const char *subcategory, *name;
    bool event, duo;
    int ncat;              /* price categories (0: a thing's single stock) */
    const char *label[3];
    int price[3];          /* cents, per category; a thing's price is price[0] */
    int weight[3];         /* % of the bookings in each category */
    int expiry_days;       /* things: uncollected bookings expire */
};

/* A museum's catalogue: exhibition slots, guided tours, talks, cards, the shop's catalogues.
 * Offer o is of kind kinds_mix[o % 10]. */
static const struct kind_info kinds[NKINDS] = {
    [EXPO] = {"VISITE", "Exposition", true, true, 2, {"Plus de 18 ans", "Moins de 18 ans"},
              {800, 0}, {70, 30}, 0},
    [TOUR] = {"VISITE_GUIDEE", "Visite guidée", true, true, 3,
              {"Plus de 18 ans", "Moins de 18 ans", "Personne en situation de handicap"},
              {1200, 500, 0}, {60, 30, 10}, 0},
    [TALK] = {"CONFERENCE", "Conférence", true, true, 1, {"Tarif unique"}, {300}, {100}, 0},
    [CARD] = {"CARTE_MUSEE", "Carte Musées", false, false, 0, {NULL}, {1500}, {100}, 30},
    [BOOK] = {"LIVRE_PAPIER", "Catalogue", false, false, 0, {NULL}, {2500}, {100}, 10},
};
static const enum kind kinds_mix[10] = {EXPO, EXPO, EXPO, TOUR, TOUR, TOUR, TALK,
                                         CARD, CARD, BOOK};
static const char *const themes[] = {
    "Lumières du Nord", "Les impressionnistes", "Sculpture romane", "Portraits flamands",
    "La couleur bleue", "Estampes japonaises", "L'atelier de Rodin", "Paysages d'Aquitaine",
    "Photographie et cinéma", "Trésors de l'Égypte", "L'art du vitrail", "Design des années 50",
};

#define DATES 4 /* an event's dates, a week apart */

struct voffer {
    int64_t id, venue, created, first_date;
    enum kind kind;
    int64_t first_stock;  /* index in the stock arrays */
    int64_t first_cat_id; /* price_category ids from here, ncat of them */
};

enum status { CONFIRMED, USED, CANCELLED, REIMBURSED };
static const char *const status_names[] = {"CONFIRMED", "USED", "CANCELLED", "REIMBURSED"};
enum reason { NO_REASON, BY_BENEFICIARY, BY_OFFERER, EXPIRED };
static const char *const reason_names[] = {NULL, "BENEFICIARY", "OFFERER", "EXPIRED"};

struct vbooking {
    int64_t created, used, cancelled, reimbursed, limit;
    int32_t ben, offer, stock; /* indexes */
    int32_t price;
    uint8_t status, quantity, reason, auto_used;
};

/* Where the generated offers live, and what the finance side needs to know of them. */
struct museum {
    int64_t offerer, pro;
    int nvenues;
    int64_t venue[8], since[8], paid_from[8];
    int64_t point[8]; /* pricing point: the venue itself with a SIRET, else its link */
};

static void load_museum(struct museum *m)
{
    m->pro = query_int("SELECT id FROM account WHERE email = '" DEMO_PRO "'");
    m->offerer = query_int("SELECT uo.offerer_id FROM user_offerer uo JOIN account a"
                           " ON a.id = uo.account_id WHERE a.email = '" DEMO_PRO "'"
                           " AND uo.status = 'VALIDATED' ORDER BY uo.offerer_id LIMIT 1");
    /* As pp_pricing_point_of; paid_from: the start of the current bank account link. */
    sqlite3_stmt *st = prep(
        "SELECT v.id, CASE WHEN v.siret IS NOT NULL THEN v.id ELSE l.pricing_point_id END,"
        " CASE WHEN v.siret IS NOT NULL THEN v.created_at ELSE l.starts_at END,"
        " (SELECT MIN(starts_at) FROM venue_bank_account_link bl WHERE bl.venue_id = v.id)"
        " FROM venue v LEFT JOIN venue_pricing_point_link l ON l.venue_id = v.id"
        " WHERE v.offerer_id = ? AND v.venue_type = 'MUSEUM' ORDER BY v.id LIMIT 8");
    sqlite3_bind_int64(st, 1, m->offerer);
    m->nvenues = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int i = m->nvenues++;
        m->venue[i] = sqlite3_column_int64(st, 0);
        m->point[i] = sqlite3_column_int64(st, 1); /* 0: none, the event stays pending */
        m->since[i] = sqlite3_column_int64(st, 2);
        m->paid_from[i] = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1
                                                                    : sqlite3_column_int64(st, 3);
    }
    sqlite3_finalize(st);
    if (m->nvenues == 0) {
        fprintf(stderr, "gen: no MUSEUM venue of %s: is this the demo's database?\n", DEMO_PRO);
        exit(1);
    }
}

static int venue_index(const struct museum *m, int64_t venue)
{
    for (int i = 0; i < m->nvenues; i++)
        if (m->venue[i] == venue)
            return i;
    return 0;
}

/* The catalogue: offers, 85 % at the first venue; events dated between 180 days ago and 60
 * days from now, four dates a week apart, at 10:00-17:00 (UTC) on the hour. */
static struct voffer *plan_offers(const struct museum *m, int n, int64_t now, int64_t first_id,
                                  int64_t first_cat, int64_t *nstocks, int64_t *ncats)
{
    struct voffer *o = calloc((size_t)n, sizeof *o);
    int64_t s = 0, c = first_cat;
    for (int i = 0; i < n; i++) {
        o[i].id = first_id + i;
        o[i].kind = kinds_mix[i % 10];
        o[i].venue = m->venue[m->nvenues > 1 && chance(15) ? 1 + below(m->nvenues - 1) : 0];
        o[i].created = now - (HISTORY_DAYS + 20) * DAY - below(120 * DAY);
        int64_t day = (now / DAY - HISTORY_DAYS + below(HISTORY_DAYS + 60)) * DAY;
        o[i].first_date = day + (10 + below(8)) * 3600;
        o[i].first_stock = s;
        o[i].first_cat_id = c;
        const struct kind_info *k = &kinds[o[i].kind];
        s += k->event ? DATES * k->ncat : 1;
        c += k->ncat;
    }
    *nstocks = s;
    *ncats = c - first_cat;
    return o;
}

/* A popular offer gets many bookings: offer index u^2 x n (u uniform). */
static int32_t pick_offer(int n)
{
    double u = (double)(rnd() >> 11) / 9007199254740992.0;
    int o = (int)(u * u * n);
    return o < n ? o : n - 1;
}

static int pick_category(const struct kind_info *k)
{
    int r = (int)below(100), acc = 0;
    for (int c = 0; c < k->ncat; c++) {
        acc += k->weight[c];
        if (r < acc)
            return c;
    }
    return 0;
}

/* Open addressing set of the live (beneficiary, offer) pairs. */
struct pairs {
    uint64_t *slot;
    uint64_t mask;
};

static bool pairs_add(struct pairs *p, int32_t ben, int32_t offer)
{
    uint64_t key = ((uint64_t)(uint32_t)ben << 32 | (uint32_t)offer) + 1;
    uint64_t h = (key * 0x9e3779b97f4a7c15ULL) >> 20;
    for (uint64_t i = h & p->mask;; i = (i + 1) & p->mask) {
        if (p->slot[i] == key)
            return false;
        if (p->slot[i] == 0) {
            p->slot[i] = key;
            return true;
        }
    }
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* pp_cancellation_limit: 48 h after booking, but no later than 48 h before the event. */
static int64_t cancellation_limit(int64_t booked, int64_t start)
{
    int64_t before = start - 2 * DAY, after = booked + 2 * DAY;
    int64_t earliest = before < after ? before : after;
    return earliest > booked ? earliest : booked;
}

/* An event's booking: made up to 30 days before its date; its fate depends on the date. */
static void plan_event(struct vbooking *b, const struct voffer *o, int64_t start, int64_t now)
{
    b->created = clamp(start - 3600 - below(30 * DAY), o->created + DAY, now - 60 - below(3600));
    b->limit = cancellation_limit(b->created, start);
    int used_pct, cancelled_pct;
    if (start + 2 * DAY <= now) { /* over: auto-used by now if nobody came to the desk */
        used_pct = 88;
        cancelled_pct = 12;
    } else if (start <= now) { /* just over: the auto-use job has not come yet */
        used_pct = 60;
        cancelled_pct = 10;
    } else {
        used_pct = 0;
        cancelled_pct = 15;
    }
    int r = (int)below(100);
    if (r < used_pct) {
        b->status = USED;
        b->auto_used = start + 2 * DAY + 3600 <= now && chance(10);
        b->used = b->auto_used ? start + 2 * DAY + below(3600) : start - below(1800);
        if (b->used < b->created)
            b->used = b->created + 60;
    } else if (r < used_pct + cancelled_pct) {
        b->status = CANCELLED;
        b->reason = chance(85) ? BY_BENEFICIARY : BY_OFFERER;
        int64_t last = b->reason == BY_BENEFICIARY ? b->limit : start;
        last = last < now - 60 ? last : now - 60;
        b->cancelled = b->created + below(last > b->created ? last - b->created : 60);
    } else {
        b->status = CONFIRMED;
    }
}

/* A thing's booking (a card, a catalogue): collected at the desk, cancelled, or expired; the
 * uncollected ones are all younger than the jobs' first reminder (none is due at start). */
static void plan_thing(struct vbooking *b, const struct voffer *o, const struct kind_info *k,
                       int64_t now)
{
    int64_t earliest = o->created + DAY;
    b->created = now - 60 - below(HISTORY_DAYS * DAY);
    if (b->created < earliest)
        b->created = earliest;
    int64_t age = now - b->created, expiry = (int64_t)k->expiry_days * DAY;
    int64_t quiet = expiry - (k->expiry_days == 10 ? 6 : 8) * DAY; /* before any reminder */
    int r = (int)below(100);
    if (age < quiet && r < 50) {
        b->status = CONFIRMED;
    } else if (r < 90 || age < quiet) {
        b->status = USED;
        int64_t window = age < expiry ? age : expiry;
        b->used = b->created + (window > 120 ? 60 + below(window - 120) : window / 2);
    } else {
        b->status = CANCELLED;
        if (age > expiry + DAY && chance(60)) {
            b->reason = EXPIRED;
            b->cancelled = b->created + expiry + 1800;
        } else {
            b->reason = BY_BENEFICIARY;
            b->cancelled = b->created + below(age < 3 * DAY ? age : 3 * DAY);
        }
    }
}

/* Per stock: its price, category (index or -1), start (0 for a thing), booked places. */
struct vstock {
    int64_t start;
    int32_t booked, offer;
    int8_t cat;
};

struct plan {
    struct vbooking *b;
    int64_t nb;
    struct voffer *offers;
    int noffers;
    struct vstock *stocks;
    int64_t nstocks, ncats;
    int32_t *spent;
    int nbens;
};

/* Booking @i: its beneficiary, offer, stock, price and fate. A live booking that would
 * overspend its wallet takes a free tariff or becomes a cancelled one; a second live booking
 * of the same offer by the same young person is drawn again. */
static void plan_booking(struct plan *p, struct pairs *live, struct vbooking *b, int64_t now)
{
    b->ben = (int32_t)below(p->nbens);
    for (int attempt = 0;; attempt++) {
        *b = (struct vbooking){.ben = b->ben, .status = CONFIRMED, .reason = NO_REASON};
        b->offer = pick_offer(p->noffers);
        const struct voffer *o = &p->offers[b->offer];
        const struct kind_info *k = &kinds[o->kind];
        int cat = 0, date = 0;
        if (k->event) {
            date = (int)below(DATES);
            cat = pick_category(k);
            b->stock = (int32_t)(o->first_stock + date * k->ncat + cat);
            plan_event(b, o, p->stocks[b->stock].start, now);
        } else {
            b->stock = (int32_t)o->first_stock;
            plan_thing(b, o, k, now);
        }
        b->quantity = k->duo && chance(5) ? 2 : 1;
        b->price = k->price[cat];
        if (b->status == CANCELLED)
            return;
        int64_t total = (int64_t)b->price * b->quantity;
        if (p->spent[b->ben] + total > WALLET_CENTS && k->event && k->price[k->ncat - 1] == 0) {
            b->stock = (int32_t)(o->first_stock + date * k->ncat + k->ncat - 1);
            b->price = 0;
            total = 0;
        }
        if (p->spent[b->ben] + total > WALLET_CENTS || attempt == 50) {
            b->status = CANCELLED; /* the young person had no credit left: cancelled */
            b->reason = BY_BENEFICIARY;
            b->used = 0;
            b->cancelled = b->created + (now - b->created) / 2;
            return;
        }
        if (pairs_add(live, b->ben, b->offer)) {
            p->spent[b->ben] += (int32_t)total;
            p->stocks[b->stock].booked += b->quantity;
            return;
        }
    }
}

static int cmp_created(const void *a, const void *b)
{
    const struct vbooking *x = a, *y = b;
    return (x->created > y->created) - (x->created < y->created);
}

/* A used booking is paid at the first cut-off after its use, its event and its venue's bank
 * account link, if that cut-off has passed: REIMBURSED (the run's time); USED otherwise. */
static void settle(struct plan *p, const struct museum *m, int64_t now)
{
    int64_t last = last_cutoff(now);
    for (int64_t i = 0; i < p->nb; i++) {
        struct vbooking *b = &p->b[i];
        if (b->status != USED)
            continue;
        int v = venue_index(m, p->offers[b->offer].venue);
        if (m->point[v] == 0 || m->paid_from[v] < 0)
            continue;
        int64_t due = b->used > p->stocks[b->stock].start ? b->used : p->stocks[b->stock].start;
        if (m->paid_from[v] > due)
            due = m->paid_from[v];
        int64_t cutoff = next_cutoff(due);
        if (cutoff <= last) {
            b->status = REIMBURSED;
            b->reimbursed = cutoff + 600;
        }
    }
}

static void insert_catalogue(const struct plan *p, int64_t first_stock_id)
{
    sqlite3_stmt *off = prep("INSERT INTO offer (id, venue_id, name, description, subcategory_id,"
                             " is_duo, audio_disability, mental_disability, motor_disability,"
                             " visual_disability, validation, is_active, created_at, published_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'APPROVED', 1, ?, ?)");
    sqlite3_stmt *cat = prep("INSERT INTO price_category (id, offer_id, label, price_cents)"
                             " VALUES (?, ?, ?, ?)");
    sqlite3_stmt *sto = prep("INSERT INTO stock (id, offer_id, price_category_id, price_cents,"
                             " quantity, booked, beginning_at, booking_limit_at, created_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (int i = 0; i < p->noffers; i++) {
        const struct voffer *o = &p->offers[i];
        const struct kind_info *k = &kinds[o->kind];
        char name[160];
        snprintf(name, sizeof name, "%s « %s » n°%d", k->name, themes[i % 12], i + 1);
        sqlite3_bind_int64(off, 1, o->id);
        sqlite3_bind_int64(off, 2, o->venue);
        sqlite3_bind_text(off, 3, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(off, 4, "Une offre du musée, écrite par bench/gen.", -1, SQLITE_STATIC);
        sqlite3_bind_text(off, 5, k->subcategory, -1, SQLITE_STATIC);
        sqlite3_bind_int(off, 6, k->duo);
        for (int d = 0; d < 4; d++)
            sqlite3_bind_int(off, 7 + d, (i >> d) & 1);
        sqlite3_bind_int64(off, 11, o->created);
        sqlite3_bind_int64(off, 12, o->created + 3600);
        run(off);
        for (int c = 0; c < k->ncat; c++) {
            sqlite3_bind_int64(cat, 1, o->first_cat_id + c);
            sqlite3_bind_int64(cat, 2, o->id);
            sqlite3_bind_text(cat, 3, k->label[c], -1, SQLITE_STATIC);
            sqlite3_bind_int64(cat, 4, k->price[c]);
            run(cat);
        }
        int64_t nst = k->event ? DATES * k->ncat : 1;
        for (int64_t s = 0; s < nst; s++) {
            const struct vstock *vs = &p->stocks[o->first_stock + s];
            int c = k->event ? (int)(s % k->ncat) : 0;
            /* Events: room for a few more; cards unlimited; catalogues a print run. */
            int64_t quantity = o->kind == CARD ? INT64_MIN
                               : k->event  ? vs->booked + 10 + (int64_t)(o->id % 40)
                                           : vs->booked + 50;
            insert_ints(sto,
                        (int64_t[]){first_stock_id + o->first_stock + s, o->id,
                                    k->event ? o->first_cat_id + c : INT64_MIN, k->price[c],
                                    quantity, vs->booked, k->event ? vs->start : INT64_MIN,
                                    k->event ? vs->start : INT64_MIN, o->created},
                        9);
        }
    }
    sqlite3_finalize(off);
    sqlite3_finalize(cat);
    sqlite3_finalize(sto);
}

/* The bookings, in the order they were made, and the finance event of each use not yet paid
 * (ready: the pricing job prices them at its next pass). */
static void insert_bookings(const struct plan *p, const struct museum *m, int64_t first_id,
                            int64_t first_ben, int64_t first_stock_id)
{
    sqlite3_stmt *bk = prep(
        "INSERT INTO booking (id, token, account_id, stock_id, offer_id, venue_id, offerer_id,"
        " quantity, amount_cents, price_category_label, status, counts_digital, created_at,"
        " cancellation_limit_at, used_at, validation_author, cancelled_at, cancellation_reason,"
        " cancelled_by, reimbursed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?,"
        " ?, ?, ?)");
    sqlite3_stmt *ev = prep("INSERT INTO finance_event (booking_id, venue_id, pricing_point_id,"
                            " status, value_date, ordering_date, year, created_at)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    struct tokens tk;
    tokens_init(&tk);
    for (int64_t i = 0; i < p->nb; i++) {
        const struct vbooking *b = &p->b[i];
        const struct voffer *o = &p->offers[b->offer];
        const struct kind_info *k = &kinds[o->kind];
        const struct vstock *s = &p->stocks[b->stock];
        int64_t id = first_id + i, account = first_ben + b->ben;
        char token[7];
        tokens_next(&tk, token);
        sqlite3_bind_int64(bk, 1, id);
        sqlite3_bind_text(bk, 2, token, 6, SQLITE_STATIC);
        sqlite3_bind_int64(bk, 3, account);
        sqlite3_bind_int64(bk, 4, first_stock_id + b->stock);
        sqlite3_bind_int64(bk, 5, o->id);
        sqlite3_bind_int64(bk, 6, o->venue);
        sqlite3_bind_int64(bk, 7, m->offerer);
        sqlite3_bind_int(bk, 8, b->quantity);
        sqlite3_bind_int(bk, 9, b->price);
        sqlite3_bind_text(bk, 10, k->event ? k->label[s->cat] : NULL, -1, SQLITE_STATIC);
        sqlite3_bind_text(bk, 11, status_names[b->status], -1, SQLITE_STATIC);
        sqlite3_bind_int64(bk, 12, b->created);
        bool cancelled = b->status == CANCELLED;
        int64_t later[] = {k->event ? b->limit : INT64_MIN, b->used ? b->used : INT64_MIN};
        for (int j = 0; j < 2; j++) {
            if (later[j] == INT64_MIN)
                sqlite3_bind_null(bk, 13 + j);
            else
                sqlite3_bind_int64(bk, 13 + j, later[j]);
        }
        sqlite3_bind_text(bk, 15, b->used ? (b->auto_used ? "AUTO" : "OFFERER") : NULL, -1,
                          SQLITE_STATIC);
        if (cancelled) {
            sqlite3_bind_int64(bk, 16, b->cancelled);
            sqlite3_bind_text(bk, 17, reason_names[b->reason], -1, SQLITE_STATIC);
            if (b->reason == EXPIRED)
                sqlite3_bind_null(bk, 18);
            else
                sqlite3_bind_int64(bk, 18, b->reason == BY_BENEFICIARY ? account : m->pro);
        } else {
            for (int j = 16; j <= 18; j++)
                sqlite3_bind_null(bk, j);
        }
        if (b->status == REIMBURSED)
            sqlite3_bind_int64(bk, 19, b->reimbursed);
        else
            sqlite3_bind_null(bk, 19);
        run(bk);
        if (b->status != USED)
            continue;
        int v = venue_index(m, o->venue);
        int64_t order = b->used > s->start ? b->used : s->start;
        order = order > m->since[v] ? order : m->since[v];
        bind_ints(ev, 1, (int64_t[]){id, o->venue, m->point[v] ? m->point[v] : INT64_MIN}, 3);
        sqlite3_bind_text(ev, 4, m->point[v] ? "ready" : "pending", -1, SQLITE_STATIC);
        bind_ints(ev, 5, (int64_t[]){b->used, order, paris_year(b->used), b->used}, 4);
        run(ev);
    }
    sqlite3_finalize(bk);
    sqlite3_finalize(ev);
    free(tk.taken);
}

static void report(const struct plan *p, double secs)
{
    int64_t n[4] = {0}, places = 0;
    for (int64_t i = 0; i < p->nb; i++) {
        n[p->b[i].status]++;
        places += p->b[i].quantity;
    }
    printf("gen: %d offers (%lld stocks, %lld price categories), %d beneficiaries,"
           " %lld bookings (%lld places): %lld confirmed, %lld used (each with its finance"
           " event), %lld cancelled, %lld reimbursed; written in %.2f s (%.2f s CPU)\n",
           p->noffers, (long long)p->nstocks, (long long)p->ncats, p->nbens, (long long)p->nb,
           (long long)places, (long long)n[CONFIRMED], (long long)n[USED],
           (long long)n[CANCELLED], (long long)n[REIMBURSED], secs, cpu_seconds());
}

/*
 * The rules, so that the data reads as the server and its jobs would have left it:
 * - one live booking per young person and offer; wallets never overspent (150 €): a booking
 *   that would overspend takes the free tariff of the date or is cancelled;
 * - stocks' booked counts are the places of their live bookings; event stocks hold 10-50
 *   places more, cards are unlimited;
 * - events: booked up to 30 days ahead; over for 48 h: used (10 % by the auto-use job) or
 *   cancelled; over for less: some still confirmed; ahead: confirmed or cancelled (by the young
 *   person before the cancellation limit, or by the museum);
 * - things: collected, cancelled or expired after their 30 (cards) or 10 (catalogues) days;
 *   the uncollected ones are younger than the first expiry reminder;
 * - a use paid at a cut-off that has passed is REIMBURSED at that run's time; the later ones
 *   are USED with a ready finance event (the pricing job prices them at its next pass). No
 *   pricing, invoice, audit or outbox row is written for the history.
 */
static int volume(int noffers, int nbens, int64_t nbookings)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    phase("start");
    int64_t now = time(NULL);
    struct museum m;
    load_museum(&m);
    int64_t first_offer = query_int("SELECT COALESCE(MAX(id), 0) + 1 FROM offer");
    int64_t first_cat = query_int("SELECT COALESCE(MAX(id), 0) + 1 FROM price_category");
    int64_t first_stock = query_int("SELECT COALESCE(MAX(id), 0) + 1 FROM stock");
    int64_t first_ben = query_int("SELECT COALESCE(MAX(id), 0) + 1 FROM account");
    int64_t first_booking = query_int("SELECT COALESCE(MAX(id), 0) + 1 FROM booking");
    if (noffers < 1 || nbens < 1)
        nbookings = 0;
    struct plan p = {.nb = nbookings, .noffers = noffers, .nbens = nbens};
    p.offers = plan_offers(&m, noffers, now, first_offer, first_cat, &p.nstocks, &p.ncats);
    p.stocks = calloc((size_t)p.nstocks + 1, sizeof *p.stocks);
    for (int i = 0; i < noffers; i++) {
        const struct kind_info *k = &kinds[p.offers[i].kind];
        for (int64_t s = 0; s < (k->event ? DATES * k->ncat : 1); s++) {
            struct vstock *vs = &p.stocks[p.offers[i].first_stock + s];
            vs->offer = i;
            vs->cat = (int8_t)(k->event ? s % k->ncat : 0);
            vs->start = k->event ? p.offers[i].first_date + (s / k->ncat) * 7 * DAY : 0;
        }
    }
    p.spent = calloc((size_t)nbens + 1, sizeof *p.spent);
    p.b = calloc((size_t)nbookings + 1, sizeof *p.b);
    struct pairs live = {NULL, 0};
    uint64_t cap = 1024;
    while (cap < 2 * (uint64_t)nbookings)
        cap *= 2;
    live.slot = calloc(cap, sizeof *live.slot);
    live.mask = cap - 1;
    for (int64_t i = 0; i < nbookings; i++)
        plan_booking(&p, &live, &p.b[i], now);
    free(live.slot);
    qsort(p.b, (size_t)nbookings, sizeof *p.b, cmp_created);
    settle(&p, &m, now);

    phase("plan");
    begin_load();
    /* Registered 11 months ago or later, at 18; 19 by now for most. */
    insert_beneficiaries(first_ben, nbens, p.spent, now - 330 * DAY, paris_year(now) - 19);
    phase("beneficiaries");
    insert_catalogue(&p, first_stock);
    phase("catalogue");
    struct indexes bix, fix;
    drop_indexes("booking", "booking_offerer_created,booking_venue,booking_status_created", &bix);
    drop_indexes("finance_event", "", &fix);
    insert_bookings(&p, &m, first_booking, first_ben, first_stock);
    phase("bookings");
    create_indexes(&bix);
    create_indexes(&fix);
    phase("indexes");
    end_load();
    phase("commit");
    report(&p, seconds_since(&t0));
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* finance                                                                                   */

#define FIN_CARDS 5
#define FIN_START 1772319600 /* 2026-03-01T00:00:00+01:00 */
#define FIN_SPAN (14 * DAY)  /* every use before the 16 March cut-off */

static int finance(int64_t n)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int nbens = (int)((n + FIN_CARDS - 1) / FIN_CARDS);
    begin_load();
    exec("INSERT INTO offerer (id, siren, name, street, postal_code, city, status, created_at)"
         " VALUES (1, '123456789', 'Musée du banc d''essai', '1 rue des Arts', '33000',"
         " 'Bordeaux', 'VALIDATED', 0);"
         "INSERT INTO venue (id, offerer_id, name, siret, street, postal_code, city, venue_type,"
         " created_at) VALUES (1, 1, 'Musée', '12345678900011', '1 rue des Arts', '33000',"
         " 'Bordeaux', 'MUSEUM', 0);"
         "INSERT INTO bank_account (id, offerer_id, label, iban, status, created_at)"
         " VALUES (1, 1, 'Compte', 'FR7630006000011234567890189', 'ACCEPTED', 0);"
         "INSERT INTO venue_bank_account_link (venue_id, bank_account_id, starts_at)"
         " VALUES (1, 1, 0);");
    sqlite3_stmt *off = prep("INSERT INTO offer (id, venue_id, name, subcategory_id,"
                             " audio_disability, mental_disability, motor_disability,"
                             " visual_disability, validation, created_at)"
                             " VALUES (?, 1, ?, 'CARTE_MUSEE', 0, 0, 0, 0, 'APPROVED', 0)");
    sqlite3_stmt *sto = prep("INSERT INTO stock (id, offer_id, price_cents, booked, created_at)"
                             " VALUES (?, ?, 2000, ?, 0)");
    for (int c = 1; c <= FIN_CARDS; c++) {
        char name[64];
        snprintf(name, sizeof name, "Carte musée n°%d", c);
        sqlite3_bind_int(off, 1, c);
        sqlite3_bind_text(off, 2, name, -1, SQLITE_STATIC);
        run(off);
        /* Booking i is of card i % FIN_CARDS + 1. */
        insert_ints(sto, (int64_t[]){c, c, n / FIN_CARDS + (c - 1 < n % FIN_CARDS)}, 3);
    }
    int32_t *spent = calloc((size_t)nbens + 1, sizeof *spent);
    for (int64_t i = 0; i < n; i++)
        spent[i / FIN_CARDS] += 2000;
    insert_beneficiaries(10, nbens, spent, paris_midnight(2026, 1, 2), 2007);
    sqlite3_stmt *bk = prep("INSERT INTO booking (id, token, account_id, stock_id, offer_id,"
                            " venue_id, offerer_id, quantity, amount_cents, status, created_at,"
                            " used_at, validation_author)"
                            " VALUES (?, ?, ?, ?, ?, 1, 1, 1, 2000, 'USED', ?, ?, 'OFFERER')");
    sqlite3_stmt *ev = prep("INSERT INTO finance_event (booking_id, venue_id, pricing_point_id,"
                            " status, value_date, ordering_date, year, created_at)"
                            " VALUES (?, 1, 1, 'ready', ?, ?, 2026, ?)");
    struct tokens tk;
    tokens_init(&tk);
    struct indexes bix, fix;
    drop_indexes("booking", "booking_offerer_created,booking_venue,booking_status_created", &bix);
    drop_indexes("finance_event", "", &fix);
    for (int64_t i = 0; i < n; i++) {
        int64_t id = i + 1, used = FIN_START + (i + 1) * FIN_SPAN / n, card = i % FIN_CARDS + 1;
        char token[7];
        tokens_next(&tk, token);
        sqlite3_bind_int64(bk, 1, id);
        sqlite3_bind_text(bk, 2, token, 6, SQLITE_STATIC);
        sqlite3_bind_int64(bk, 3, 10 + i / FIN_CARDS);
        sqlite3_bind_int64(bk, 4, card);
        sqlite3_bind_int64(bk, 5, card);
        sqlite3_bind_int64(bk, 6, used - 60);
        sqlite3_bind_int64(bk, 7, used);
        run(bk);
        insert_ints(ev, (int64_t[]){id, used, used, used}, 4);
    }
    create_indexes(&bix);
    create_indexes(&fix);
    end_load();
    printf("gen: 1 museum, %d cards of 20 €, %d beneficiaries, %lld used bookings with their"
           " ready finance events; written in %.2f s (%.2f s CPU)\n",
           FIN_CARDS, nbens, (long long)n, seconds_since(&t0), cpu_seconds());
    free(spent);
    free(tk.taken);
    return 0;
}

static _Noreturn void usage(void)
{
    fprintf(stderr, "usage: gen DB rush BENEFICIARIES OFFERS DIR\n"
                    "       gen DB volume OFFERS BENEFICIARIES BOOKINGS\n"
                    "       gen DB finance BOOKINGS\n");
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc < 3 || sodium_init() < 0)
        usage();
    setenv("TZ", "Europe/Paris", 1); /* the finance zone: cut-offs, years */
    tzset();
    cutoffs_init();
    if (sqlite3_open(argv[1], &db) != SQLITE_OK)
        die("open");
    sqlite3_busy_timeout(db, 10000);
    const char *mode = argv[2];
    int rc = 2;
    if (strcmp(mode, "rush") == 0 && argc == 6)
        rc = rush(arg_count(argv[3]), arg_count(argv[4]), argv[5]);
    else if (strcmp(mode, "volume") == 0 && argc == 6)
        rc = volume(arg_count(argv[3]), arg_count(argv[4]), arg_count(argv[5]));
    else if (strcmp(mode, "finance") == 0 && argc == 4)
        rc = finance(arg_count(argv[3]));
    else
        usage();
    sqlite3_close(db);
    return rc;
}
