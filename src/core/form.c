/* form.c — parse and validate form input. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/form.h"
#include "kesu/clock.h"
#include "kesu/text.h"

/* Longest value accepted from one argument or file before validation. */
#define FORM_VALUE_MAX (1 << 20)

void form_money(long long fen, char *buf, size_t n)
{
	char digits[32];
	bool neg = fen < 0;
	unsigned long long v = neg ? 0ULL - (unsigned long long)fen : (unsigned long long)fen;
	snprintf(digits, sizeof digits, "%llu", v / 100);
	char grouped[48];
	size_t len = strlen(digits), j = 0;
	for (size_t i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			grouped[j++] = ',';
		grouped[j++] = digits[i];
	}
	grouped[j] = '\0';
	snprintf(buf, n, "%s%s.%02llu", neg ? "-" : "", grouped, v % 100);
}

static const char *yes_words[] = { "yes", "是", "y", "true", NULL };
static const char *no_words[] = { "no", "否", "n", "false", NULL };

static bool in_list(const char *s, const char **list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

ks_status form_parse_value(const conf *c, const conf_field *fd, const char *s, size_t len,
                           json_t **out, ks_err *err)
{
	*out = NULL;
	bool multiline = fd->type == FT_LONGTEXT;
	ks_status rc = text_check(s, len, multiline, fd->label, err);
	if (rc)
		return rc;
	/* s has no NUL now, so it is a C string of len bytes */
	size_t chars = text_chars(s);
	const conf_choice *sp = NULL;
	for (size_t i = 0; i < fd->nspecial; i++)
		if (!strcmp(fd->special[i].value, s) || !strcmp(fd->special[i].label, s))
			sp = &fd->special[i];
	if (sp) {
		*out = json_string(sp->value);
		return KS_OK;
	}
	if (fd->required && len == 0)
		return ks_errf(err, KS_INVALID, "「%s」(%s) 是必填项，不能为空", fd->label, fd->key);
	switch (fd->type) {
	case FT_TEXT:
	case FT_LONGTEXT:
		if ((long)chars > fd->max_len)
			return ks_errf(err, KS_INVALID, "「%s」(%s) 过长：%zu 个字，最多 %ld 个字",
			               fd->label, fd->key, chars, fd->max_len);
		*out = json_string(s);
		return KS_OK;
	case FT_CHOICE:
		for (size_t i = 0; i < fd->nchoices; i++)
			if (!strcmp(fd->choices[i].value, s) || !strcmp(fd->choices[i].label, s)) {
				*out = json_string(fd->choices[i].value);
				return KS_OK;
			}
		{
			char list[512] = "";
			for (size_t i = 0; i < fd->nchoices; i++) {
				char one[128];
				snprintf(one, sizeof one, "%s%s（%s）", i ? "、" : "", fd->choices[i].value,
				         fd->choices[i].label);
				strncat(list, one, sizeof list - strlen(list) - 1);
			}
			return ks_errf(err, KS_INVALID, "「%s」(%s) 的值无效，可选：%s", fd->label, fd->key, list);
		}
	case FT_NUMBER: {
		char *end;
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (!*s || *end || errno) {
			if (fd->nspecial)
				return ks_errf(err, KS_INVALID, "「%s」(%s) 应为整数，或 %s（%s）", fd->label,
				               fd->key, fd->special[0].value, fd->special[0].label);
			return ks_errf(err, KS_INVALID, "「%s」(%s) 应为整数", fd->label, fd->key);
		}
		if (fd->has_min && v < fd->min)
			return ks_errf(err, KS_INVALID, "「%s」(%s) 不能小于 %lld", fd->label, fd->key, fd->min);
		if (fd->has_max && v > fd->max)
			return ks_errf(err, KS_INVALID, "「%s」(%s) 不能大于 %lld", fd->label, fd->key, fd->max);
		*out = json_integer(v);
		return KS_OK;
	}
	case FT_MONEY: {
		long long fen;
		if (!conf_parse_money(s, &fen))
			return ks_errf(err, KS_INVALID, "「%s」(%s) 应为金额（元，最多两位小数，如 1234.50）",
			               fd->label, fd->key);
		char a[32];
		if (fd->has_min && fen < fd->min) {
			form_money(fd->min, a, sizeof a);
			return ks_errf(err, KS_INVALID, "「%s」(%s) 不能小于 %s 元", fd->label, fd->key, a);
		}
		if (fd->has_max && fen > fd->max) {
			form_money(fd->max, a, sizeof a);
			return ks_errf(err, KS_INVALID, "「%s」(%s) 不能大于 %s 元", fd->label, fd->key, a);
		}
		*out = json_integer(fen);
		return KS_OK;
	}
	case FT_DATE:
	case FT_DATETIME: {
		time_t t;
		bool date_only = strlen(s) == 10;
		if ((fd->type == FT_DATE && !date_only) || (fd->type == FT_DATETIME && date_only) ||
		    !clock_parse(s, &t))
			return ks_errf(err, KS_INVALID, "「%s」(%s) 应为%s", fd->label, fd->key,
			               fd->type == FT_DATE ? "日期 YYYY-MM-DD" : "日期时间 YYYY-MM-DD HH:MM");
		*out = json_string(s);
		return KS_OK;
	}
	case FT_STAFF: {
		const conf_staff *p = conf_find_staff(c, s);
		if (!p)
			return ks_errf(err, KS_INVALID, "「%s」(%s)：没有登录名为 %s 的员工", fd->label, fd->key, s);
		if (!p->active)
			return ks_errf(err, KS_INVALID, "「%s」(%s)：员工 %s（%s）已停用", fd->label, fd->key, p->name, p->login);
		bool role_ok = fd->nroles == 0;
		for (size_t i = 0; i < fd->nroles && !role_ok; i++)
			for (size_t k = 0; k < p->nroles && !role_ok; k++)
				role_ok = !strcmp(fd->roles[i], p->roles[k]);
		if (!role_ok) {
			char names[256] = "";
			for (size_t i = 0; i < fd->nroles; i++) {
				const conf_role *r = conf_find_role(c, fd->roles[i]);
				if (i)
					strncat(names, "、", sizeof names - strlen(names) - 1);
				strncat(names, r && r->name ? r->name : fd->roles[i], sizeof names - strlen(names) - 1);
			}
			return ks_errf(err, KS_INVALID, "「%s」(%s)：%s 不是%s", fd->label, fd->key, p->name, names);
		}
		*out = json_string(p->login);
		return KS_OK;
	}
	case FT_DEPT: {
		const conf_dept *d = conf_find_dept(c, s);
		for (size_t i = 0; !d && i < c->ndepts; i++)
			if (!strcmp(c->depts[i].name, s))
				d = &c->depts[i];
		if (!d)
			return ks_errf(err, KS_INVALID, "「%s」(%s)：没有代码或名称为 %s 的部门", fd->label, fd->key, s);
		*out = json_string(d->code);
		return KS_OK;
	}
	case FT_YESNO:
		if (in_list(s, yes_words)) {
			*out = json_string("yes");
			return KS_OK;
		}
		if (in_list(s, no_words)) {
			*out = json_string("no");
			return KS_OK;
		}
		return ks_errf(err, KS_INVALID, "「%s」(%s) 应为 yes（是）或 no（否）", fd->label, fd->key);
	case FT__COUNT:
		break;
	}
	return ks_errf(err, KS_FAIL, "「%s」的类型未知", fd->label);
}

ks_status form_fill(const conf *c, const conf_form *f, const form_kv *in, size_t n,
                    json_t **out, ks_err *err)
{
	*out = NULL;
	json_t *obj = json_object();
	ks_status rc = KS_OK;
	for (size_t i = 0; i < n; i++) {
		const conf_field *fd = conf_form_field(f, in[i].key);
		if (!fd) {
			char list[768] = "";
			for (size_t k = 0; k < f->nfields; k++) {
				if (k)
					strncat(list, ", ", sizeof list - strlen(list) - 1);
				strncat(list, f->fields[k].key, sizeof list - strlen(list) - 1);
			}
			char *vis = text_visible(in[i].key, false);
			rc = ks_errf(err, KS_INVALID, "未知字段 %s：「%s」的字段有 %s%s", vis, f->title,
			             list, *list ? "" : "（无）");
			free(vis);
			goto fail;
		}
		if (json_object_get(obj, fd->key)) {
			rc = ks_errf(err, KS_INVALID, "「%s」(%s) 给了不止一次", fd->label, fd->key);
			goto fail;
		}
		if (in[i].len > FORM_VALUE_MAX) {
			rc = ks_errf(err, KS_INVALID, "「%s」(%s) 过长：超过 %d 字节", fd->label, fd->key,
			             FORM_VALUE_MAX);
			goto fail;
		}
		json_t *v;
		if ((rc = form_parse_value(c, fd, in[i].value, in[i].len, &v, err)))
			goto fail;
		if (in[i].len == 0) { /* an empty optional value means "not given" */
			json_decref(v);
			continue;
		}
		json_object_set_new(obj, fd->key, v);
	}
	for (size_t k = 0; k < f->nfields; k++) {
		const conf_field *fd = &f->fields[k];
		if (fd->required && !json_object_get(obj, fd->key)) {
			rc = ks_errf(err, KS_INVALID, "缺少必填字段「%s」(%s)", fd->label, fd->key);
			goto fail;
		}
	}
	*out = obj;
	return KS_OK;
fail:
	json_decref(obj);
	return rc;
}

char *form_value_text(const conf *c, const conf_field *fd, const json_t *v)
{
	if (!v || json_is_null(v))
		return ks_strdup("");
	if (json_is_integer(v)) {
		if (fd && fd->type == FT_MONEY) {
			char buf[32];
			form_money(json_integer_value(v), buf, sizeof buf);
			return ks_strdup(buf);
		}
		return ks_asprintf("%lld", (long long)json_integer_value(v));
	}
	const char *s = json_is_string(v) ? json_string_value(v) : "";
	if (fd) {
		const char *lab = conf_choice_label(fd, s);
		if (lab)
			return ks_strdup(lab);
		if (fd->type == FT_YESNO)
			return ks_strdup(!strcmp(s, "yes") ? "是" : "否");
		if (fd->type == FT_DEPT) {
			const conf_dept *d = conf_find_dept(c, s);
			if (d)
				return ks_strdup(d->name);
		}
		if (fd->type == FT_STAFF) {
			const conf_staff *p = conf_find_staff(c, s);
			if (p)
				return ks_strdup(p->name);
		}
	}
	return ks_strdup(s);
}

static ks_status read_all(FILE *f, const char *name, char **out, size_t *len, ks_err *err)
{
	size_t cap = 4096, n = 0;
	char *buf = ks_malloc(cap);
	size_t k;
	while ((k = fread(buf + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n > FORM_VALUE_MAX) {
			free(buf);
			return ks_errf(err, KS_INVALID, "%s 过长：超过 %d 字节", name, FORM_VALUE_MAX);
		}
		if (n == cap)
			buf = ks_realloc(buf, cap *= 2);
	}
	if (ferror(f)) {
		free(buf);
		return ks_errf(err, KS_FAIL, "无法读取 %s", name);
	}
	/* a trailing newline from a file or a pipe is not part of the value */
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return KS_OK;
}

ks_status form_kvs_parse(char **argv, int argc, form_kv **out, size_t *n, ks_err *err)
{
	form_kv *kv = ks_calloc((size_t)argc + 1, sizeof *kv);
	size_t k = 0;
	ks_status rc = KS_OK;
	bool stdin_used = false;
	for (int i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		if (!eq || eq == argv[i]) {
			char *vis = text_visible(argv[i], false);
			rc = ks_errf(err, KS_INVALID, "参数 %s 应为 字段=值 的形式", vis);
			free(vis);
			goto fail;
		}
		kv[k].key = ks_strndup(argv[i], (size_t)(eq - argv[i]));
		const char *v = eq + 1;
		char *val = NULL;
		size_t len = 0;
		if (!strcmp(v, "-")) {
			if (stdin_used) {
				rc = ks_errf(err, KS_INVALID, "只能有一个字段从标准输入读取");
				k++;
				goto fail;
			}
			stdin_used = true;
			char *what = ks_asprintf("字段 %s（标准输入）", kv[k].key);
			rc = read_all(stdin, what, &val, &len, err);
			free(what);
		} else if (v[0] == '@') {
			FILE *f = fopen(v + 1, "rb");
			if (!f) {
				rc = ks_errf(err, KS_INVALID, "字段 %s：无法读取文件 %s：%s", kv[k].key, v + 1,
				             strerror(errno));
			} else {
				char *what = ks_asprintf("字段 %s（文件 %s）", kv[k].key, v + 1);
				rc = read_all(f, what, &val, &len, err);
				free(what);
				fclose(f);
			}
		} else {
			len = strlen(v);
			val = ks_strndup(v, len);
		}
		kv[k].value = val;
		kv[k].len = len;
		k++;
		if (rc)
			goto fail;
	}
	*out = kv;
	*n = k;
	return KS_OK;
fail:
	form_kvs_free(kv, k);
	*out = NULL;
	*n = 0;
	return rc;
}

void form_kvs_free(form_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)kv[i].key);
		free((char *)kv[i].value);
	}
	free(kv);
}
