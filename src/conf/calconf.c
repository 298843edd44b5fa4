/* calconf.c — read a calendar YAML file into a calendar (calendar.h).
 *
 * The file is read into memory once, hashed (the calendar's version) and
 * parsed from the same bytes, so the version always describes what was
 * loaded. The tree is checked level by level; each problem is collected with
 * its position and the collection is sorted into file order at the end.
 * The engine (calendar_add_*) does the semantic checks — period order, date
 * ranges, rest day versus make-up day — and its message is reported at the
 * item that caused it. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/sha256.h"
#include "kesu/calconf.h"
#include "kesu/yaml.h"
#include "loader.h"

/* A calendar file is a few kilobytes; refuse anything absurd. */
#define CALCONF_MAX_BYTES (4L * 1024 * 1024)

typedef struct loader {
	calendar *cal;
	yl y;                /* diagnostics, held and sorted */
} loader;

static const char *const root_keys[] = {"calendar", NULL};
static const char *const cal_keys[] = {"name", "label", "timezone", "workweek", "hours", "years",
                                       "unknown_years", NULL};
static const char *const year_keys[] = {"source", "holidays", "workdays", NULL};
static const char *const holiday_keys[] = {"name", "from", "to", NULL};
static const char *const workday_keys[] = {"name", "date", NULL};

/* ---- typed access ------------------------------------------------------ */

/* The value under key of map; reports a missing required key at the map. */
static const ynode *get(loader *L, const ynode *map, const char *key, bool required)
{
	const ynode *v = ynode_get(map, key);
	if (!v && required)
		yl_diag(&L->y, map, "缺少必需的键 %s", key);
	return v;
}

/* The text under key of map, or NULL if absent (reported when required),
 * not text, or empty while nonempty is asked for (both reported). Points into
 * the tree. */
static const char *get_text(loader *L, const ynode *map, const char *key, bool required,
                            bool nonempty)
{
	const ynode *v = get(L, map, key, required);
	if (!v || !yl_want_kind(&L->y, v, YNODE_SCALAR, key))
		return NULL;
	if (nonempty && !*v->str) {
		yl_diag(&L->y, v, "%s 不能为空", key);
		return NULL;
	}
	return v->str;
}

/* ---- calendar.name, workweek, hours ------------------------------------ */

static void read_workweek(loader *L, const ynode *v)
{
	if (!yl_want_kind(&L->y, v, YNODE_SEQ, "workweek"))
		return;
	unsigned mask = 0;
	bool bad = false;
	for (size_t i = 0; i < v->n; i++) {
		const ynode *it = v->items[i];
		unsigned bit;
		if (!yl_want_kind(&L->y, it, YNODE_SCALAR, "workweek 的每一项")) {
			bad = true;
		} else if (!calendar_weekday_parse(it->str, &bit)) {
			yl_diag(&L->y, it, "星期名 %s 无效（应为 mon, tue, wed, thu, fri, sat, sun 之一）", it->str);
			bad = true;
		} else if (mask & bit) {
			yl_diag(&L->y, it, "workweek 中 %s 重复", it->str);
		} else {
			mask |= bit;
		}
	}
	ks_err e;
	if (!bad && calendar_set_workweek(L->cal, mask, &e) != KS_OK)
		yl_diag(&L->y, v, "%s", e.msg);
}

static void read_hours(loader *L, const ynode *v)
{
	if (!yl_want_kind(&L->y, v, YNODE_SEQ, "hours"))
		return;
	if (v->n == 0)
		yl_diag(&L->y, v, "hours 不能为空：至少要有一个工作时段，如 \"08:30-12:00\"");
	for (size_t i = 0; i < v->n; i++) {
		const ynode *it = v->items[i];
		int a, b;
		ks_err e;
		if (!yl_want_kind(&L->y, it, YNODE_SCALAR, "hours 的每一项"))
			continue;
		if (!calendar_period_parse(it->str, &a, &b))
			yl_diag(&L->y, it, "工作时段 %s 格式无效（应为 HH:MM-HH:MM，如 08:30-12:00）", it->str);
		else if (calendar_add_hours(L->cal, a, b, &e) != KS_OK)
			yl_diag(&L->y, it, "%s", e.msg);
	}
}

/* ---- years ------------------------------------------------------------- */

/* A section key: exactly four digits. */
static bool year_key(const char *s, int *year)
{
	if (strlen(s) != 4)
		return false;
	int y = 0;
	for (int i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		y = y * 10 + (s[i] - '0');
	}
	*year = y;
	return true;
}

/* The date under key of item m, checked to belong to section year (0: the
 * section's year is unknown, no check). Reports and returns false if not. */
static bool get_date(loader *L, const ynode *m, const char *key, int year, calendar_date *out)
{
	const ynode *v = get(L, m, key, true);
	if (!v)
		return false;
	if (v->kind != YNODE_SCALAR) {
		yl_diag(&L->y, v, "%s 应为日期文本（YYYY-MM-DD），实际是%s", key, ynode_kind_name(v));
		return false;
	}
	if (!calendar_date_parse(v->str, out)) {
		yl_diag(&L->y, v, "日期 %s 无效（应为存在的日期，写作 YYYY-MM-DD，如 2026-02-15）", v->str);
		return false;
	}
	if (year && out->year != year && !(out->year == year - 1 && out->month == 12)) {
		yl_diag(&L->y, v, "日期 %s 不在 %d 年内（%d 年的安排只能是本年的日期，"
		     "或跨年安排从 %d 年 12 月开始的日期）", v->str, year, year, year - 1);
		return false;
	}
	return true;
}

static void read_holidays(loader *L, const ynode *v, int year)
{
	if (!yl_want_kind(&L->y, v, YNODE_SEQ, "holidays"))
		return;
	for (size_t i = 0; i < v->n; i++) {
		const ynode *m = v->items[i];
		if (!yl_want_kind(&L->y, m, YNODE_MAP, "holidays 的每一项"))
			continue;
		yl_check_keys(&L->y, m, holiday_keys);
		const char *name = get_text(L, m, "name", true, true);
		calendar_date from, to;
		bool ok_from = get_date(L, m, "from", year, &from);
		bool ok_to = get_date(L, m, "to", year, &to);
		ks_err e;
		if (name && ok_from && ok_to &&
		    calendar_add_holiday(L->cal, from, to, name, &e) != KS_OK)
			yl_diag(&L->y, m, "%s", e.msg);
	}
}

static void read_workdays(loader *L, const ynode *v, int year)
{
	if (!yl_want_kind(&L->y, v, YNODE_SEQ, "workdays"))
		return;
	for (size_t i = 0; i < v->n; i++) {
		const ynode *m = v->items[i];
		if (!yl_want_kind(&L->y, m, YNODE_MAP, "workdays 的每一项"))
			continue;
		yl_check_keys(&L->y, m, workday_keys);
		const char *name = get_text(L, m, "name", true, true);
		calendar_date day;
		bool ok = get_date(L, m, "date", year, &day);
		ks_err e;
		if (name && ok && calendar_add_workday(L->cal, day, name, &e) != KS_OK)
			yl_diag(&L->y, m, "%s", e.msg);
	}
}

/* One section of years; year 0 if its key was bad (contents still checked). */
static void read_year(loader *L, const ynode *key, const ynode *y, int year)
{
	char what[64];
	snprintf(what, sizeof what, "years 下的 %s", key->str);
	if (!yl_want_kind(&L->y, y, YNODE_MAP, what))
		return;
	yl_check_keys(&L->y, y, year_keys);
	get_text(L, y, "source", false, false);
	if (!ynode_get(y, "holidays"))
		yl_diag(&L->y, y, "缺少必需的键 holidays（没有放假安排时写 holidays: []）");
	if (!ynode_get(y, "workdays"))
		yl_diag(&L->y, y, "缺少必需的键 workdays（没有调休上班时写 workdays: []）");
	/* in file order, so a clash is reported at the later of the two items */
	for (size_t i = 0; i < y->n; i++) {
		if (strcmp(y->keys[i]->str, "holidays") == 0)
			read_holidays(L, y->items[i], year);
		else if (strcmp(y->keys[i]->str, "workdays") == 0)
			read_workdays(L, y->items[i], year);
	}
}

static void read_years(loader *L, const ynode *v)
{
	if (!yl_want_kind(&L->y, v, YNODE_MAP, "years"))
		return;
	if (v->n == 0)
		yl_diag(&L->y, v, "years 不能为空：至少要列出一年完整的放假和调休安排");
	for (size_t i = 0; i < v->n; i++) {
		const ynode *k = v->keys[i];
		int year = 0;
		ks_err e;
		if (!year_key(k->str, &year)) {
			yl_diag(&L->y, k, "年份 %s 无效（years 下的键应为四位数的年份，如 2026）", k->str);
			year = 0;
		} else if (calendar_add_year(L->cal, year, &e) != KS_OK) {
			yl_diag(&L->y, k, "%s", e.msg);
			year = 0;
		}
		read_year(L, k, v->items[i], year);
	}
}

/* ---- the file ---------------------------------------------------------- */

/* The whole file at path (NUL-terminated, *len without it), or NULL with
 * errno set; EFBIG if it is over CALCONF_MAX_BYTES. */
static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 8192, n = 0;
	char *buf = ks_malloc(cap + 1);
	for (;;) {
		size_t k = fread(buf + n, 1, cap - n, f);
		n += k;
		if (n < cap) {
			if (ferror(f)) {
				int err = errno ? errno : EIO;
				free(buf);
				fclose(f);
				errno = err;
				return NULL;
			}
			break;
		}
		if (cap >= (size_t)CALCONF_MAX_BYTES) {
			free(buf);
			fclose(f);
			errno = EFBIG;
			return NULL;
		}
		cap *= 2;
		buf = ks_realloc(buf, cap + 1);
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void sha256_hex(const char *data, size_t len, char hex[65])
{
	ks_sha256_hex(data, len, hex);
}

/* Check the tree and fill L->cal (created here). */
static void read_root(loader *L, const ynode *root, const char **zone, const char **label)
{
	if (!yl_want_kind(&L->y, root, YNODE_MAP, "文件内容")) {
		L->cal = calendar_new(NULL);
		return;
	}
	yl_check_keys(&L->y, root, root_keys);
	const ynode *c = get(L, root, "calendar", true);
	if (!c || !yl_want_kind(&L->y, c, YNODE_MAP, "calendar")) {
		L->cal = calendar_new(NULL);
		return;
	}
	yl_check_keys(&L->y, c, cal_keys);
	const char *name = get_text(L, c, "name", true, true);
	if (name && !yl_ident_ok(name)) {
		yl_diag(&L->y, ynode_get(c, "name"), "日历名 %s 无效（只能由小写字母、数字、_ 和 - 组成）", name);
		name = NULL;
	}
	L->cal = calendar_new(name);
	*label = get_text(L, c, "label", false, true);
	*zone = get_text(L, c, "timezone", true, true);
	const ynode *v;
	if ((v = get(L, c, "workweek", true)))
		read_workweek(L, v);
	if ((v = get(L, c, "hours", true)))
		read_hours(L, v);
	if ((v = get(L, c, "years", true)))
		read_years(L, v);
	const char *u = get_text(L, c, "unknown_years", false, true);
	if (u && !strcmp(u, "workweek"))
		calendar_set_unknown_workweek(L->cal, true);
	else if (u && strcmp(u, "refuse"))
		yl_diag(&L->y, ynode_get(c, "unknown_years"),
		     "unknown_years 应为 refuse（没有数据的年份无法计算期限）或 workweek（暂按 workweek 计算）");
}

ks_status calconf_load(const char *path, const char *display_name, calendar **out,
                       calconf_info *info, conf_diags *diags)
{
	const char *file = display_name ? display_name : path;
	*out = NULL;
	if (info)
		info->timezone = info->label = NULL;

	size_t len = 0;
	char *text = read_all(path, &len);
	if (!text) {
		yl_add(diags, ks_asprintf("%s:1:1: 无法读取日历文件：%s", file,
		                                errno == EFBIG ? "文件过大" : strerror(errno)));
		return KS_FAIL;
	}
	ynode *root = NULL;
	ks_err e;
	if (ynode_parse(text, len, &root, &e) != KS_OK) {
		yl_add(diags, ks_asprintf("%s:%s", file, e.msg));
		free(text);
		return KS_INVALID;
	}
	if (!root) {
		yl_add(diags, ks_asprintf("%s:1:1: 文件为空", file));
		free(text);
		return KS_INVALID;
	}

	loader L = { .y = { .d = diags, .file = file, .sorted = true } };
	const char *zone = NULL, *label = NULL;
	read_root(&L, root, &zone, &label);
	if (L.y.bad) {
		yl_flush(&L.y);
		calendar_free(L.cal);
		ynode_free(root);
		free(text);
		return KS_INVALID;
	}
	char hex[65];
	sha256_hex(text, len, hex);
	calendar_set_version(L.cal, hex);
	if (info) {
		info->timezone = ks_strdup(zone);
		info->label = label ? ks_strdup(label) : NULL;
	}
	*out = L.cal;
	ynode_free(root);
	free(text);
	return KS_OK;
}

void calconf_info_free(calconf_info *info)
{
	if (!info)
		return;
	free(info->timezone);
	free(info->label);
	info->timezone = info->label = NULL;
}
