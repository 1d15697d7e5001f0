#include "http/ratelimit.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SLOTS 1024
#define KEY_MAX 64

struct slot {
    char key[KEY_MAX];
    int64_t minute;
    int count;
};

static struct slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

bool pp_ratelimit_allow(const char *key, int limit_per_minute)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t minute = (int64_t)ts.tv_sec / 60;
    /* Two keys sharing a slot share a budget only until one of them takes it over. */
    struct slot *s = &slots[fnv1a(key) % SLOTS];
    pthread_mutex_lock(&lock);
    if (strncmp(s->key, key, KEY_MAX - 1) != 0 || s->minute != minute) {
        snprintf(s->key, KEY_MAX, "%s", key);
        s->minute = minute;
        s->count = 0;
    }
    bool ok = s->count < limit_per_minute;
    if (ok)
        s->count++;
    pthread_mutex_unlock(&lock);
    return ok;
}
