/* doctor.c — `kesu doctor`: check a deployment and say how to fix what is
 * wrong. Reads only: files are stat()ed, the configuration loaded, the
 * database opened read-only. */
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kesu/doctor.h"
#include "kesu/audit.h"
#include "kesu/calendar.h"
#include "kesu/clock.h"
#include "kesu/conf.h"
#include "kesu/store.h"
#include "kesu/yaml.h"

#define DEFAULT_HORIZON_DAYS 60

static const char *const check_names[] = {
#define DOCTOR_X(id, name, label) name,
	DOCTOR_CHECK_LIST(DOCTOR_X)
#undef DOCTOR_X
};

static const char *const check_labels[] = {
#define DOCTOR_X(id, name, label) label,
	DOCTOR_CHECK_LIST(DOCTOR_X)
#undef DOCTOR_X
};

const char *doctor_check_name(doctor_kind k)
{
	return (unsigned)k < DOCTOR__COUNT ? check_names[k] : "?";
}

const char *doctor_check_label(doctor_kind k)
{
	return (unsigned)k < DOCTOR__COUNT ? check_labels[k] : "?";
}

/* Append a formatted sentence to *acc, separated by "；". */
static void appendf(char **acc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void appendf(char **acc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *part = NULL;
	if (vasprintf(&part, fmt, ap) < 0)
		abort();
	va_end(ap);
	char *n = ks_asprintf("%s%s%s", *acc ? *acc : "", *acc ? "；" : "", part);
	free(part);
	free(*acc);
	*acc = n;
}

/* Record the finding of check k; takes msg and fix (fix freed when ok). */
static void put(doctor_report *r, doctor_kind k, bool ok, char *msg, char *fix)
{
	doctor_finding *f = &r->items[k];
	free(f->message);
	free(f->fix);
	f->kind = k;
	f->ok = ok;
	f->message = msg;
	if (ok) {
		free(fix);
		fix = NULL;
	}
	f->fix = fix;
}

static void skip(doctor_report *r, doctor_kind k, const char *why)
{
	put(r, k, false, ks_asprintf("未检查%s：%s", doctor_check_label(k), why),
	    ks_strdup("先解决上面的问题，再运行 kesu doctor"));
}

static char *user_name(uid_t uid)
{
	struct passwd *pw = getpwuid(uid);
	return pw ? ks_strdup(pw->pw_name) : ks_asprintf("uid %ld", (long)uid);
}

/* ---- files ------------------------------------------------------------ */

typedef struct dstate {
	const char *dir;
	bool dir_ok;       /* the directory exists */
	bool owner;        /* and we are its owner */
	uid_t uid;         /* its owner */
	char *uname;
	bool db;           /* kesu.db exists */
	conf *cf;
	bool zone;         /* the configuration's time zone is installed */
	store *st;
} dstate;

static void check_dir(dstate *d, doctor_report *r)
{
	struct stat sb;
	if (stat(d->dir, &sb) != 0) {
		int e = errno;
		if (e == ENOENT)
			put(r, DOCTOR_DATA_DIR, false, ks_asprintf("数据目录 %s 不存在", d->dir),
			    ks_asprintf("用 kesu --data %s init 创建它，或用 --data 或 KESU_DATA 指向现有的数据目录",
			                d->dir));
		else
			put(r, DOCTOR_DATA_DIR, false, ks_asprintf("无法访问数据目录 %s：%s", d->dir, strerror(e)),
			    ks_strdup("检查路径和各级上级目录的权限，并以服务账号运行 kesu"));
		return;
	}
	if (!S_ISDIR(sb.st_mode)) {
		put(r, DOCTOR_DATA_DIR, false, ks_asprintf("%s 不是目录", d->dir),
		    ks_strdup("用 --data 或 KESU_DATA 指向 kesu init 创建的数据目录"));
		return;
	}
	d->dir_ok = true;
	d->uid = sb.st_uid;
	d->uname = user_name(sb.st_uid);
	d->owner = sb.st_uid == geteuid();
	char *msg = NULL, *fix = NULL;
	if (!d->owner) {
		char *me = user_name(geteuid());
		appendf(&msg, "数据目录 %s 属于 %s，而你是 %s", d->dir, d->uname, me);
		appendf(&fix, "以数据目录的所有者（服务账号）运行 kesu，例如 sudo -u %s kesu --data %s doctor",
		        d->uname, d->dir);
		free(me);
	}
	unsigned mode = sb.st_mode & 07777;
	if (mode != 0700) {
		appendf(&msg, "数据目录 %s 的权限是 %04o，应为 0700（只有服务账号能进入）", d->dir, mode);
		appendf(&fix, "chmod 0700 %s", d->dir);
	}
	if (msg)
		put(r, DOCTOR_DATA_DIR, false, msg, fix);
	else
		put(r, DOCTOR_DATA_DIR, true, ks_asprintf("数据目录 %s 属于 %s，权限 0700", d->dir, d->uname), NULL);
}

static void check_files(dstate *d, doctor_report *r)
{
	if (!d->dir_ok) {
		skip(r, DOCTOR_DB_FILES, "数据目录不可用");
		return;
	}
	static const char *const names[] = { "kesu.db", "kesu.db-wal", "kesu.db-shm" };
	char *msg = NULL, *fix = NULL;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		char *p = ks_asprintf("%s/%s", d->dir, names[i]);
		struct stat sb;
		if (lstat(p, &sb) != 0) {
			if (errno != ENOENT) {
				appendf(&msg, "无法访问 %s：%s", p, strerror(errno));
				appendf(&fix, "检查 %s 的权限", d->dir);
			} else if (i == 0) {
				appendf(&msg, "没有数据库 %s", p);
				appendf(&fix, "数据目录应由 kesu init 创建；数据库丢失时从备份恢复 kesu.db");
			}
			free(p);
			continue;
		}
		if (i == 0)
			d->db = S_ISREG(sb.st_mode);
		if (!S_ISREG(sb.st_mode)) {
			appendf(&msg, "%s 不是普通文件", p);
			appendf(&fix, "移走 %s，从备份恢复", p);
			free(p);
			continue;
		}
		if (sb.st_uid != d->uid) {
			char *u = user_name(sb.st_uid);
			appendf(&msg, "%s 属于 %s，应属于数据目录的所有者 %s", p, u, d->uname);
			appendf(&fix, "chown %s %s", d->uname, p);
			free(u);
		}
		unsigned mode = sb.st_mode & 07777;
		if (mode != 0600) {
			appendf(&msg, "%s 的权限是 %04o，应为 0600", p, mode);
			appendf(&fix, "chmod 0600 %s", p);
		}
		free(p);
	}
	if (msg)
		put(r, DOCTOR_DB_FILES, false, msg, fix);
	else
		put(r, DOCTOR_DB_FILES, true,
		    ks_asprintf("kesu.db 及其 -wal、-shm 文件属于 %s，权限 0600", d->uname), NULL);
}

/* ---- configuration, time zone, calendar --------------------------------- */

static void check_config(dstate *d, doctor_report *r)
{
	if (!d->dir_ok) {
		skip(r, DOCTOR_CONFIG, "数据目录不可用");
		return;
	}
	char *cdir = ks_asprintf("%s/config", d->dir);
	conf_diags diags = {0};
	if (conf_load(cdir, &d->cf, &diags) != KS_OK) {
		put(r, DOCTOR_CONFIG, false,
		    ks_asprintf("配置有 %zu 处错误，第一处：%s/%s", diags.n, cdir, diags.n ? diags.msgs[0] : "?"),
		    ks_asprintf("运行 kesu --data %s check-config 查看全部错误，改正 %s 中的文件", d->dir, cdir));
	} else {
		const conf *c = d->cf;
		put(r, DOCTOR_CONFIG, true,
		    ks_asprintf("配置无误：%zu 个部门、%zu 名员工、%zu 个状态、%zu 个动作、%zu 张表单", c->ndepts,
		                c->nstaff, c->nstates, c->nactions, c->nforms),
		    NULL);
	}
	conf_diags_free(&diags);
	free(cdir);
}

/* ---- form files --------------------------------------------------------- */

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yaml file names in dir, sorted (NULL, *n 0: none or unreadable). */
static char **yaml_names(const char *dir, size_t *n)
{
	*n = 0;
	DIR *dp = opendir(dir);
	if (!dp)
		return NULL;
	char **v = NULL;
	struct dirent *e;
	while ((e = readdir(dp))) {
		size_t len = strlen(e->d_name);
		if (len <= 5 || strcmp(e->d_name + len - 5, ".yaml") || e->d_name[0] == '.')
			continue;
		v = ks_realloc(v, (*n + 1) * sizeof *v);
		v[(*n)++] = ks_strdup(e->d_name);
	}
	closedir(dp);
	if (*n)
		qsort(v, *n, sizeof *v, cmp_name);
	return v;
}

static void names_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The scalar at path (keys, NULL-terminated) of the YAML file, or NULL. */
static char *yaml_scalar(const char *file, const char *const *path)
{
	ynode *root = NULL;
	ks_err err;
	if (ynode_load(file, &root, &err) != KS_OK || !root)
		return NULL;
	const ynode *n = root;
	for (; n && *path; path++)
		n = ynode_get(n, *path);
	char *v = n && n->kind == YNODE_SCALAR && n->str ? ks_strdup(n->str) : NULL;
	ynode_free(root);
	return v;
}

/* The preset name of config/preset.yaml, read on its own (the configuration
 * may not load, e.g. because a form it names is missing); NULL unless it is
 * a plain name (as kesu init accepts). */
static char *preset_name(const char *dir)
{
	static const char *const key[] = { "name", NULL };
	char *file = ks_asprintf("%s/config/preset.yaml", dir);
	char *name = yaml_scalar(file, key);
	free(file);
	bool plain = name && *name;
	for (const char *p = name; plain && *p; p++)
		plain = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_';
	if (!plain) {
		free(name);
		return NULL;
	}
	return name;
}

/* Every form file kesu init would lay into config/forms now (the preset's
 * over the shared ones) that the data directory lacks: kesu loads every
 * file there, so each is a form the engine can use. */
static void check_forms(dstate *d, const doctor_opts *o, doctor_report *r)
{
	if (!d->dir_ok) {
		skip(r, DOCTOR_FORMS, "数据目录不可用");
		return;
	}
	if (!o->share_forms) {
		put(r, DOCTOR_FORMS, true,
		    ks_strdup("找不到安装目录中的表单（share/kesu/forms）：未与 config/forms 比对"), NULL);
		return;
	}
	char *name = preset_name(d->dir);
	char *pforms = name && o->share_presets ? ks_asprintf("%s/%s/forms", o->share_presets, name) : NULL;
	size_t np = 0, ns = 0;
	char **pv = pforms ? yaml_names(pforms, &np) : NULL;
	char **sv = yaml_names(o->share_forms, &ns);
	char *cforms = ks_asprintf("%s/config/forms", d->dir);
	struct stat csb;
	bool no_dir = stat(cforms, &csb) != 0;
	char *missing = NULL, *srcs = NULL;
	size_t nmissing = 0;
	/* the preset's files first (they are what init copies last), then the
	 * shared ones the preset does not replace */
	for (size_t k = 0; k < np + ns; k++) {
		const char *file = k < np ? pv[k] : sv[k - np];
		const char *from = k < np ? pforms : o->share_forms;
		if (k >= np && bsearch(&file, pv, np, sizeof *pv, cmp_name))
			continue;
		char *have = ks_asprintf("%s/%s", cforms, file);
		struct stat sb;
		bool gone = lstat(have, &sb) != 0 && errno == ENOENT;
		free(have);
		if (!gone)
			continue;
		static const char *const title_key[] = { "form", "title", NULL };
		char *src = ks_asprintf("%s/%s", from, file);
		char *title = yaml_scalar(src, title_key);
		char *m = ks_asprintf("%s%s%s%s%s%s", missing ? missing : "", missing ? "、" : "", file,
		                      title ? "（" : "", title ? title : "", title ? "）" : "");
		free(missing);
		missing = m;
		char *s2 = ks_asprintf("%s%s%s", srcs ? srcs : "", srcs ? " " : "", src);
		free(srcs);
		srcs = s2;
		nmissing++;
		free(title);
		free(src);
	}
	if (nmissing)
		put(r, DOCTOR_FORMS, false,
		    ks_asprintf("%s 缺少安装目录中的 %zu 个表单文件：%s。kesu 装载 config/forms 中的全部表单，"
		                "缺少时用到它们的命令会失败（较早的 kesu init 创建的数据目录没有后来加入的表单）",
		                cforms, nmissing, missing),
		    ks_asprintf("%s%s%scp %s %s/，然后运行 kesu --data %s check-config（以数据目录的所有者，即服务账号 %s 运行）",
		                no_dir ? "mkdir -m 0700 " : "", no_dir ? cforms : "", no_dir ? " && " : "", srcs, cforms,
		                d->dir, d->uname));
	else if (np)
		put(r, DOCTOR_FORMS, true,
		    ks_asprintf("%s 有安装目录中的全部表单文件：共享的 %zu 个、预设 %s 的 %zu 个", cforms, ns, name, np),
		    NULL);
	else
		put(r, DOCTOR_FORMS, true, ks_asprintf("%s 有安装目录中的全部 %zu 个共享表单文件", cforms, ns), NULL);
	free(missing);
	free(srcs);
	free(cforms);
	names_free(pv, np);
	names_free(sv, ns);
	free(pforms);
	free(name);
}

static void check_zone(dstate *d, doctor_report *r)
{
	if (!d->cf) {
		skip(r, DOCTOR_TIMEZONE, d->dir_ok ? "配置有误" : "数据目录不可用");
		return;
	}
	ks_err err;
	if (clock_set_zone(d->cf->timezone, &err) != KS_OK) {
		put(r, DOCTOR_TIMEZONE, false,
		    ks_asprintf("日历使用的时区 %s 在本机不可用：%s", d->cf->timezone, err.msg),
		    ks_strdup("安装时区数据：apt-get install tzdata（或把 TZDIR 指向时区数据目录）"));
		return;
	}
	d->zone = true;
	put(r, DOCTOR_TIMEZONE, true, ks_asprintf("时区 %s：本机有该时区的数据", d->cf->timezone), NULL);
}

static void check_calendar(dstate *d, const doctor_opts *o, doctor_report *r)
{
	if (!d->cf || !d->zone) {
		skip(r, DOCTOR_CALENDAR, !d->dir_ok ? "数据目录不可用" : !d->cf ? "配置有误" : "缺少时区数据");
		return;
	}
	time_t now = clock_now();
	if (o->now)
		clock_parse(o->now, &now); /* checked by doctor_run */
	int horizon = o->horizon_days > 0 ? o->horizon_days : DEFAULT_HORIZON_DAYS;
	calendar_date from = calendar_date_of(now);
	calendar_date to = calendar_date_of(now + (time_t)horizon * 86400);
	const calendar *cal = d->cf->cal;
	char *missing = NULL;
	int nmissing = 0, first_missing = 0;
	for (int y = from.year; y <= to.year; y++) {
		if (calendar_has_year(cal, y))
			continue;
		if (!nmissing++)
			first_missing = y;
		char *n = ks_asprintf("%s%s%d", missing ? missing : "", missing ? "、" : "", y);
		free(missing);
		missing = n;
	}
	char until[48];
	snprintf(until, sizeof until, "%04d-%02d-%02d", to.year, to.month, to.day);
	if (nmissing) {
		put(r, DOCTOR_CALENDAR, false,
		    ks_asprintf("工作日历 %s 没有 %s 年的节假日数据，而今后 %d 天（到 %s）会用到：%s",
		                calendar_name(cal), missing, horizon, until,
		                calendar_unknown_workweek(cal)
		                    ? "期限落在该年的暂按周一至周五计算（不含节假日），录入后自动重算"
		                    : "期限落在该年的操作将会失败"),
		    ks_asprintf("按国务院办公厅关于 %d 年部分节假日安排的通知（每年 11 月前后发布），在 %s/config/calendar.yaml "
		                "的 years 下加入 %s 年（格式见文件开头），再运行 kesu --data %s check-config 和 "
		                "kesu --data %s recompute；安装目录 share/kesu/calendars/ 中的日历也应一并更新，供新建的数据目录使用",
		                first_missing, d->dir, missing, d->dir, d->dir));
	} else {
		put(r, DOCTOR_CALENDAR, true,
		    from.year == to.year
		        ? ks_asprintf("工作日历 %s 有 %d 年的节假日数据，够用到 %s（今后 %d 天）", calendar_name(cal),
		                      from.year, until, horizon)
		        : ks_asprintf("工作日历 %s 有 %d–%d 年的节假日数据，够用到 %s（今后 %d 天）", calendar_name(cal),
		                      from.year, to.year, until, horizon),
		    NULL);
	}
	free(missing);
}

/* ---- the database ----------------------------------------------------- */

static const char *db_skip_reason(const dstate *d)
{
	if (!d->dir_ok)
		return "数据目录不可用";
	if (!d->owner)
		return "须以数据目录的所有者运行（别的账号打开数据库会留下不属于服务账号的 -wal、-shm 文件）";
	if (!d->db)
		return "没有数据库";
	return NULL;
}

static void check_db(dstate *d, doctor_report *r)
{
	const char *why = db_skip_reason(d);
	ks_err err;
	if (!why) {
		char *path = ks_asprintf("%s/kesu.db", d->dir);
		if (store_open_readonly(path, &d->st, &err) != KS_OK) {
			for (doctor_kind k = DOCTOR_WAL; k <= DOCTOR_INTEGRITY; k++)
				put(r, k, false, ks_strdup(err.msg),
				    ks_asprintf("确认 %s 是 kesu 的数据库；损坏时从备份恢复", path));
			free(path);
			return;
		}
		free(path);
	}
	if (why) {
		skip(r, DOCTOR_WAL, why);
		skip(r, DOCTOR_SCHEMA, why);
		skip(r, DOCTOR_INTEGRITY, why);
		return;
	}
	char *mode = NULL;
	if (store_journal_mode(d->st, &mode, &err) != KS_OK)
		put(r, DOCTOR_WAL, false, ks_asprintf("无法读取日志模式：%s", err.msg),
		    ks_strdup("稍后再试；一直失败时检查数据库文件"));
	else if (strcasecmp(mode, "wal") != 0)
		put(r, DOCTOR_WAL, false,
		    ks_asprintf("数据库的日志模式是 %s，不是 WAL：多人同时使用时会互相阻塞，断电时也不如 WAL 可靠", mode),
		    ks_asprintf("停止所有 kesu 进程后运行 sqlite3 %s/kesu.db 'PRAGMA journal_mode=WAL'"
		                "（kesu 下次打开数据库时也会自动设置）",
		                d->dir));
	else
		put(r, DOCTOR_WAL, true, ks_strdup("数据库使用 WAL 模式"), NULL);
	free(mode);

	int have = 0, want = 0;
	if (store_schema_version(d->st, &have, &want, &err) != KS_OK)
		put(r, DOCTOR_SCHEMA, false, ks_asprintf("无法读取数据库版本：%s", err.msg),
		    ks_strdup("稍后再试；一直失败时检查数据库文件"));
	else if (have > want)
		put(r, DOCTOR_SCHEMA, false,
		    ks_asprintf("数据库版本 %d 比本程序支持的版本 %d 新：本程序无法使用它", have, want),
		    ks_strdup("安装与创建该数据库的版本相同或更新的 kesu；不要用旧版本打开它"));
	else if (have < want)
		put(r, DOCTOR_SCHEMA, true,
		    ks_asprintf("数据库版本 %d，本程序为 %d：下次打开数据库时会自动升级", have, want), NULL);
	else
		put(r, DOCTOR_SCHEMA, true, ks_asprintf("数据库版本 %d，与本程序一致", have), NULL);

	char *problems = NULL;
	if (store_integrity(d->st, &problems, &err) != KS_OK)
		put(r, DOCTOR_INTEGRITY, false, ks_asprintf("无法完成完整性检查：%s", err.msg),
		    ks_strdup("稍后再试；一直失败时检查磁盘和数据库文件"));
	else if (problems)
		put(r, DOCTOR_INTEGRITY, false, ks_asprintf("数据库已损坏：%s", problems),
		    ks_asprintf("停止使用 kesu，先把 %s 整个复制一份留作调查，再从最近的备份恢复 kesu.db", d->dir));
	else
		put(r, DOCTOR_INTEGRITY, true, ks_strdup("数据库完整（PRAGMA integrity_check：ok）"), NULL);
	free(problems);
}

static void check_audit(dstate *d, doctor_report *r)
{
	if (!d->st) {
		const char *why = db_skip_reason(d);
		skip(r, DOCTOR_AUDIT, why ? why : "无法打开数据库");
		return;
	}
	audit_result ar;
	ks_err err;
	ks_status rc = audit_verify(d->st, NULL, &ar, &err);
	if (rc)
		put(r, DOCTOR_AUDIT, false, ks_strdup(err.msg),
		    ks_asprintf("不要再写入；把 %s 复制一份留作调查，用 kesu audit verify --head 对照以前记下的头哈希"
		                "（audit-heads.txt）找出被改动的记录，再从改动之前的备份恢复",
		                d->dir));
	else
		put(r, DOCTOR_AUDIT, true,
		    ar.ntasks ? ks_asprintf("审计链完好：%lld 条事件、%lld 条周期任务完成记录，头哈希 %.16s…", ar.nevents,
		                            ar.ntasks, ar.head)
		              : ks_asprintf("审计链完好：%lld 条事件，头哈希 %.16s…", ar.nevents, ar.head),
		    NULL);
}

/* ---- SSH keys --------------------------------------------------------- */

/* Copy the word at *p (up to whitespace; quotes removed) into out. */
static const char *next_word(const char *p, char *out, size_t n)
{
	size_t k = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	char q = 0;
	for (; *p && (q || (*p != ' ' && *p != '\t')); p++) {
		if (!q && (*p == '"' || *p == '\''))
			q = *p;
		else if (q && *p == q)
			q = 0;
		else if (k + 1 < n)
			out[k++] = *p;
	}
	if (n)
		out[k] = '\0';
	return p;
}

int doctor_key_login(const char *line, char *out, size_t n)
{
	if (n)
		out[0] = '\0';
	while (*line == ' ' || *line == '\t')
		line++;
	if (!*line || *line == '#' || *line == '\n' || *line == '\r')
		return -2;
	/* a line starting with the key type has no options */
	if (!strncmp(line, "ssh-", 4) || !strncmp(line, "ecdsa-", 6) || !strncmp(line, "sk-", 3))
		return -1;
	/* the options run to the first unquoted blank: find command="…" in them */
	const char *p = line;
	char *cmd = NULL;
	bool start = true;
	while (*p && *p != ' ' && *p != '\t') {
		if (start && !strncasecmp(p, "command=\"", 9)) {
			p += 9;
			size_t cap = strlen(p) + 1, k = 0;
			cmd = ks_malloc(cap);
			for (; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1] == '"')
					p++;
				cmd[k++] = *p;
			}
			cmd[k] = '\0';
			if (*p == '"')
				p++;
			start = false;
			continue;
		}
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p)
				p++;
			start = false;
			continue;
		}
		start = *p == ',';
		p++;
	}
	if (!cmd)
		return -1;
	const char *q = cmd;
	char word[256];
	int found = 0;
	while (*q) {
		q = next_word(q, word, sizeof word);
		if (!strcmp(word, "--as")) {
			next_word(q, word, sizeof word);
			if (word[0]) {
				snprintf(out, n, "%s", word);
				found = 1;
			}
			break;
		}
		if (!strncmp(word, "--as=", 5) && word[5]) {
			snprintf(out, n, "%s", word + 5);
			found = 1;
			break;
		}
	}
	if (!found)
		snprintf(out, n, "%s", cmd);
	free(cmd);
	return found;
}

typedef struct keyed {
	char **logins;
	size_t n;
} keyed;

static bool keyed_has(const keyed *k, const char *login)
{
	for (size_t i = 0; i < k->n; i++)
		if (!strcmp(k->logins[i], login))
			return true;
	return false;
}

static void check_keys(dstate *d, const doctor_opts *o, doctor_report *r)
{
	if (!d->cf) {
		const char *why = !d->dir_ok ? "数据目录不可用" : "配置有误";
		skip(r, DOCTOR_KEYS, why);
		skip(r, DOCTOR_STAFF_ACCESS, why);
		return;
	}
	char *home = NULL;
	if (o->home && *o->home) {
		home = ks_strdup(o->home);
	} else {
		struct passwd *pw = getpwuid(d->uid);
		if (pw && pw->pw_dir)
			home = ks_strdup(pw->pw_dir);
	}
	if (!home) {
		put(r, DOCTOR_KEYS, true, ks_asprintf("服务账号 %s 没有主目录：不经 SSH 登录，跳过密钥检查", d->uname),
		    NULL);
		put(r, DOCTOR_STAFF_ACCESS, true, ks_strdup("不经 SSH 登录，跳过员工登录途径的检查"), NULL);
		return;
	}
	char *path = ks_asprintf("%s/.ssh/authorized_keys", home);
	free(home);
	FILE *f = fopen(path, "r");
	if (!f) {
		int e = errno;
		if (e == ENOENT) {
			put(r, DOCTOR_KEYS, true, ks_asprintf("没有 %s：不经 SSH 登录，跳过密钥检查", path), NULL);
			put(r, DOCTOR_STAFF_ACCESS, true, ks_strdup("不经 SSH 登录，跳过员工登录途径的检查"), NULL);
		} else {
			put(r, DOCTOR_KEYS, false, ks_asprintf("无法读取 %s：%s", path, strerror(e)),
			    ks_asprintf("以服务账号 %s 运行 kesu doctor，并检查该文件的权限", d->uname));
			skip(r, DOCTOR_STAFF_ACCESS, "无法读取 authorized_keys");
		}
		free(path);
		return;
	}
	keyed k = {0};
	char *line = NULL, *msg = NULL;
	size_t cap = 0;
	int lineno = 0, nkeys = 0;
	bool bare = false, no_as = false, unknown = false, disabled = false;
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		char who[256];
		int rc = doctor_key_login(line, who, sizeof who);
		if (rc == -2)
			continue;
		nkeys++;
		if (rc == -1) {
			appendf(&msg, "第 %d 行的密钥没有 command=，持有它的人可以直接进入服务账号的 shell，绕过 kesu 的权限和审计",
			        lineno);
			bare = true;
			continue;
		}
		if (rc == 0) {
			if (strstr(who, "kesu")) {
				appendf(&msg, "第 %d 行的 command 没有 --as 登录名", lineno);
				no_as = true;
			}
			continue;
		}
		const conf_staff *p = conf_find_staff(d->cf, who);
		if (!p) {
			appendf(&msg, "第 %d 行的密钥以 %s 登录，但 staff.yaml 中没有这名员工", lineno, who);
			unknown = true;
		} else if (!p->active) {
			appendf(&msg, "第 %d 行的密钥属于已停用的员工 %s（%s）", lineno, p->name, p->login);
			disabled = true;
		} else if (!keyed_has(&k, p->login)) {
			k.logins = ks_realloc(k.logins, (k.n + 1) * sizeof *k.logins);
			k.logins[k.n++] = ks_strdup(p->login);
		}
	}
	free(line);
	fclose(f);
	if (msg) {
		char *full = ks_asprintf("%s：%s", path, msg);
		char *fix = NULL;
		if (bare || no_as)
			appendf(&fix, "每把员工的密钥都要带 command=\"kesu --data %s --as 登录名\"（kesu keys 登录名 公钥文件 "
			              "会生成整行），管理员自己的密钥放到自己的账号下",
			        d->dir);
		if (unknown)
			appendf(&fix, "删除未登记员工的行，或在 staff.yaml 中登记该员工");
		if (disabled)
			appendf(&fix, "删除已停用员工的行（停用的员工不应再能登录）");
		appendf(&fix, "编辑 %s", path);
		put(r, DOCTOR_KEYS, false, full, fix);
		free(msg);
	} else {
		put(r, DOCTOR_KEYS, true, ks_asprintf("%s 中的 %d 把密钥都对应在职员工", path, nkeys), NULL);
	}
	/* active staff who can reach kesu neither by key nor by their own account */
	char *lacking = NULL;
	int nlacking = 0;
	for (size_t i = 0; i < d->cf->nstaff; i++) {
		const conf_staff *p = &d->cf->staff[i];
		if (!p->active || keyed_has(&k, p->login) || getpwnam(p->login))
			continue;
		nlacking++;
		char *n = ks_asprintf("%s%s%s（%s）", lacking ? lacking : "", lacking ? "、" : "", p->login, p->name);
		free(lacking);
		lacking = n;
	}
	if (nlacking)
		put(r, DOCTOR_STAFF_ACCESS, false,
		    ks_asprintf("%d 名在职员工既没有密钥也没有同名的本机账号，无法登录 kesu：%s", nlacking, lacking),
		    ks_asprintf("用 kesu --data %s keys 登录名 公钥文件 >> %s 加上他们的密钥；已离职的在 staff.yaml 中设 "
		                "active: false",
		                d->dir, path));
	else
		put(r, DOCTOR_STAFF_ACCESS, true, ks_strdup("每名在职员工都有密钥或同名的本机账号"), NULL);
	free(lacking);
	for (size_t i = 0; i < k.n; i++)
		free(k.logins[i]);
	free(k.logins);
	free(path);
}

/* ---- the run ---------------------------------------------------------- */

ks_status doctor_run(const char *dir, const doctor_opts *opts, doctor_report *r, ks_err *err)
{
	memset(r, 0, sizeof *r);
	doctor_opts o = {0};
	if (opts)
		o = *opts;
	time_t t;
	if (o.now && !clock_parse(o.now, &t))
		return ks_errf(err, KS_INVALID, "--now 的时间应为 'YYYY-MM-DD HH:MM'");
	dstate d = { .dir = dir };
	check_dir(&d, r);
	check_files(&d, r);
	check_config(&d, r);
	check_forms(&d, &o, r);
	check_zone(&d, r);
	check_calendar(&d, &o, r);
	check_db(&d, r);
	check_keys(&d, &o, r);
	check_audit(&d, r);
	store_close(d.st);
	conf_free(d.cf);
	free(d.uname);
	return KS_OK;
}

void doctor_report_free(doctor_report *r)
{
	for (size_t i = 0; i < DOCTOR__COUNT; i++) {
		free(r->items[i].message);
		free(r->items[i].fix);
		r->items[i].message = r->items[i].fix = NULL;
	}
}

bool doctor_report_ok(const doctor_report *r)
{
	for (size_t i = 0; i < DOCTOR__COUNT; i++)
		if (!r->items[i].ok)
			return false;
	return true;
}
