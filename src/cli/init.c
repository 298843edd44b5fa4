/* init.c — `kesu init [--preset NAME] [--demo]` and `kesu presets`.
 *
 * init builds the whole data directory beside its final name and renames it
 * into place at the end, so a failure leaves nothing half-made. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/conf.h"
#include "kesu/demo.h"
#include "kesu/report.h"
#include "kesu/store.h"

typedef struct share {
	char *presets, *forms, *calendars;
} share;

static bool find_share(share *sh)
{
	bool source;
	char *root = cli_share_dir(&source);
	if (!root)
		return false;
	sh->presets = ks_asprintf(source ? "%s/config/presets" : "%s/presets", root);
	sh->forms = ks_asprintf("%s/forms", root);
	sh->calendars = ks_asprintf(source ? "%s/config/calendars" : "%s/calendars", root);
	free(root);
	return true;
}

static void share_free(share *sh)
{
	free(sh->presets);
	free(sh->forms);
	free(sh->calendars);
}

static ks_status copy_file(const char *from, const char *to, ks_err *err)
{
	FILE *in = fopen(from, "rb");
	if (!in)
		return ks_errf(err, KS_FAIL, "无法读取 %s：%s", from, strerror(errno));
	FILE *out = fopen(to, "wbx");
	if (!out) {
		fclose(in);
		return ks_errf(err, KS_FAIL, "无法写入 %s：%s", to, strerror(errno));
	}
	char buf[8192];
	size_t n;
	bool ok = true;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			ok = false;
	if (ferror(in))
		ok = false;
	fclose(in);
	if (fclose(out) != 0)
		ok = false;
	return ok ? KS_OK : ks_errf(err, KS_FAIL, "复制 %s 失败", from);
}

/* Copy every *.yaml file of dir `from` into `to` (which exists). Files already
 * in `to` are replaced when replace is set. */
static ks_status copy_yaml_dir(const char *from, const char *to, bool replace, ks_err *err)
{
	DIR *d = opendir(from);
	if (!d)
		return errno == ENOENT ? KS_OK : ks_errf(err, KS_FAIL, "无法读取 %s：%s", from, strerror(errno));
	ks_status rc = KS_OK;
	struct dirent *e;
	while (!rc && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len <= 5 || strcmp(e->d_name + len - 5, ".yaml") || e->d_name[0] == '.')
			continue;
		char *src = ks_asprintf("%s/%s", from, e->d_name);
		char *dst = ks_asprintf("%s/%s", to, e->d_name);
		if (replace)
			unlink(dst);
		rc = copy_file(src, dst, err);
		free(src);
		free(dst);
	}
	closedir(d);
	return rc;
}

static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char *p = ks_asprintf("%s/%s", path, e->d_name);
			struct stat sb;
			if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
				remove_tree(p);
			else
				unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(path);
}

static bool valid_preset_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

int cmd_init(cli *c)
{
	const char *preset = "manufacturing";
	bool demo = false;
	for (int i = 0; i < c->argc; i++) {
		if (!strcmp(c->argv[i], "--demo"))
			demo = true;
		else if (!strcmp(c->argv[i], "--preset") && i + 1 < c->argc)
			preset = c->argv[++i];
		else if (!strncmp(c->argv[i], "--preset=", 9))
			preset = c->argv[i] + 9;
		else
			return cli_fail(KS_INVALID, "用法：kesu init [--preset NAME] [--demo]");
	}
	if (!valid_preset_name(preset))
		return cli_fail(KS_INVALID, "预设名称只能含小写字母、数字、- 和 _");
	if (c->as || c->now)
		return cli_fail(KS_INVALID, "init 不接受 --as 或 --now（示例数据的时间相对于今天）");
	struct stat sb;
	if (lstat(c->data, &sb) == 0) {
		char *m = ks_asprintf("%s 已存在，init 不会覆盖它", c->data);
		int rc = cli_fail(KS_INVALID, m);
		free(m);
		return rc;
	}
	share sh = {0};
	if (!find_share(&sh))
		return cli_fail(KS_FAIL, "找不到预设目录（设置 KESU_SHARE 指向安装的 share/kesu）");
	char *pdir = ks_asprintf("%s/%s", sh.presets, preset);
	char *tmp = ks_asprintf("%s.init-%ld", c->data, (long)getpid());
	char *cfg = ks_asprintf("%s/config", tmp);
	char *forms = ks_asprintf("%s/config/forms", tmp);
	char *pforms = ks_asprintf("%s/forms", pdir);
	char *cal = ks_asprintf("%s/config/calendar.yaml", tmp);
	char *pcal = ks_asprintf("%s/calendar.yaml", pdir);
	char *cncal = ks_asprintf("%s/cn.yaml", sh.calendars);
	char *db = ks_asprintf("%s/kesu.db", tmp);
	ks_err err;
	ks_status rc = KS_OK;
	conf *cf = NULL;
	store *st = NULL;
	if (stat(pdir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		rc = ks_errf(&err, KS_NOTFOUND, "没有名为 %s 的预设（kesu presets 列出全部）", preset);
		goto out;
	}
	if (mkdir(tmp, 0700) != 0 || mkdir(cfg, 0700) != 0 || mkdir(forms, 0700) != 0) {
		rc = ks_errf(&err, KS_FAIL, "无法创建 %s：%s", tmp, strerror(errno));
		goto fail;
	}
	if ((rc = copy_yaml_dir(pdir, cfg, false, &err)) ||
	    (rc = copy_yaml_dir(sh.forms, forms, false, &err)) ||
	    (rc = copy_yaml_dir(pforms, forms, true, &err)))
		goto fail;
	if (access(pcal, F_OK) != 0 && (rc = copy_file(cncal, cal, &err)))
		goto fail;
	/* a preset's further named calendars (calendars/NAME.yaml) */
	char *pcals = ks_asprintf("%s/calendars", pdir), *dcals = ks_asprintf("%s/calendars", cfg);
	if (access(pcals, F_OK) == 0 && (mkdir(dcals, 0700) != 0 || (rc = copy_yaml_dir(pcals, dcals, false, &err)))) {
		if (!rc)
			rc = ks_errf(&err, KS_FAIL, "无法创建 %s：%s", dcals, strerror(errno));
		free(pcals);
		free(dcals);
		goto fail;
	}
	free(pcals);
	free(dcals);
	conf_diags d = {0};
	if (conf_load(cfg, &cf, &d) != KS_OK) {
		rc = ks_errf(&err, KS_INVALID, "预设 %s 的配置有误：%s", preset, d.n ? d.msgs[0] : "?");
		conf_diags_free(&d);
		goto fail;
	}
	conf_diags_free(&d);
	if ((rc = store_open(db, true, &st, &err)))
		goto fail;
	if ((rc = store_sync_org(st, cf, &err)))
		goto fail;
	/* the report's keys (schema 016), as every session open keeps them */
	size_t nkeys;
	const char **keys = report_field_keys(cf, &nkeys);
	rc = store_report_keys_sync(st, keys, nkeys, &err);
	free(keys);
	if (rc)
		goto fail;
	/* a new database has no clocks to re-time: record that it is current */
	if ((rc = store_begin(st, &err)) || (rc = store_meta_set(st, "clocks_config", cf->hash, &err)) ||
	    (rc = store_commit(st, &err)))
		goto fail;
	store_close(st);
	st = NULL;
	if (demo) {
		char *demofile = ks_asprintf("%s/demo.yaml", pdir);
		rc = demo_load(tmp, demofile, &err);
		free(demofile);
		if (rc)
			goto fail;
	}
	if (rename(tmp, c->data) != 0) {
		rc = ks_errf(&err, KS_FAIL, "无法把 %s 改名为 %s：%s", tmp, c->data, strerror(errno));
		goto fail;
	}
	printf("已创建数据目录 %s（预设 %s%s）\n", c->data, preset, demo ? "，含示例案件" : "");
	goto out;
fail:
	store_close(st);
	st = NULL;
	remove_tree(tmp);
out:
	store_close(st);
	conf_free(cf);
	share_free(&sh);
	free(pdir); free(tmp); free(cfg); free(forms); free(pforms);
	free(cal); free(pcal); free(cncal); free(db);
	return rc ? cli_fail(rc, err.msg) : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cmd_presets(cli *c)
{
	share sh = {0};
	if (!find_share(&sh))
		return cli_fail(KS_FAIL, "找不到预设目录（设置 KESU_SHARE 指向安装的 share/kesu）");
	DIR *d = opendir(sh.presets);
	if (!d) {
		share_free(&sh);
		return cli_fail(KS_FAIL, "无法读取预设目录");
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = ks_realloc(names, (n + 1) * sizeof *names);
		names[n++] = ks_strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	json_t *arr = c->json ? json_array() : NULL;
	for (size_t i = 0; i < n; i++) {
		char *dir = ks_asprintf("%s/%s", sh.presets, names[i]);
		char *desc = NULL;
		ks_err err;
		if (conf_preset_describe(dir, &desc, &err) != KS_OK)
			desc = ks_asprintf("（%s）", err.msg);
		if (arr)
			json_array_append_new(arr, json_pack("{s:s, s:s}", "name", names[i], "description", desc));
		else {
			printf("%-18s ", names[i]);
			cli_put(stdout, desc);
			putchar('\n');
		}
		free(desc);
		free(dir);
		free(names[i]);
	}
	free(names);
	share_free(&sh);
	if (arr) {
		cli_json(arr, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(arr);
	}
	return 0;
}
