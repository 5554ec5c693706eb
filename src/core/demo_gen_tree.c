/*
 * demo_gen_tree.c: the two organisation trees of the demo data set. The
 * default one is 示例省交通运输厅厅直机关党委 with its 29 primary
 * organisations (table in demo_names.c); the large one is a province ->
 * city -> county -> grassroots committee -> branch tree of ~30-member branches.
 */
#include "util/common.h"
#include "core/demo_gen.h"
#include "core/demo_gen_int.h"
#include "util/arena.h"

/* Chinese numeral for 1..99 (一, 十二, 二十, 三十五) into buf[16]. */
static const char *cn_number(int n, char buf[static 16])
{
	const char *const *d = demo_cn_digits;

	assert(n >= 1 && n <= 99);
	if (n <= 10)
		snprintf(buf, 16, "%s", d[n]);
	else if (n < 20)
		snprintf(buf, 16, "十%s", d[n - 10]);
	else
		snprintf(buf, 16, "%s十%s", d[n / 10], n % 10 ? d[n % 10] : "");
	return buf;
}

/* One 3-byte character of a table string. */
static const char *ch(const char *table, size_t n, size_t i, char buf[static 4])
{
	memcpy(buf, table + 3 * (i % n), 3);
	buf[3] = '\0';
	return buf;
}

static void add_groups(struct demo_gen *g, int branch, int groups)
{
	char num[16];

	for (int k = 1; k <= groups && k <= 99; k++)
		demo_add_org(g, branch,
			     arena_printf(g->arena, "%s第%s党小组", g->orgs[branch].name, cn_number(k, num)),
			     ORG_PARTY_GROUP, g->orgs[branch].field, TERM_NONE);
}

/* ---- 示例省交通运输厅厅直机关党委 ---- */

static enum demo_term term_of(unsigned flags)
{
	if (flags & DB_OVERDUE)
		return TERM_OVERDUE;
	if (flags & DB_DUE_SOON)
		return TERM_DUE_SOON;
	return TERM_NORMAL;
}

static void default_branch(struct demo_gen *g, int parent, const struct demo_bspec *b, int field,
			   const char *unit)
{
	int o = demo_add_org(g, parent, b->name, ORG_BRANCH, field, term_of(b->flags));
	int profile = b->flags & DB_RETIRED ? P_RETIRED : demo_profile_for_field(field);

	demo_add_slot(g, o, (unsigned)b->size, b->flags & DB_FIXED ? b->size : 0, b->prob, profile, unit);
	add_groups(g, o, b->groups);
}

void demo_build_default(struct demo_gen *g)
{
	int root = demo_add_org(g, -1, demo_root_name, ORG_PARTY_COMMITTEE, FIELD_ORGAN, TERM_NORMAL);

	for (const struct demo_uspec *u = demo_units; u->unit; u++) {
		if (u->type == ORG_BRANCH) {
			/* The unit is the branch: its term flags are the branch's. */
			struct demo_bspec self = u->self;
			self.flags |= u->flags;
			default_branch(g, root, &self, u->field, u->unit);
			continue;
		}
		int o = demo_add_org(g, root, u->org_name, u->type, u->field, term_of(u->flags));
		for (const struct demo_bspec *b = u->branches; b->name; b++)
			default_branch(g, o, b, u->field, u->unit);
	}
}

/* ---- the province tree ---- */

/* Branch weight: mean 900 (a ~30-member branch), now and then a very large one. */
static unsigned branch_weight(struct demo_gen *g)
{
	if (demo_rng_below(&g->trng, 400) == 0)
		return 2000;
	return 350 + demo_rng_below(&g->trng, 1100);
}

static enum demo_term random_term(struct demo_gen *g)
{
	uint32_t r = demo_rng_below(&g->trng, 100);

	return r < 2 ? TERM_OVERDUE : r < 5 ? TERM_DUE_SOON : TERM_NORMAL;
}

/* A branch of the province tree with members of `profile`. */
static void province_branch(struct demo_gen *g, int parent, const char *name, int field, int profile,
			    const char *unit)
{
	int o = demo_add_org(g, parent, name, ORG_BRANCH, field, random_term(g));

	/* A few tiny branches (below 3 full members) show up in the warnings. */
	if (demo_rng_below(&g->trng, 500) == 0) {
		demo_add_slot(g, o, 0, 2, 0, profile, unit);
		return;
	}
	unsigned w = branch_weight(g);
	demo_add_slot(g, o, w, 0, 0, profile, unit);
	if (w >= 1200)
		add_groups(g, o, w >= 2000 ? 3 : 2);
}

enum committee_kind {
	K_ORGAN,
	K_TRANSPORT,
	K_HOSPITAL,
	K_EDUCATION,
	K_ENTERPRISE,
	K_POLICE,
	K_STREET,
	K_FIXED,
	K_TOWN = K_FIXED
};

/* Branches of the fixed kinds per 250 branches of a county; towns (rural) get the rest. */
static const int kind_share[K_FIXED] = { 40, 12, 18, 40, 25, 18, 27 };

static const char *const transport_subs[] = {
	"机关",       "公路管理段",     "运输管理所",         "综合行政执法大队",
	"地方海事处", "农村公路管理所", "交通工程质量监督站", NULL,
};

static int count(const char *const *t)
{
	int n = 0;
	while (t[n])
		n++;
	return n;
}

/* One grassroots committee of a county with `nb` branches. */
static void province_committee(struct demo_gen *g, int county_org, const char *county, int kind, int town,
			       int nb, int salt)
{
	struct arena *a = g->arena;
	char num[16], c1[4], c2[4];
	const char *cname, *unit = NULL;
	int field, o, nretired = 0;
	size_t npa = demo_chars(demo_place_a), npb = demo_chars(demo_place_b);
	size_t nva = demo_chars(demo_village_a), nvb = demo_chars(demo_village_b);
	const char *town_name = NULL;

	switch (kind) {
	case K_ORGAN:
		cname = arena_printf(a, "%s直属机关党委", county);
		field = FIELD_ORGAN;
		break;
	case K_TRANSPORT:
		cname = arena_printf(a, "%s交通运输局党委", county);
		unit = arena_printf(a, "%s交通运输局", county);
		field = FIELD_ORGAN;
		break;
	case K_HOSPITAL:
		cname = arena_printf(a, "%s人民医院党委", county);
		unit = arena_printf(a, "%s人民医院", county);
		field = FIELD_HOSPITAL;
		break;
	case K_EDUCATION:
		cname = arena_printf(a, "%s教育系统党委", county);
		field = FIELD_SCHOOL;
		break;
	case K_ENTERPRISE:
		unit = arena_printf(a, "%s城市建设投资集团有限公司", county);
		cname = arena_printf(a, "%s党委", unit);
		field = FIELD_ENTERPRISE;
		break;
	case K_POLICE:
		cname = arena_printf(a, "%s公安局党委", county);
		unit = arena_printf(a, "%s公安局", county);
		field = FIELD_ORGAN;
		break;
	case K_STREET:
		cname = arena_printf(a, "%s城关街道党委", county);
		field = FIELD_COMMUNITY;
		break;
	default:
		/* Town t: the pair ((t+salt) mod |a|, (t+salt+7) mod |b|) differs for every t. */
		town_name = arena_printf(a, "%s%s镇", ch(demo_place_a, npa, (size_t)(town + salt), c1),
					 ch(demo_place_b, npb, (size_t)(town + salt + 7), c2));
		cname = arena_printf(a, "%s%s党委", county, town_name);
		field = FIELD_RURAL;
		break;
	}
	o = demo_add_org(g, county_org, cname, ORG_PARTY_COMMITTEE, field, random_term(g));
	/* Units keep an eighth of their branches for retirees; towns and streets none. */
	if (nb >= 5 && kind != K_TOWN && kind != K_STREET)
		nretired = nb / 8 > 1 ? nb / 8 : 1;

	for (int i = 0; i < nb; i++) {
		const char *bname, *bunit = unit;
		int bfield = field, profile = demo_profile_for_field(field);

		if (kind == K_EDUCATION)
			profile = P_TEACHER;

		if (i >= nb - nretired) {
			/* 安宁县人民医院党委 -> 安宁县人民医院离退休(第二)党支部 */
			int base = (int)(strlen(cname) - strlen("党委")), r = i - (nb - nretired);
			bname = nretired == 1 ? arena_printf(a, "%.*s离退休党支部", base, cname)
					      : arena_printf(a, "%.*s离退休第%s党支部", base, cname,
							     cn_number(r % 99 + 1, num));
			if (!bunit)
				bunit = arena_printf(a, "%.*s", base, cname);
			province_branch(g, o, bname, field, P_RETIRED, bunit);
			continue;
		}
		switch (kind) {
		case K_ORGAN: {
			int nd = count(demo_county_depts), round = i / nd;
			bunit = arena_printf(a, "%s%s", county, demo_county_depts[i % nd]);
			bname = round ? arena_printf(a, "%s第%s党支部", bunit, cn_number(round + 1, num))
				      : arena_printf(a, "%s党支部", bunit);
			break;
		}
		case K_TRANSPORT: {
			int ns = count(transport_subs);
			bname = i < ns ? arena_printf(a, "%s%s党支部", unit, transport_subs[i])
				       : arena_printf(a, "%s第%s党支部", unit,
						      cn_number((i - ns) % 99 + 1, num));
			break;
		}
		case K_HOSPITAL: {
			int nd = count(demo_hospital_depts);
			bname = i < nd ? arena_printf(a, "%s%s党支部", unit, demo_hospital_depts[i])
				       : arena_printf(a, "%s第%s党支部", unit,
						      cn_number((i - nd) % 99 + 1, num));
			break;
		}
		case K_EDUCATION: {
			/* A third middle schools, the rest primary schools. */
			int mid = (nb + 2) / 3;
			bunit = i < mid ? arena_printf(a, "%s第%s中学", county, cn_number(i % 99 + 1, num))
					: arena_printf(a, "%s第%s小学", county,
						       cn_number((i - mid) % 99 + 1, num));
			bname = arena_printf(a, "%s党支部", bunit);
			break;
		}
		case K_ENTERPRISE:
			bname = i == 0 ? arena_printf(a, "%s机关党支部", unit)
				       : arena_printf(a, "%s第%s分公司党支部", unit,
						      cn_number((i - 1) % 99 + 1, num));
			break;
		case K_POLICE:
			bname = arena_printf(a, "%s第%s党支部", unit, cn_number(i % 99 + 1, num));
			break;
		case K_STREET:
			if (i == 0) {
				bunit = arena_printf(a, "%s城关街道办事处", county);
				bname = arena_printf(a, "%s城关街道机关党支部", county);
				profile = P_ORGAN;
				bfield = FIELD_ORGAN;
			} else {
				int nc = count(demo_communities), round = (i - 1) / nc;
				const char *comm = demo_communities[(i - 1) % nc];
				bunit = round ? arena_printf(a, "%s%s第%s社区居委会", county, comm,
							     cn_number(round % 99 + 1, num))
					      : arena_printf(a, "%s%s社区居委会", county, comm);
				bname = arena_printf(a, "%.*s党支部", (int)(strlen(bunit) - strlen("居委会")),
						     bunit);
			}
			break;
		default:
			if (i == 0) {
				bunit = arena_printf(a, "%s%s人民政府", county, town_name);
				bname = arena_printf(a, "%s%s机关党支部", county, town_name);
				profile = P_ORGAN;
				bfield = FIELD_ORGAN;
			} else {
				/* Villages: the same coprime-pair trick as towns. */
				size_t v = (size_t)(i - 1 + salt);
				bunit = arena_printf(a, "%s%s%s村", town_name, ch(demo_village_a, nva, v, c1),
						     ch(demo_village_b, nvb, v + 3, c2));
				bname = arena_printf(a, "%s%s党支部", county, bunit);
			}
			break;
		}
		province_branch(g, o, bname, bfield, profile, bunit ? bunit : unit);
	}
}

void demo_build_province(struct demo_gen *g)
{
	int nbranches = (g->members + 15) / 30, ncities = g->members / 90000, ncounties = 0;
	int per_city[16], k = 0, done = 0;
	size_t npa = demo_chars(demo_place_a), npb = demo_chars(demo_place_b);
	int root;

	if (ncities < 2)
		ncities = 2;
	if (ncities > count(demo_cities))
		ncities = count(demo_cities);
	for (int c = 0; c < ncities; c++) {
		per_city[c] = 8 + (int)demo_rng_below(&g->trng, 5);
		ncounties += per_city[c];
	}

	root = demo_add_org(g, -1, "中共示例省委", ORG_PARTY_COMMITTEE, FIELD_ORGAN, TERM_NORMAL);
	for (int c = 0; c < ncities; c++) {
		int city = demo_add_org(g, root, arena_printf(g->arena, "中共%s委", demo_cities[c]),
					ORG_PARTY_COMMITTEE, FIELD_ORGAN, random_term(g));
		for (int j = 0; j < per_city[c]; j++, k++) {
			char c1[4], c2[4];
			/* k < |a| * |b|: the pair (k mod |a|, k mod |b|) names every county differently. */
			const char *county =
				arena_printf(g->arena, "%s%s%s", ch(demo_place_a, npa, (size_t)k, c1),
					     ch(demo_place_b, npb, (size_t)k, c2), j < 2 ? "区" : "县");
			int upto = (int)((int64_t)nbranches * (k + 1) / ncounties), nb = upto - done;
			int co = demo_add_org(g, city, arena_printf(g->arena, "中共%s委", county),
					      ORG_PARTY_COMMITTEE, FIELD_ORGAN, random_term(g));
			int fixed[K_FIXED], used = 0, rest, ntowns;
			int salt = (int)demo_rng_below(&g->trng, 997);

			done = upto;
			for (int t = 0; t < K_FIXED; t++) {
				fixed[t] = nb * kind_share[t] / 250;
				if (fixed[t] < 1)
					fixed[t] = 1;
				used += fixed[t];
			}
			rest = nb - used;
			ntowns = rest / 18 > 0 ? rest / 18 : 1;
			if (rest < 1)
				rest = 1;
			for (int t = 0; t < K_FIXED; t++)
				province_committee(g, co, county, t, 0, fixed[t], salt);
			for (int t = 0; t < ntowns; t++) {
				int tb = rest * (t + 1) / ntowns - rest * t / ntowns;
				province_committee(g, co, county, K_TOWN, t, tb, salt);
			}
		}
	}
}
