/*
 * store_fixture.h: the fixture of the store suites (test_store_contract.c,
 * test_store_lifecycle.c): each test gets a fresh database, SQLite always
 * and PostgreSQL when DJ_TEST_PG_URL names a server. Included once by each
 * suite, after it defines STORE_FIXTURE_DB, the prefix of its PostgreSQL
 * database names.
 */
#ifndef STORE_FIXTURE_DB
#error "define STORE_FIXTURE_DB before including store_fixture.h"
#endif

/* RULES.md CODE-23 examples. */
#define ID_F1949 "11010519491231002X"
#define ID_M1880 "440524188001010014"
#define ID_M1990 "320106199003071234"

struct backend {
	const char *name;
	bool pg;
	const char *base_url; /* PostgreSQL: the server's database named in the environment */
};

static const struct backend *cur;
static int db_seq;

struct fx {
	char dir[64];
	char url[512];
	char key_file[128];
	char pg_db[64]; /* database created for this test */
	struct store *s;
	struct sconn *c;
	struct arena *a;
	struct actor who;
};

/* ---- helpers ---------------------------------------------------------- */

/* base URL with its database name replaced (query string kept). */
static void url_with_db(const char *base, const char *dbname, char *out, size_t n)
{
	const char *scheme = strstr(base, "://");
	const char *slash = strchr(scheme ? scheme + 3 : base, '/');
	const char *query = strchr(base, '?');

	if (!slash || (query && slash > query))
		slash = query ? query : base + strlen(base);
	snprintf(out, n, "%.*s/%s%s", (int)(slash - base), base, dbname, query ? query : "");
}

static void pg_admin(const char *sql)
{
	struct err e = ERR_INIT;
	struct db *db = NULL;

	if (db_pg_driver.open(cur->base_url, &db, &e) < 0)
		fail_msg("cannot connect to %s: %s", cur->base_url, e.message);
	if (db->drv->exec(db, sql, &e) < 0)
		fail_msg("%s: %s", sql, e.message);
	db->drv->close(db);
}

/*
 * Creates a database, preferring a pinyin (ICU zh) default collation so the
 * paths' COLLATE "C" is what keeps subtree ranges bytewise.
 */
static void pg_create_db(const char *name)
{
	static int icu = 1;
	struct err e = ERR_INIT;
	struct db *db = NULL;
	char sql[256];

	if (db_pg_driver.open(cur->base_url, &db, &e) < 0)
		fail_msg("cannot connect to %s: %s", cur->base_url, e.message);
	if (icu) {
		snprintf(sql, sizeof(sql),
			 "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'"
			 " LOCALE_PROVIDER icu ICU_LOCALE 'zh'",
			 name);
		if (db->drv->exec(db, sql, &e) < 0) {
			printf("# no ICU collation (%s); databases use the cluster's default\n", e.message);
			err_clear(&e);
			icu = 0;
		}
	}
	if (!icu) {
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
		if (db->drv->exec(db, sql, &e) < 0)
			fail_msg("%s: %s", sql, e.message);
	}
	db->drv->close(db);
}

static int open_store(struct fx *f, struct err *e)
{
	struct store_opts o = {
		.url = f->url, .key_file = f->key_file, .create = true, .pbkdf2_iterations = 1000
	};

	f->c = NULL;
	if (store_open(&o, &f->s, e) < 0) {
		f->s = NULL;
		return -1;
	}
	f->c = store_conn(f->s, e);
	assert_non_null(f->c);
	return 0;
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	struct err e = ERR_INIT;

	snprintf(f->dir, sizeof(f->dir), "/tmp/dj-store-test.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->key_file, sizeof(f->key_file), "%s/test.key", f->dir);
	if (cur->pg) {
		char sql[128];

		snprintf(f->pg_db, sizeof(f->pg_db), STORE_FIXTURE_DB "_%ld_%d", (long)getpid(), ++db_seq);
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", f->pg_db);
		pg_admin(sql);
		pg_create_db(f->pg_db);
		url_with_db(cur->base_url, f->pg_db, f->url, sizeof(f->url));
	} else {
		snprintf(f->url, sizeof(f->url), "%s/test.db", f->dir);
	}
	if (open_store(f, &e) < 0)
		fail_msg("store_open(%s): %s %s", f->url, e.code, e.message);
	f->a = arena_new();
	f->who.user_id = 0;
	f->who.name = "cli";
	*state = f;
	return 0;
}

static void rm_dir(const char *dir)
{
	char path[256];
	static const char *const names[] = { "test.db", "test.db-wal", "test.db-shm", "test.key" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static int teardown(void **state)
{
	struct fx *f = *state;

	store_free(f->s);
	arena_free(f->a);
	if (cur->pg) {
		char sql[128];

		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", f->pg_db);
		pg_admin(sql);
	}
	rm_dir(f->dir);
	free(f);
	return 0;
}

/* ---- helpers shared by the suites ---- */

/* First column of the first row of a parameterless query, as an integer. */
static int64_t raw_int(struct fx *f, const char *sql)
{
	struct err e = ERR_INIT;
	struct q q = Q_INIT;
	int64_t v = -1;

	assert_int_equal(q_prepare(&q, f->c->db, sql, &e), 0);
	if (q_step(&q, &e) == 1)
		v = q_col_int(&q, 0);
	q_finish(&q);
	assert_false(err_is_set(&e));
	return v;
}

static int64_t add_org(struct fx *f, int64_t parent, const char *name, int type)
{
	struct err e = ERR_INIT;
	struct org o = { 0 };

	o.parent_id = parent;
	o.name = name;
	o.type = type;
	o.field = FIELD_ENTERPRISE;
	o.elected_on = (struct date){ 2022, 3, 1 };
	o.remarks = "";
	if (store_org_insert(f->c, f->a, &o, &e) < 0)
		fail_msg("org insert %s: %s", name, e.message);
	return o.id;
}

static const char *org_path(struct fx *f, int64_t id)
{
	struct err e = ERR_INIT;
	struct org o;

	if (store_org_get(f->c, f->a, NULL, id, &o, &e) < 0)
		fail_msg("org get %lld: %s", (long long)id, e.message);
	return o.path;
}

static void fill_member(struct member *m, int64_t org, const char *name, const char *id_card, int gender,
			struct date birth)
{
	memset(m, 0, sizeof(*m));
	m->org_id = org;
	m->name = name;
	m->gender = gender;
	snprintf(m->ethnicity, sizeof(m->ethnicity), "01");
	m->birth_date = birth;
	m->id_card = id_card;
	snprintf(m->education, sizeof(m->education), "21");
	m->native_place = "北京";
	m->category = CAT_IN_SERVICE;
	m->status = STATUS_FULL;
	m->joined_on = (struct date){ 2015, 7, 1 };
	m->full_member_on = (struct date){ 2016, 7, 1 };
	m->work_unit = "某单位";
	m->job = "";
	m->remarks = "";
}

static int64_t add_member(struct fx *f, int64_t org, const char *name, const char *id_card, int gender,
			  struct date birth, const char *phone)
{
	struct err e = ERR_INIT;
	struct member m;

	fill_member(&m, org, name, id_card, gender, birth);
	m.phone = phone;
	if (store_member_insert(f->c, &m, &e) < 0)
		fail_msg("member insert %s: %s", name, e.message);
	assert_true(m.id > 0);
	return m.id;
}
