/*
 * session_cache.c: valid sessions kept in memory, so that a request need not
 * ask the database whose cookie it carries. On PostgreSQL that question is a
 * network round trip and a third of a member page's database work.
 *
 * The cache is used only while the database tells the server about changes:
 * triggers (PostgreSQL migration 0011) NOTIFY the channel SESSION_CHANNEL when
 * a session row is deleted or moved back in time ("s" + its token hash: that
 * entry goes) and when users or organisations change ("*": everything goes),
 * and a listener thread (db.h's listen) passes the notifications here. While
 * the listener has no link, the cache is off and empty.
 *
 * An entry serves only while its session was seen less than `fresh` seconds
 * ago (the touch interval): after that the lookup goes to the database, which
 * checks the idle timeout and touches the row. So a server still reads each
 * active session once a minute, and the cache never outlives the timeout.
 *
 * Writes of this process drop entries at once and again after their commit
 * (logout, user and organisation changes: store_auth_changed); those of
 * other servers or of direct SQL arrive with the notification, milliseconds
 * after their commit.
 *
 * A lookup that read the database before a drop must not store what it read
 * after it: every drop bumps `gen`, and scache_put stores only if the gen
 * taken before the read is still current.
 *
 * The link is trusted only while notifications keep coming: the listener
 * pings its own channel every second, and the cache serves nothing when no
 * notification (ping or change) has arrived for CONFIRM_MS. A link that
 * died without closing, or a pooler that accepts LISTEN but never delivers,
 * turns the cache off within that time.
 */
#include "util/common.h"
#include "store/store_int.h"
#include "util/arena.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <time.h>

#define SLOTS 4096      /* direct-mapped by the token hash; a collision replaces */
#define CONFIRM_MS 3000 /* trust the link this long after its last notification */

struct scache_entry {
	char hash[65]; /* "" when empty */
	char csrf[65];
	int64_t last_seen;
	struct user u; /* strings point into text */
	char *text;
};

struct session_cache {
	pthread_mutex_t lock;
	bool on;
	int64_t confirmed_ms; /* monotonic time of the last notification or link up */
	uint64_t gen;
	struct scache_entry slots[SLOTS];
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* On, and heard from lately (under the lock). */
static bool trusted(const struct session_cache *sc)
{
	return sc->on && mono_ms() - sc->confirmed_ms <= CONFIRM_MS;
}

static struct scache_entry *slot(struct session_cache *sc, const char *hash)
{
	unsigned v = 0;

	for (int i = 0; i < 8 && hash[i]; i++)
		v = v * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : (hash[i] | 0x20) - 'a' + 10);
	return &sc->slots[v % SLOTS];
}

static void entry_clear(struct scache_entry *x)
{
	free(x->text);
	memset(x, 0, sizeof(*x));
}

/* Everything goes, and lookups in flight may not store what they read. */
static void clear_all(struct session_cache *sc)
{
	for (size_t i = 0; i < SLOTS; i++)
		if (sc->slots[i].hash[0])
			entry_clear(&sc->slots[i]);
	sc->gen++;
}

struct session_cache *scache_new(void)
{
	struct session_cache *sc = xcalloc(1, sizeof(*sc));

	pthread_mutex_init(&sc->lock, NULL);
	sc->gen = 1;
	return sc;
}

void scache_free(struct session_cache *sc)
{
	if (!sc)
		return;
	for (size_t i = 0; i < SLOTS; i++)
		free(sc->slots[i].text);
	pthread_mutex_destroy(&sc->lock);
	free(sc);
}

void scache_link(struct session_cache *sc, bool up)
{
	pthread_mutex_lock(&sc->lock);
	clear_all(sc);
	sc->on = up;
	sc->confirmed_ms = mono_ms();
	pthread_mutex_unlock(&sc->lock);
}

void scache_drop(struct session_cache *sc, const char *hash)
{
	if (!sc)
		return;
	pthread_mutex_lock(&sc->lock);
	if (hash) {
		struct scache_entry *x = slot(sc, hash);
		if (!strcmp(x->hash, hash))
			entry_clear(x);
		sc->gen++;
	} else {
		clear_all(sc);
	}
	pthread_mutex_unlock(&sc->lock);
}

void scache_note(struct session_cache *sc, const char *payload)
{
	pthread_mutex_lock(&sc->lock);
	sc->confirmed_ms = mono_ms();
	pthread_mutex_unlock(&sc->lock);
	/* "ping" proves the link; "s" + a token hash drops that session; anything else all. */
	if (!strcmp(payload, "ping"))
		return;
	if (payload[0] == 's' && strlen(payload) == 65)
		scache_drop(sc, payload + 1);
	else
		scache_drop(sc, NULL);
}

uint64_t scache_gen(struct session_cache *sc)
{
	uint64_t g;

	if (!sc)
		return 0;
	pthread_mutex_lock(&sc->lock);
	g = trusted(sc) ? sc->gen : 0;
	pthread_mutex_unlock(&sc->lock);
	return g;
}

static char *copy(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

bool scache_get(struct session_cache *sc, const char *hash, int64_t now, int64_t fresh, struct arena *a,
		struct user *out, char **csrf_out)
{
	struct scache_entry *x;
	bool hit = false;

	if (!sc)
		return false;
	pthread_mutex_lock(&sc->lock);
	x = slot(sc, hash);
	if (trusted(sc) && !strcmp(x->hash, hash) && now - x->last_seen < fresh && now >= x->last_seen) {
		*out = x->u;
		out->username = copy(a, x->u.username);
		out->display_name = copy(a, x->u.display_name);
		out->org_name = copy(a, x->u.org_name);
		out->org_path = copy(a, x->u.org_path);
		out->locked_until = copy(a, x->u.locked_until);
		out->created_at = copy(a, x->u.created_at);
		*csrf_out = arena_strdup(a, x->csrf);
		hit = true;
	}
	pthread_mutex_unlock(&sc->lock);
	return hit;
}

/* Appends s (or nothing for NULL) to the text block; returns where it went. */
static const char *pack(char **at, const char *s)
{
	const char *start = *at;
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	memcpy(*at, s, n);
	*at += n;
	return start;
}

static size_t len0(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

void scache_put(struct session_cache *sc, uint64_t gen, const char *hash, const struct user *u,
		const char *csrf, int64_t last_seen)
{
	struct scache_entry *x;
	char *text, *at;

	if (!sc || !gen || strlen(csrf) >= sizeof(x->csrf) || strlen(hash) != 64)
		return;
	text = xmalloc(len0(u->username) + len0(u->display_name) + len0(u->org_name) + len0(u->org_path) +
		       len0(u->locked_until) + len0(u->created_at) + 1);
	pthread_mutex_lock(&sc->lock);
	if (!trusted(sc) || sc->gen != gen) {
		pthread_mutex_unlock(&sc->lock);
		free(text);
		return;
	}
	x = slot(sc, hash);
	entry_clear(x);
	at = text;
	x->text = text;
	x->u = *u;
	x->u.username = pack(&at, u->username);
	x->u.display_name = pack(&at, u->display_name);
	x->u.org_name = pack(&at, u->org_name);
	x->u.org_path = pack(&at, u->org_path);
	x->u.locked_until = pack(&at, u->locked_until);
	x->u.created_at = pack(&at, u->created_at);
	snprintf(x->hash, sizeof(x->hash), "%s", hash);
	snprintf(x->csrf, sizeof(x->csrf), "%s", csrf);
	x->last_seen = last_seen;
	pthread_mutex_unlock(&sc->lock);
}
