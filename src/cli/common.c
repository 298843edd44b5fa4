/* common.c — what every command shares: opening the session, trust, errors,
 * safe output, usage, and where the shared presets live. */
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>
#include "kesu/cli.h"
#include "kesu/clock.h"
#include "kesu/text.h"

void cli_put(FILE *f, const char *s)
{
	char *v = text_visible(s ? s : "", true);
	fputs(v, f);
	free(v);
}

static void json_visible(json_t *v)
{
	if (json_is_string(v)) {
		char *t = text_visible(json_string_value(v), true);
		if (strcmp(t, json_string_value(v)))
			json_string_set(v, t);
		free(t);
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
			json_visible(x);
	} else if (json_is_object(v)) {
		const char *key;
		json_t *x;
		void *tmp;
		json_t *renamed = NULL;
		json_object_foreach_safe(v, tmp, key, x) {
			json_visible(x);
			char *t = text_visible(key, false);
			if (strcmp(t, key)) {
				if (!renamed)
					renamed = json_object();
				json_object_set(renamed, t, x);
				json_object_del(v, key);
			}
			free(t);
		}
		if (renamed) {
			json_object_update(v, renamed);
			json_decref(renamed);
		}
	}
}

int cli_json(json_t *v, FILE *f, size_t flags)
{
	json_visible(v);
	return json_dumpf(v, f, flags);
}

int cli_fail(ks_status st, const char *msg)
{
	char *v = text_visible(msg, false);
	fprintf(stderr, "kesu: %s\n", v);
	free(v);
	return (int)st;
}

bool cli_trusted(const char *dir)
{
	struct stat sb;
	if (stat(dir, &sb) != 0)
		return false;
	return sb.st_uid == geteuid() && sb.st_uid == getuid();
}

int cli_open(cli *c, session **out, bool login)
{
	*out = NULL;
	ks_err err;
	if ((c->as || c->now) && !cli_trusted(c->data)) {
		return cli_fail(KS_DENIED, "--as 和 --now 只允许数据目录的所有者使用");
	}
	struct stat sb;
	if (stat(c->data, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		char *m = ks_asprintf("数据目录 %s 不存在（用 kesu --data %s init 创建）", c->data, c->data);
		int rc = cli_fail(KS_NOTFOUND, m);
		free(m);
		return rc;
	}
	session *s;
	ks_status rc = session_open(c->data, &s, &err);
	if (rc)
		return cli_fail(rc, err.msg);
	if (c->now) {
		time_t t;
		if (!clock_parse(c->now, &t)) {
			session_close(s);
			return cli_fail(KS_INVALID, "--now 的时间应为 'YYYY-MM-DD HH:MM'");
		}
		clock_set_now(t);
	}
	/* a changed calendar or limits re-times the open clocks, at --now */
	int changed;
	if (strcmp(c->cmd ? c->cmd : "", "recompute") && (rc = session_retime(s, false, &changed, &err))) {
		session_close(s);
		return cli_fail(rc, err.msg);
	}
	if (login) {
		const char *who = c->as;
		char buf[256];
		if (!who) {
			struct passwd *pw = getpwuid(getuid());
			if (!pw) {
				session_close(s);
				return cli_fail(KS_DENIED, "无法确定当前的系统用户");
			}
			snprintf(buf, sizeof buf, "%s", pw->pw_name);
			who = buf;
		}
		if ((rc = session_login(s, who, &err))) {
			session_close(s);
			return cli_fail(rc, err.msg);
		}
	}
	*out = s;
	return 0;
}

typedef struct usage_row {
	const char *name, *syn, *help;
} usage_row;

static const usage_row usage_rows[] = {
#define CLI_U(name, fn, syn, help) { #name, syn, help },
	CLI_COMMAND_LIST(CLI_U)
#undef CLI_U
};

void cli_usage(FILE *f, const char *name)
{
	if (!name) {
		fputs("用法：kesu [全局选项] [命令 [参数]]\n\n"
		      "全局选项：\n"
		      "  -d, --data DIR   数据目录（kesu.db 和 config/）；默认 $KESU_DATA，否则 ./kesu-data\n"
		      "  --as LOGIN       以该员工身份操作（仅限数据目录的所有者）\n"
		      "  --now TIME       把时钟设为 TIME：'YYYY-MM-DD HH:MM'（仅限数据目录的所有者）\n"
		      "  --json           在标准输出打印 JSON\n"
		      "  -h, --help       帮助；kesu 命令 --help 查看单个命令\n"
		      "  --version        版本\n\n"
		      "命令（不带命令时打开终端界面）：\n", f);
	}
	for (size_t i = 0; i < sizeof usage_rows / sizeof *usage_rows; i++) {
		if (name && strcmp(name, usage_rows[i].name))
			continue;
		if (name)
			fprintf(f, "用法：kesu %s\n  %s\n", usage_rows[i].syn, usage_rows[i].help);
		else
			fprintf(f, "  %-48s %s\n", usage_rows[i].syn, usage_rows[i].help);
	}
	if (!name)
		fputs("\n退出码：0 完成，1 失败，2 用法或输入无效，3 无权操作，4 冲突或数据库繁忙，5 未找到\n", f);
}

static bool is_dir(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

char *cli_share_dir(bool *source)
{
	const char *env = getenv("KESU_SHARE");
	if (env && *env) {
		char *p = ks_asprintf("%s/presets", env);
		bool ok = is_dir(p);
		free(p);
		if (ok) {
			*source = false;
			return ks_strdup(env);
		}
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	/* installed: PREFIX/bin/kesu with PREFIX/share/kesu */
	char *p = ks_asprintf("%s/../share/kesu", exe);
	char *q = ks_asprintf("%s/presets", p);
	if (is_dir(q)) {
		free(q);
		*source = false;
		return p;
	}
	free(q);
	free(p);
	/* the source tree: build/kesu beside config/presets */
	static const char *const up[] = { "/..", "/../.." };
	for (size_t i = 0; i < 2; i++) {
		p = ks_asprintf("%s%s", exe, up[i]);
		q = ks_asprintf("%s/config/presets", p);
		if (is_dir(q)) {
			free(q);
			*source = true;
			return p;
		}
		free(q);
		free(p);
	}
	return NULL;
}

char *cli_helper(const char *name)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	/* installed: PREFIX/bin/kesu with PREFIX/lib/kesu/NAME; then the build
	 * tree: build/kesu beside build/NAME */
	static const char *const where[] = { "/../lib/kesu/", "/" };
	for (size_t i = 0; i < 2; i++) {
		char *p = ks_asprintf("%s%s%s", exe, where[i], name);
		struct stat sb;
		if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && access(p, X_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}
