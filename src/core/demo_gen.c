/*
 * demo_gen.c: the demo generator's state and output: a xoshiro256** stream,
 * sharing members out over branches, terms, figures, committee posts and
 * one member at a time with no allocation per member. The two trees are
 * built in demo_gen_tree.c, the tables live in demo_names.c.
 */
#include "util/common.h"
#include "core/demo_gen.h"
#include "core/demo_gen_int.h"
#include "core/idcard.h"
#include "util/arena.h"
#include "util/xalloc.h"

/* ---- PRNG: splitmix64 seeds xoshiro256** (both public domain, Vigna) ---- */

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void demo_rng_seed(struct demo_rng *r, uint64_t seed)
{
	uint64_t x = seed;

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t demo_rng_next(struct demo_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Lemire's multiply-shift; the bias (n / 2^32) does not matter here. */
uint32_t demo_rng_below(struct demo_rng *r, uint32_t n)
{
	return (uint32_t)(((demo_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static inline uint32_t below(struct demo_gen *g, uint32_t n)
{
	return demo_rng_below(&g->rng, n);
}

/* ---- weighted tables ---- */

static uint32_t *build_cum(const struct demo_wstr *t, int *n_out)
{
	int n = 0;
	uint32_t sum = 0, *cum;

	while (t[n].s)
		n++;
	cum = xmalloc(sizeof(*cum) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		sum += t[i].w;
		cum[i] = sum;
	}
	*n_out = n;
	return cum;
}

/* Index of a weighted draw from cumulative weights cum[0..n-1]. */
static int pick(struct demo_gen *g, const uint32_t *cum, int n)
{
	uint32_t r = below(g, cum[n - 1]);
	int lo = 0, hi = n - 1;

	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (cum[mid] > r)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h | 1; /* never 0, the empty slot */
}

static void banned_add(struct demo_gen *g, const char *name)
{
	uint64_t h = fnv1a(name);
	size_t i = h & (ARRAY_SIZE(g->banned) - 1);

	while (g->banned[i] && g->banned[i] != h)
		i = (i + 1) & (ARRAY_SIZE(g->banned) - 1);
	g->banned[i] = h;
}

static bool banned_has(const struct demo_gen *g, const char *name)
{
	uint64_t h = fnv1a(name);
	size_t i = h & (ARRAY_SIZE(g->banned) - 1);

	for (; g->banned[i]; i = (i + 1) & (ARRAY_SIZE(g->banned) - 1))
		if (g->banned[i] == h)
			return true;
	return false;
}

/* ---- building blocks used by demo_gen_tree.c ---- */

int demo_profile_for_field(int field)
{
	switch (field) {
	case FIELD_ORGAN:
		return P_ORGAN;
	case FIELD_ENTERPRISE:
		return P_ENTERPRISE;
	case FIELD_HOSPITAL:
		return P_HOSPITAL;
	case FIELD_SCHOOL:
		return P_SCHOOL;
	case FIELD_RURAL:
		return P_RURAL;
	case FIELD_COMMUNITY:
		return P_COMMUNITY;
	case FIELD_SOCIAL:
		return P_SOCIAL;
	default:
		return P_INSTITUTION;
	}
}

int demo_add_org(struct demo_gen *g, int parent, const char *name, int type, int field, enum demo_term term)
{
	struct org *o;
	int i = g->norgs;

	if (g->norgs == g->caporgs) {
		g->caporgs = g->caporgs ? 2 * g->caporgs : 256;
		g->orgs = xrealloc(g->orgs, sizeof(*g->orgs) * (size_t)g->caporgs);
		g->org_term = xrealloc(g->org_term, (size_t)g->caporgs);
		g->org_slot = xrealloc(g->org_slot, sizeof(int) * (size_t)g->caporgs);
	}
	o = &g->orgs[i];
	memset(o, 0, sizeof(*o));
	o->id = i + 1;
	o->parent_id = parent >= 0 ? parent + 1 : 0;
	o->name = name;
	o->path = parent >= 0 ? arena_printf(g->arena, "%s%d/", g->orgs[parent].path, i + 1)
			      : arena_printf(g->arena, "/%d/", i + 1);
	o->type = type;
	o->field = field;
	if (parent >= 0)
		o->sort_order = ++g->orgs[parent].children;
	g->org_term[i] = (unsigned char)term;
	g->org_slot[i] = -1;
	g->norgs++;
	return i;
}

void demo_add_slot(struct demo_gen *g, int org, unsigned w, int fixed_size, int prob, int profile,
		   const char *unit)
{
	struct demo_slot *s;

	if (g->nslots == g->capslots) {
		g->capslots = g->capslots ? 2 * g->capslots : 256;
		g->slots = xrealloc(g->slots, sizeof(*g->slots) * (size_t)g->capslots);
	}
	s = &g->slots[g->nslots];
	memset(s, 0, sizeof(*s));
	s->org = org;
	s->w = w;
	s->fixed = fixed_size > 0;
	s->size = fixed_size;
	s->prob = prob;
	s->profile = (unsigned char)profile;
	s->unit = unit;
	g->org_slot[org] = g->nslots++;
}

/* ---- finishing the tree: sizes, probationers, terms, figures, posts ---- */

/* Shares g->members out: fixed slots first, the rest in proportion to the weights. */
static void apportion(struct demo_gen *g)
{
	uint64_t rest = (uint64_t)g->members, wsum = 0, cum = 0, prev = 0;
	int first = 0;

	for (int i = 0; i < g->nslots; i++) {
		struct demo_slot *s = &g->slots[i];
		if (s->fixed) {
			if ((uint64_t)s->size > rest)
				s->size = (int)rest;
			rest -= (uint64_t)s->size;
		} else {
			wsum += s->w;
		}
	}
	for (int i = 0; i < g->nslots; i++) {
		struct demo_slot *s = &g->slots[i];
		if (!s->fixed) {
			uint64_t upto;
			cum += s->w;
			upto = wsum ? rest * cum / wsum : 0;
			s->size = (int)(upto - prev);
			prev = upto;
		}
		if (s->prob > s->size)
			s->prob = s->size;
		s->first = first;
		first += s->size;
	}
	/* Weights of zero everywhere: give the rest to the first slot. */
	if (wsum == 0 && rest && g->nslots) {
		g->slots[0].size += (int)rest;
		for (int i = 1; i < g->nslots; i++)
			g->slots[i].first += (int)rest;
	}
}

/* About 3 % of working members joined within the last year (never in retired branches). */
static void choose_probationers(struct demo_gen *g)
{
	for (int i = 0; i < g->nslots; i++) {
		struct demo_slot *s = &g->slots[i];
		int n;

		if (s->profile == P_RETIRED || s->fixed)
			continue;
		n = s->size - s->prob;
		for (int k = 0; k < n; k++)
			if (demo_rng_below(&g->trng, 1000) < 30)
				s->prob++;
		/* Keep a secretary who is a full member. */
		if (s->size > 0 && s->prob >= s->size)
			s->prob = s->size - 1;
	}
}

static void set_terms(struct demo_gen *g)
{
	for (int i = 0; i < g->norgs; i++) {
		struct org *o = &g->orgs[i];
		int years = org_default_term_years(o->type, o->field);
		long term_days = 365L * years + years / 4, d;

		switch (g->org_term[i]) {
		case TERM_OVERDUE:
			d = term_days + 10 + demo_rng_below(&g->trng, 290);
			break;
		case TERM_DUE_SOON:
			d = term_days - 80 + demo_rng_below(&g->trng, 70);
			break;
		case TERM_NORMAL:
			d = 60 + demo_rng_below(&g->trng, (uint32_t)(term_days - 180));
			break;
		default:
			continue;
		}
		o->elected_on = date_from_days(g->today_days - d);
	}
}

static void add_role(struct demo_gen *g, int org, int64_t member_id, int role)
{
	if (g->nroles == g->caproles) {
		g->caproles = g->caproles ? 2 * g->caproles : 256;
		g->roles = xrealloc(g->roles, sizeof(*g->roles) * (size_t)g->caproles);
	}
	g->roles[g->nroles++] = (struct demo_role){ g->orgs[org].id, member_id, role };
	g->orgs[org].committee_size++;
}

static const int roles3[] = { CROLE_SECRETARY, CROLE_ORGANIZATION, CROLE_PUBLICITY };
static const int roles5[] = { CROLE_SECRETARY, CROLE_DEPUTY_SECRETARY, CROLE_ORGANIZATION, CROLE_PUBLICITY,
			      CROLE_DISCIPLINE };
static const int roles7[] = { CROLE_SECRETARY,  CROLE_DEPUTY_SECRETARY, CROLE_ORGANIZATION, CROLE_PUBLICITY,
			      CROLE_DISCIPLINE, CROLE_MEMBER,           CROLE_MEMBER };

#define HOLDER_BRANCHES 3

/*
 * Posts of a general branch or party committee go to members of its first
 * (up to three) working branches, after their own branch committee, so that
 * the 厅直机关党委 is staffed from the 厅机关 branches.
 */
static void committee_posts(struct demo_gen *g, int org, const int *roles, int nroles)
{
	int br[HOLDER_BRANCHES], n = 0;
	int64_t taken[8];
	int ntaken = 0;

	for (int pass = 0; pass < 2 && n == 0; pass++)
		for (int j = org + 1; j < g->org_end[org] && n < HOLDER_BRANCHES; j++) {
			int si = g->org_slot[j];
			if (si < 0 || g->slots[si].size - g->slots[si].prob < 1)
				continue;
			if (pass == 0 && g->slots[si].profile == P_RETIRED)
				continue;
			br[n++] = si;
		}
	for (int k = 0; k < nroles && n > 0; k++) {
		const struct demo_slot *s = &g->slots[br[k % n]];
		int full = s->size - s->prob, p = s->committee + k / n;
		int64_t id;
		bool dup = false;

		if (p >= full)
			p = (k / n) % full;
		id = s->first + p + 1;
		for (int t = 0; t < ntaken; t++)
			dup |= taken[t] == id;
		if (dup)
			continue;
		taken[ntaken++] = id;
		add_role(g, org, id, roles[k]);
	}
}

static void assign_posts(struct demo_gen *g)
{
	/* Branch committees first: the parents' holders depend on their sizes. */
	for (int i = 0; i < g->nslots; i++) {
		struct demo_slot *s = &g->slots[i];
		int full = s->size - s->prob;
		s->committee = full >= 7 ? (full < 15 ? 3 : 5) : (full >= 1 ? 1 : 0);
	}
	for (int i = 0; i < g->norgs; i++) {
		int type = g->orgs[i].type, si = g->org_slot[i];

		if (si >= 0) {
			const struct demo_slot *s = &g->slots[si];
			const int *r = s->committee == 5 ? roles5 : roles3;
			for (int k = 0; k < s->committee; k++)
				add_role(g, i, s->first + k + 1, r[k]);
		} else if (type == ORG_PARTY_COMMITTEE) {
			committee_posts(g, i, roles7, (int)ARRAY_SIZE(roles7));
		} else if (type == ORG_GENERAL_BRANCH) {
			committee_posts(g, i, roles5, (int)ARRAY_SIZE(roles5));
		}
	}
}

static void fill_figures(struct demo_gen *g)
{
	g->org_end = xmalloc(sizeof(int) * (size_t)(g->norgs ? g->norgs : 1));
	for (int i = 0; i < g->norgs; i++) {
		int si = g->org_slot[i];
		g->org_end[i] = i + 1;
		if (si >= 0) {
			g->orgs[i].full_count = g->slots[si].size - g->slots[si].prob;
			g->orgs[i].probationary_count = g->slots[si].prob;
			g->orgs[i].subtree_members = g->slots[si].size;
		}
	}
	for (int i = g->norgs - 1; i > 0; i--) {
		int p = (int)g->orgs[i].parent_id - 1;
		if (g->org_end[i] > g->org_end[p])
			g->org_end[p] = g->org_end[i];
		g->orgs[p].subtree_members += g->orgs[i].subtree_members;
	}
}

/* ---- life cycle ---- */

struct demo_gen *demo_gen_new(uint64_t seed, int members, struct date today)
{
	struct demo_gen *g = xcalloc(1, sizeof(*g));
	uint64_t x = seed ^ 0x6a09e667f3bcc909ULL;
	size_t cap = 1024;

	assert(members >= 0 && date_is_set(today));
	g->today = today;
	g->today_days = date_to_days(today);
	g->members = members;
	g->seed = seed;
	demo_rng_seed(&g->rng, seed);
	demo_rng_seed(&g->trng, splitmix64(&x));
	g->phone_off = splitmix64(&x) % 100000000u;
	g->arena = arena_new();

	g->cum_surname = build_cum(demo_surnames, &g->n_surname);
	g->cum_region = build_cum(demo_regions, &g->n_region);
	g->cum_eth = build_cum(demo_ethnicities, &g->n_eth);
	for (int p = 0; p < P_COUNT; p++)
		g->cum_edu[p] = build_cum(demo_profiles[p].edu, &g->n_edu[p]);
	g->n_male = demo_chars(demo_given_male);
	g->n_female = demo_chars(demo_given_female);
	for (int i = 0; demo_banned_names[i]; i++)
		banned_add(g, demo_banned_names[i]);
	for (int a = 0; a < (int)ARRAY_SIZE(g->age_lo); a++) {
		g->age_hi[a] = date_to_days(date_add_months(today, -12 * a));
		g->age_lo[a] = date_to_days(date_add_months(today, -12 * (a + 1))) + 1;
	}
	g->today_minus_year = date_to_days(date_add_months(today, -12));

	if (members >= DEMO_GEN_LARGE)
		demo_build_province(g);
	else
		demo_build_default(g);
	apportion(g);
	choose_probationers(g);
	fill_figures(g);
	set_terms(g);
	assign_posts(g);

	while (cap < 2 * (size_t)members)
		cap *= 2;
	g->idset = xcalloc(cap, sizeof(*g->idset));
	g->idmask = cap - 1;
	return g;
}

void demo_gen_free(struct demo_gen *g)
{
	if (!g)
		return;
	arena_free(g->arena);
	free(g->orgs);
	free(g->org_term);
	free(g->org_end);
	free(g->org_slot);
	free(g->slots);
	free(g->roles);
	free(g->idset);
	free(g->cum_surname);
	free(g->cum_region);
	free(g->cum_eth);
	for (int p = 0; p < P_COUNT; p++)
		free(g->cum_edu[p]);
	free(g);
}

int demo_gen_orgs(struct demo_gen *g, const struct org **out)
{
	*out = g->orgs;
	return g->norgs;
}

int demo_gen_member_count(const struct demo_gen *g)
{
	return g->members;
}

int demo_gen_roles(struct demo_gen *g, const struct demo_role **out)
{
	*out = g->roles;
	return g->nroles;
}

/* ---- members ---- */

static char *put_digits(char *p, uint64_t v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

static void make_name(struct demo_gen *g, bool male, bool older)
{
	const char *chars = male ? demo_given_male : demo_given_female;
	uint32_t nchars = (uint32_t)(male ? g->n_male : g->n_female);

	do {
		const char *sur = demo_surnames[pick(g, g->cum_surname, g->n_surname)].s;
		size_t len = strlen(sur);
		int given = below(g, 100) < (older ? 35u : 15u) ? 1 : 2;

		memcpy(g->name, sur, len);
		for (int k = 0; k < given; k++) {
			memcpy(g->name + len, chars + 3 * below(g, nchars), 3);
			len += 3;
		}
		/* Two equal characters (建建) read oddly: make it a one-character name. */
		if (given == 2 && !memcmp(g->name + len - 3, g->name + len - 6, 3))
			len -= 3;
		g->name[len] = '\0';
	} while (banned_has(g, g->name));
}

/* Adds the first 17 digits as a number to the set; false if already there. */
static bool id_insert(struct demo_gen *g, uint64_t key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) & g->idmask;

	for (; g->idset[i]; i = (i + 1) & g->idmask)
		if (g->idset[i] == key)
			return false;
	g->idset[i] = key;
	return true;
}

static void make_id_card(struct demo_gen *g, const char *region, struct date birth, bool male)
{
	uint64_t ymd = (uint64_t)birth.y * 10000 + (uint64_t)birth.m * 100 + (uint64_t)birth.d;
	uint64_t code = strtoull(region, NULL, 10);
	uint32_t seq = below(g, 500) * 2 + (male ? 1 : 0);
	int tries = 0;
	char *p;

	/* Sequence numbers 000..999 keep the parity that encodes the gender. */
	while (!id_insert(g, (code * 100000000 + ymd) * 1000 + seq)) {
		seq = (seq + 2) % 1000;
		if (++tries == 500)
			BUG("demo: no identity number left for %s %08llu", region, (unsigned long long)ymd);
	}
	p = put_digits(g->id_card, code, 6);
	p = put_digits(p, ymd, 8);
	p = put_digits(p, seq, 3);
	*p = '\0';
	p[0] = idcard_check_char(g->id_card);
	p[1] = '\0';
}

static int age_draw(struct demo_gen *g, int lo, int hi)
{
	uint32_t n = (uint32_t)(hi - lo + 1);
	/* Average of two draws: most members are in mid-career. */
	return lo + (int)((below(g, n) + below(g, n)) / 2);
}

static void gen_member(struct demo_gen *g, const struct demo_slot *s, int p, struct member *m)
{
	const struct demo_profile_spec *pf = &demo_profiles[s->profile];
	bool prob = p >= s->size - s->prob;
	bool male = below(g, 100) < pf->male_pct;
	int retire_age = male ? 60 : 55, age, category = CAT_IN_SERVICE, tier;
	const struct demo_wstr *region;
	const char *const *jobs;
	long birth_days, joined_days;
	struct date birth;
	uint64_t phone;
	size_t njobs = 0;

	if (s->profile == P_RETIRED)
		age = retire_age + (int)below(g, (uint32_t)(86 - retire_age));
	else if (prob)
		age = 23 + (int)below(g, s->profile == P_RURAL ? 23 : 13);
	else if (p == 0)
		age = 38 + (int)below(g, (uint32_t)(retire_age - 38)); /* the secretary */
	else if (s->profile == P_RURAL || s->profile == P_COMMUNITY)
		age = age_draw(g, 23, 85);
	else
		age = age_draw(g, 23, retire_age - 1);

	birth_days = g->age_lo[age] + below(g, (uint32_t)(g->age_hi[age] - g->age_lo[age] + 1));
	birth = date_from_days(birth_days);

	if (prob) {
		joined_days = g->today_days - 10 - below(g, 340);
	} else {
		/* 20 years of age at least (366-day years round up), a full year before today. */
		long lo = birth_days + 20 * 366;
		long hi = birth_days + 45 * 365;
		uint64_t span, r = below(g, 1024);
		if (hi > g->today_minus_year)
			hi = g->today_minus_year;
		span = (uint64_t)(hi - lo);
		joined_days = lo + (long)(span * r * r / (1024 * 1024)); /* most join young */
	}

	if (s->profile == P_RETIRED)
		category = CAT_RETIRED;
	else if (s->profile == P_RURAL)
		category = CAT_FARMER;
	else if (s->profile == P_COMMUNITY)
		category = age >= retire_age ? CAT_RETIRED : CAT_OTHER;

	memset(m, 0, sizeof(*m));
	m->id = g->produced + 1;
	m->org_id = g->orgs[s->org].id;
	make_name(g, male, age >= 55);
	m->name = g->name;
	m->gender = male ? GENDER_MALE : GENDER_FEMALE;
	memcpy(m->ethnicity, demo_ethnicities[pick(g, g->cum_eth, g->n_eth)].s, 3);
	m->birth_date = birth;
	region = &demo_regions[pick(g, g->cum_region, g->n_region)];
	make_id_card(g, region->s, birth, male);
	m->id_card = g->id_card;
	memcpy(m->education, pf->edu[pick(g, g->cum_edu[s->profile], g->n_edu[s->profile])].s, 3);

	/* The suffix is a bijection of the member number modulo 10^8: unique by construction. */
	phone = (uint64_t)demo_phone_prefixes[below(g, (uint32_t)demo_phone_prefix_count)] * 100000000u +
		((uint64_t)g->produced * 73939133u + g->phone_off) % 100000000u;
	put_digits(g->phone, phone, 11);
	g->phone[11] = '\0';
	m->phone = g->phone;

	m->native_place = region->x;
	m->category = category;
	m->status = prob ? STATUS_PROBATIONARY : STATUS_FULL;
	m->joined_on = date_from_days(joined_days);
	m->full_member_on = prob ? DATE_NONE : date_add_months(m->joined_on, 12);
	m->work_unit = s->unit;

	tier = p == 0 || age >= 45 ? 2 : age >= 32 ? 1 : 0;
	jobs = category == CAT_RETIRED && s->profile == P_COMMUNITY ? demo_profiles[P_RETIRED].jobs[0]
								    : pf->jobs[tier];
	while (jobs[njobs])
		njobs++;
	m->job = jobs[below(g, (uint32_t)njobs)];
	/* Village and community secretaries usually also chair the committee (一肩挑). */
	if (p == 0 && !prob && s->profile == P_RURAL)
		m->job = "村党支部书记、村委会主任";
	else if (p == 0 && !prob && s->profile == P_COMMUNITY)
		m->job = "社区党支部书记、居委会主任";
}

int demo_gen_next_member(struct demo_gen *g, struct member *out)
{
	while (g->cur_slot < g->nslots && g->cur_pos >= g->slots[g->cur_slot].size) {
		g->cur_slot++;
		g->cur_pos = 0;
	}
	if (g->cur_slot >= g->nslots)
		return 0;
	gen_member(g, &g->slots[g->cur_slot], g->cur_pos++, out);
	g->produced++;
	return 1;
}
