/*
 * io_fixtures.h: shared by the member import/export tests: a tiny
 * organisation tree behind the resolve_org/org_path callbacks, a fake
 * "already stored" identity number, and valid identity numbers made with
 * the real check character.
 */
#ifndef DJ_TEST_IO_FIXTURES_H
#define DJ_TEST_IO_FIXTURES_H

#include "core/idcard.h"
#include "io/member_import.h"

static const struct {
	int64_t id;
	const char *name, *path;
} fx_orgs[] = {
	{ 10, "厅直机关党委", "厅直机关党委" },
	{ 11, "第一党支部", "厅直机关党委/省公路局党委/第一党支部" },
	{ 12, "第二党支部", "厅直机关党委/省公路局党委/第二党支部" },
	{ 13, "信息中心党支部", "厅直机关党委/厅信息中心党支部" },
};

static const char *const fx_stored_id = "11010519491231002X";

static __attribute__((unused)) int fx_resolve_org(void *ctx, const char *text, int64_t *org_id_out)
{
	(*(int *)ctx)++; /* counts calls */
	for (size_t i = 0; i < sizeof(fx_orgs) / sizeof(fx_orgs[0]); i++) {
		if (!strcmp(text, fx_orgs[i].path) || !strcmp(text, fx_orgs[i].name)) {
			*org_id_out = fx_orgs[i].id;
			return 0;
		}
	}
	return -1;
}

static __attribute__((unused)) bool fx_id_card_exists(void *ctx, const char *id_card)
{
	(void)ctx;
	return !strcmp(id_card, fx_stored_id);
}

static __attribute__((unused)) const char *fx_org_path(void *ctx, int64_t org_id)
{
	(void)ctx;
	for (size_t i = 0; i < sizeof(fx_orgs) / sizeof(fx_orgs[0]); i++)
		if (fx_orgs[i].id == org_id)
			return fx_orgs[i].path;
	return NULL;
}

static __attribute__((unused)) struct member_import_opts fx_opts(int *calls)
{
	return (struct member_import_opts){
		.today = { 2026, 11, 24 },
		.default_org_id = 12,
		.allow_15 = true,
		.resolve_org = fx_resolve_org,
		.id_card_exists = fx_id_card_exists,
		.ctx = calls,
	};
}

/* Completes a 17-character prefix with its check character into out[19]. */
static __attribute__((unused)) const char *fx_id(const char *first17, char out[static 19])
{
	memcpy(out, first17, 17);
	out[17] = idcard_check_char(first17);
	out[18] = '\0';
	return out;
}

#endif
