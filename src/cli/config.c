/*
 * config.c: the settings table and its sources.
 */
#include "util/common.h"
#include "cli/config.h"
#include "util/xalloc.h"

enum setting_type { SET_STR, SET_INT };

struct setting {
	const char *name;
	enum setting_type type;
	size_t offset;
	const char *def;
	long min, max;
	const char *env;
	const char *help;
};

#define S(field, type, def, min, max, env, help) \
	{ \
#field, type, offsetof(struct config, field), def, min, max, env, help \
	}

static const struct setting settings[] = {
	S(db, SET_STR, "dangjian.db", 0, 0, "DJ_DB", "SQLite file or postgresql:// URL"),
	S(listen, SET_STR, "127.0.0.1:8080", 0, 0, "DJ_LISTEN",
	  "HOST:PORT to serve on (port 0: any free port)"),
	S(key_file, SET_STR, NULL, 0, 0, "DJ_KEY_FILE",
	  "key file (default: <db>.key, or dangjian.key for PostgreSQL)"),
	S(web_root, SET_STR, NULL, 0, 0, "DJ_WEB_ROOT",
	  "built web console (default: web/dist beside the program)"),
	S(files_dir, SET_STR, NULL, 0, 0, "DJ_FILES_DIR",
	  "meeting attachments (default: <db>.files, or dangjian-files for PostgreSQL)"),
	S(threads, SET_INT, "0", 0, 256, "DJ_THREADS", "worker threads (0: one per core)"),
	S(session_idle_minutes, SET_INT, "30", 1, 1440, "DJ_SESSION_IDLE_MINUTES",
	  "idle sessions expire after this"),
	S(session_cache, SET_INT, "1", 0, 1, "DJ_SESSION_CACHE",
	  "PostgreSQL: keep valid sessions in memory, dropped on the database's notifications"),
	S(pbkdf2_iterations, SET_INT, "100000", 1000, 10000000, "DJ_PBKDF2_ITERATIONS",
	  "PBKDF2-HMAC-SM3 cost of new password hashes"),
	S(lockout_failures, SET_INT, "5", 1, 100, "DJ_LOCKOUT_FAILURES",
	  "failed logins that lock an account"),
	S(lockout_window_minutes, SET_INT, "15", 1, 1440, "DJ_LOCKOUT_WINDOW_MINUTES",
	  "window counting failed logins"),
	S(lockout_minutes, SET_INT, "15", 1, 1440, "DJ_LOCKOUT_MINUTES",
	  "how long a locked account stays locked"),
	S(min_join_age, SET_INT, "18", 14, 30, "DJ_MIN_JOIN_AGE", "minimum age when joining (DEV-60)"),
	S(access_log, SET_INT, "1", 0, 1, "DJ_ACCESS_LOG", "one log line per request"),
	S(dues_retired_base, SET_STR, "basic_pension_2017", 0, 0, "DJ_DUES_RETIRED_BASE",
	  "retired members' dues base: basic_pension_2017 or total_2008 (DUES-04)"),
	S(dues_rebase, SET_STR, "yearly_january", 0, 0, "DJ_DUES_REBASE",
	  "when a changed income counts: yearly_january or on_change (DUES-09)"),
	S(dues_rounding_unit_fen, SET_INT, "1", 1, 100, "DJ_DUES_ROUNDING_UNIT_FEN",
	  "round dues half up to this many fen (DUES-12)"),
	S(dues_farmer_amount_fen, SET_INT, "20", 20, 100, "DJ_DUES_FARMER_AMOUNT_FEN",
	  "farmers' monthly dues in fen (DUES-05)"),
	S(dues_max_prepay_months, SET_INT, "3", 0, 12, "DJ_DUES_MAX_PREPAY_MONTHS",
	  "months that may be paid ahead (DUES-10)"),
	S(meeting_rules, SET_STR, "", 0, 0, "DJ_MEETING_RULES",
	  "required meeting frequencies, e.g. \"theme_day=1/month;party_lecture=1/quarter\" (RULES.md 3.3)"),
	S(meeting_general_quorum_strict, SET_INT, "0", 0, 1, "DJ_MEETING_GENERAL_QUORUM_STRICT",
	  "1: general votes need more than half present, as development votes do (MTG-10)"),
	S(dues_max_arrears_months, SET_INT, "6", 0, 12, "DJ_DUES_MAX_ARREARS_MONTHS",
	  "months of arrears payable without consent (DUES-10)"),
	S(dev_rules, SET_STR, "", 0, 0, "DJ_DEV_RULES",
	  "member development numbers per rule version, e.g. \"2014.activist_months=12;2026.publicity_working_days=7\" (RULES.md 1)"),
	S(dev_rule_version, SET_INT, "0", 0, 2026, "DJ_DEV_RULE_VERSION",
	  "rule version of new development cases: 2014, 2026, or 0 by application date (DEV-00)"),
	S(letter_validity_days, SET_INT, "90", 1, 180, "DJ_LETTER_VALIDITY_DAYS",
	  "validity of an introduction letter in days (XFER-06)"),
	S(letter_validity_cross_province_days, SET_INT, "90", 1, 180,
	  "DJ_LETTER_VALIDITY_CROSS_PROVINCE_DAYS",
	  "validity of a letter to another province in days, may be 180 (XFER-06)"),
	S(receipt_days, SET_INT, "30", 1, 180, "DJ_RECEIPT_DAYS",
	  "days after the letter's validity within which the receipt is expected (XFER-05)"),
};

static int apply(struct config *c, const struct setting *s, const char *value, const char *source)
{
	char *p = (char *)c + s->offset;

	if (s->type == SET_STR) {
		/* Defaults, the environment and argv live as long as the process; only a config
		 * file's lines need copies, kept reachable here for the same lifetime. */
		static char *copies[64];
		static size_t ncopies;
		if (value && !strncmp(source, "file ", 5)) {
			if (ncopies == ARRAY_SIZE(copies)) {
				fprintf(stderr, "error: %s: too many settings\n", source);
				return -1;
			}
			value = copies[ncopies++] = xstrdup(value);
		}
		*(const char **)p = value;
		return 0;
	}
	{
		char *end;
		long v;
		errno = 0;
		v = strtol(value, &end, 10);
		if (errno || *end || end == value || v < s->min || v > s->max) {
			fprintf(stderr,
				"error: %s: setting '%s' must be an integer from %ld to %ld, not '%s'\n",
				source, s->name, s->min, s->max, value);
			return -1;
		}
		*(long *)p = v;
	}
	return 0;
}

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++)
		if (settings[i].def && apply(c, &settings[i], settings[i].def, "default") < 0)
			BUG("bad default for %s", settings[i].name);
}

int config_apply_env(struct config *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
		const char *v = getenv(settings[i].env);
		char src[64];
		if (!v || !*v)
			continue;
		snprintf(src, sizeof(src), "environment %s", settings[i].env);
		if (apply(c, &settings[i], v, src) < 0)
			return -1;
	}
	return 0;
}

int config_init(struct config *c)
{
	config_defaults(c);
	return config_apply_env(c);
}

int config_set(struct config *c, const char *name, const char *value, const char *source)
{
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++)
		if (!strcmp(settings[i].name, name))
			return apply(c, &settings[i], value, source);
	fprintf(stderr, "error: %s: unknown setting '%s'\n", source, name);
	return -1;
}

int config_load_file(struct config *c, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int lineno = 0, rc = 0;

	if (!f) {
		fprintf(stderr, "error: cannot open config file '%s': %s\n", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		char *k = line, *eq, *v, *end, src[300];
		lineno++;
		while (*k == ' ' || *k == '\t')
			k++;
		if (*k == '#' || *k == '\n' || !*k)
			continue;
		eq = strchr(k, '=');
		snprintf(src, sizeof(src), "file %s:%d", path, lineno);
		if (!eq) {
			fprintf(stderr, "error: %s: expected 'name = value'\n", src);
			rc = -1;
			break;
		}
		for (end = eq; end > k && (end[-1] == ' ' || end[-1] == '\t'); end--)
			;
		*end = '\0';
		for (v = eq + 1; *v == ' ' || *v == '\t'; v++)
			;
		v[strcspn(v, "\r\n")] = '\0';
		rc = config_set(c, k, v, src);
	}
	fclose(f);
	return rc;
}

void config_print_help(void)
{
	printf("\nSettings (default < --config FILE < environment < flag):\n");
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++)
		printf("  %-24s %-26s %s (default %s)\n", settings[i].name, settings[i].env, settings[i].help,
		       settings[i].def ? settings[i].def : "see text");
}
