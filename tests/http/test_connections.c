/*
 * Connection exhaustion (issue 14, docs/security.md "Connections"): slow clients are cut at
 * deadlines that trickling cannot stretch, and one address cannot hold more than its share of
 * connections while the others are served at once.
 *
 * The server runs with small limits: 4 connections per address, 2 s for the request line and
 * headers, 2 s for a body, 1 s of keep-alive wait. The slow clients send a byte every 250 ms,
 * well inside any idle timeout (which alone would never cut them), from other loopback addresses
 * (127.0.0.2 and up: Linux routes all of 127/8 to lo), while the harness's normal client talks
 * from 127.0.0.1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/harness.h"

#define PER_ADDRESS 4
#define DEADLINE_MS 2000
#define TRICKLE_MS 250
/* A cut comes at the deadline plus the reaper's period (100 ms here) and scheduling. */
#define SLACK_MS 900
/* Longer than any deadline: a connection still open then was never cut. */
#define GIVE_UP_MS (DEADLINE_MS + 2000)

/* What a slow client sends, a byte at a time: never complete within GIVE_UP_MS. */
static const char slow_headers[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                   "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
static const char slow_body[] = "{\"email\": \"lent@example.com\", \"password\": \"aaaaaaaaaaaaaa"
                                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}";

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A TCP connection to the server from local address @from ("127.0.0.2"); asserts success. */
static int connect_from(const char *from)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct sockaddr_in src = {.sin_family = AF_INET};
    assert_int_equal(inet_pton(AF_INET, from, &src.sin_addr), 1);
    assert_int_equal(bind(fd, (struct sockaddr *)&src, sizeof src), 0);
    struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t)g_server.port)};
    inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&dst, sizeof dst), 0);
    return fd;
}

/* True when the server has closed @fd: end of file or a reset, within @wait_ms. */
static bool closed_by_server(int fd, int wait_ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN | POLLRDHUP};
    if (poll(&p, 1, wait_ms) <= 0)
        return false;
    char buf[512];
    ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

/* Sends @text on @fd; false when the connection is gone. */
static bool send_text(int fd, const char *text, size_t len)
{
    return send(fd, text, len, MSG_NOSIGNAL) == (ssize_t)len;
}

/* A slow client: its socket, what it trickles, and when it started and was cut (0: not yet). */
struct slow {
    int fd;
    const char *text;
    size_t sent;
    int64_t started_ms, cut_ms;
};

/*
 * Trickles a byte to every slow client each TRICKLE_MS until all are cut or GIVE_UP_MS has
 * passed. Halfway through the deadline, a normal client's GET /healthz from 127.0.0.1 must be
 * answered at once.
 */
static void trickle(struct slow *s, size_t n)
{
    int64_t begin = now_ms();
    bool asked = false;
    for (;;) {
        size_t open = 0;
        for (size_t i = 0; i < n; i++) {
            if (s[i].cut_ms != 0)
                continue;
            if (closed_by_server(s[i].fd, 0) ||
                (s[i].text[s[i].sent] != '\0' && !send_text(s[i].fd, s[i].text + s[i].sent, 1))) {
                s[i].cut_ms = now_ms();
                continue;
            }
            if (s[i].text[s[i].sent] != '\0')
                s[i].sent++;
            open++;
        }
        if (open == 0 || now_ms() - begin > GIVE_UP_MS)
            return;
        if (!asked && now_ms() - begin >= DEADLINE_MS / 2) {
            asked = true;
            int64_t t0 = now_ms();
            struct resp r = http_request(client_new(), "GET", "/healthz", NULL);
            assert_status(r, 200);
            int64_t latency = now_ms() - t0;
            fprintf(stderr, "normal request during the trickle: %lld ms\n", (long long)latency);
            assert_true(latency < 500);
        }
        struct timespec tick = {0, TRICKLE_MS * 1000000L};
        nanosleep(&tick, NULL);
    }
}

/* Every slow client was cut at its deadline (from its start), not before, not long after. */
static void assert_cut_at_deadline(const struct slow *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int64_t lived = s[i].cut_ms ? s[i].cut_ms - s[i].started_ms : -1;
        fprintf(stderr, "slow client %zu: cut after %lld ms (%zu bytes sent)\n", i,
                (long long)lived, s[i].sent);
        assert_true(s[i].cut_ms != 0);
        assert_true(lived >= DEADLINE_MS - 300);
        assert_true(lived <= DEADLINE_MS + SLACK_MS);
    }
}

/* A plain GET /healthz from @from answers 200 (its address is not held by anything). */
static void assert_served_from(const char *from)
{
    int fd = connect_from(from);
    static const char req[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    assert_true(send_text(fd, req, sizeof req - 1));
    struct pollfd p = {.fd = fd, .events = POLLIN};
    assert_int_equal(poll(&p, 1, 2000), 1);
    char buf[64] = {0};
    assert_true(recv(fd, buf, sizeof buf - 1, 0) > 12);
    assert_memory_equal(buf, "HTTP/1.1 200", 12);
    close(fd);
}

/*
 * Six slow connections from one address: the two past the limit of 4 are refused at once; the
 * four others trickle header bytes faster than the idle timeout and are cut at the header
 * deadline all the same; meanwhile 127.0.0.1 is served at once; then the address is free again.
 */
static void test_header_trickle_cut_and_limited_per_address(void **state)
{
    (void)state;
    struct slow s[PER_ADDRESS];
    for (size_t i = 0; i < PER_ADDRESS; i++)
        s[i] = (struct slow){connect_from("127.0.0.2"), slow_headers, 0, now_ms(), 0};
    /* Let the server accept and count them before the ones past the limit arrive. */
    struct timespec settle = {0, 200 * 1000000L};
    nanosleep(&settle, NULL);
    for (int i = 0; i < 2; i++) {
        int extra = connect_from("127.0.0.2");
        assert_true(closed_by_server(extra, 500));
        close(extra);
    }
    trickle(s, PER_ADDRESS);
    assert_cut_at_deadline(s, PER_ADDRESS);
    for (size_t i = 0; i < PER_ADDRESS; i++)
        close(s[i].fd);
    assert_served_from("127.0.0.2");
}

/*
 * A trusted reverse proxy (--trusted-proxy 127.0.0.9 here) carries every client of its own: the
 * per-address limit spares it, so twice the limit of connections from it all stay open (and are
 * still cut at their header deadline).
 */
static void test_trusted_proxy_spared_by_the_address_limit(void **state)
{
    (void)state;
    struct slow s[2 * PER_ADDRESS];
    for (size_t i = 0; i < 2 * PER_ADDRESS; i++)
        s[i] = (struct slow){connect_from("127.0.0.9"), slow_headers, 0, now_ms(), 0};
    struct timespec settle = {0, 200 * 1000000L};
    nanosleep(&settle, NULL);
    for (size_t i = 0; i < 2 * PER_ADDRESS; i++)
        assert_false(closed_by_server(s[i].fd, 0));
    assert_served_from("127.0.0.9");
    trickle(s, 2 * PER_ADDRESS);
    assert_cut_at_deadline(s, 2 * PER_ADDRESS);
    for (size_t i = 0; i < 2 * PER_ADDRESS; i++)
        close(s[i].fd);
}

/* Complete headers announcing a body, then the body a byte at a time: cut at the body deadline. */
static void test_body_trickle_cut(void **state)
{
    (void)state;
    char head[256];
    snprintf(head, sizeof head,
             "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
             sizeof slow_body - 1);
    struct slow s[PER_ADDRESS];
    for (size_t i = 0; i < PER_ADDRESS; i++) {
        int fd = connect_from("127.0.0.3");
        assert_true(send_text(fd, head, strlen(head)));
        s[i] = (struct slow){fd, slow_body, 0, now_ms(), 0};
    }
    trickle(s, PER_ADDRESS);
    assert_cut_at_deadline(s, PER_ADDRESS);
    for (size_t i = 0; i < PER_ADDRESS; i++)
        close(s[i].fd);
}

/*
 * A keep-alive connection: one request answered, then the next one's headers trickled; the
 * header deadline counts from the end of the answer, and cuts it.
 */
static void test_keep_alive_trickle_cut(void **state)
{
    (void)state;
    int fd = connect_from("127.0.0.4");
    static const char req[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    assert_true(send_text(fd, req, sizeof req - 1));
    struct pollfd p = {.fd = fd, .events = POLLIN};
    assert_int_equal(poll(&p, 1, 2000), 1);
    char buf[2048] = {0};
    assert_true(recv(fd, buf, sizeof buf - 1, 0) > 12);
    assert_memory_equal(buf, "HTTP/1.1 200", 12);
    struct slow s = {fd, slow_headers, 0, now_ms(), 0};
    trickle(&s, 1);
    assert_cut_at_deadline(&s, 1);
    close(fd);
}

/* A keep-alive connection silent after its answer is closed at the idle timeout (1 s here). */
static void test_keep_alive_idle_closed(void **state)
{
    (void)state;
    int fd = connect_from("127.0.0.5");
    static const char req[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    assert_true(send_text(fd, req, sizeof req - 1));
    struct pollfd p = {.fd = fd, .events = POLLIN};
    assert_int_equal(poll(&p, 1, 2000), 1);
    char buf[2048] = {0};
    assert_true(recv(fd, buf, sizeof buf - 1, 0) > 12);
    int64_t answered = now_ms();
    assert_true(closed_by_server(fd, GIVE_UP_MS));
    int64_t waited = now_ms() - answered;
    fprintf(stderr, "idle keep-alive connection closed after %lld ms\n", (long long)waited);
    assert_true(waited >= 700 && waited <= 1000 + SLACK_MS);
    close(fd);
}

static int setup(void **state)
{
    static const char *const extra[] = {
        "--max-connections", "64", "--max-connections-per-address", "4", "--header-timeout", "2",
        "--body-timeout", "2", "--idle-timeout", "1", "--trusted-proxy", "127.0.0.9", NULL,
    };
    return harness_group_setup_args(state, extra);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_trickle_cut_and_limited_per_address),
        cmocka_unit_test(test_trusted_proxy_spared_by_the_address_limit),
        cmocka_unit_test(test_body_trickle_cut),
        cmocka_unit_test(test_keep_alive_trickle_cut),
        cmocka_unit_test(test_keep_alive_idle_closed),
    };
    return cmocka_run_group_tests_name("http_connections", tests, setup, harness_group_teardown);
}
