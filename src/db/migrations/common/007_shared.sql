-- State that every server on one database shares (several servers behind a load balancer).

-- The test clock (serve --test-clock, SPEC §9): set once, read by every server.
CREATE TABLE test_clock (
    id                  {INT_KEY} CHECK (id = 1),
    offset_seconds      BIGINT NOT NULL
);

-- Requests per partner API key and minute (fixed one-minute windows).
CREATE TABLE request_rate (
    key                 TEXT NOT NULL,
    minute              BIGINT NOT NULL,
    count               BIGINT NOT NULL,
    PRIMARY KEY (key, minute)
);
