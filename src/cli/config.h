/*
 * config.h: every setting in one table (name, type, default, range,
 * environment variable, help), as redis's static_configs[]. Precedence:
 * default < config file (--config FILE, "name = value" lines) <
 * environment < command-line flag. Values are checked at startup and
 * errors name their source and key.
 */
#ifndef DJ_CLI_CONFIG_H
#define DJ_CLI_CONFIG_H

#include <stdbool.h>

struct config {
	const char *db;
	const char *listen;
	const char *key_file;
	const char *web_root;
	const char *files_dir;
	long threads;
	long session_idle_minutes;
	long session_cache;
	long pbkdf2_iterations;
	long lockout_failures;
	long lockout_window_minutes;
	long lockout_minutes;
	long min_join_age;
	long access_log;
	/* Party dues (RULES.md section 2; the [P]/[U] choices with their documented defaults). */
	const char *dues_retired_base; /* basic_pension_2017 | total_2008 */
	const char *dues_rebase;       /* yearly_january | on_change */
	long dues_rounding_unit_fen;
	long dues_farmer_amount_fen;
	long dues_max_prepay_months;
	long dues_max_arrears_months;
	/* Organisational life (RULES.md 3.3): frequency overrides and MTG-10's strict quorum. */
	const char *meeting_rules;
	long meeting_general_quorum_strict;
	/* Member development (RULES.md 1): overrides of the versioned numbers, default version of new cases.
	 */
	const char *dev_rules;
	long dev_rule_version;
	/* Transfers (RULES.md 4.1, XFER-06): letter validity and the receipt deadline. */
	long letter_validity_days;
	long letter_validity_cross_province_days;
	long receipt_days;
};

/* Fills defaults, then the environment. Returns 0 or -1 (message printed). */
int config_init(struct config *c);
void config_defaults(struct config *c);
/* Applies the DJ_* environment variables. Returns 0 or -1 (message printed). */
int config_apply_env(struct config *c);
/* Reads a "name = value" file. Returns 0 or -1 (message printed). */
int config_load_file(struct config *c, const char *path);
/* Sets one setting by name from a flag; -1 (message printed) when bad. */
int config_set(struct config *c, const char *name, const char *value, const char *source);
/* Prints the settings table (for --help). */
void config_print_help(void);

#endif
