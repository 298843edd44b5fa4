/* cli.h — the command line: one subcommand a file, one table of commands.
 *
 * Each command presents what core/ returns; it never holds policy. Exit codes
 * are ks_status values (CLI.md, "Exit status"). Errors are one line on stderr,
 * "kesu: message", with stored text made visible. */
#ifndef KESU_CLI_H
#define KESU_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include "kesu/session.h"

typedef struct cli {
	const char *data;     /* data directory */
	const char *as;       /* --as LOGIN, or NULL */
	const char *now;      /* --now TIME, or NULL */
	bool json;
	const char *cmd;
	int argc;             /* the command's own arguments */
	char **argv;
} cli;

/* name, function, synopsis, one-line help */
#define CLI_COMMAND_LIST(X) \
	X(init,         cmd_init,         "init [--preset NAME] [--demo]", "创建数据目录（配置来自预设）和新数据库；--demo 加入示例案件") \
	X(presets,      cmd_presets,      "presets",                       "列出预设及其说明") \
	X(check-config, cmd_check_config, "check-config",                  "检查 DIR/config，逐条列出错误（FILE:LINE:COL: 说明）") \
	X(doctor,       cmd_doctor,       "doctor",                        "检查部署：权限、WAL、完整性、配置、日历、时区、SSH 密钥、审计链；全部正常才返回 0") \
	X(users,        cmd_users,        "users",                         "员工：登录名、姓名、部门、角色") \
	X(new,          cmd_new,          "new KEY=VALUE...",              "登记客诉，打印案件编号") \
	X(show,         cmd_show,         "show CASE",                     "案件的字段、状态、表单和历史") \
	X(list,         cmd_list,         "list [--state S] [--dept D] [--overdue] [--mine] [--limit N] [--offset N]", "列出案件") \
	X(actions,      cmd_actions,      "actions CASE",                  "当前用户现在可对案件执行的动作") \
	X(do,           cmd_do,           "do CASE ACTION [KEY=VALUE...] [--version N]", "执行流程动作") \
	X(remind,       cmd_remind,       "remind",                        "开出现在到期的催办单、治办单和到期提醒；重复运行不会重复开单") \
	X(print,        cmd_print,        "print CASE [--form F] [--copy N [--round R]] [--reply] [--reminder N] [--format text|pdf] [-o FILE]", "处理表（或其中一联）排成纸面格式；--reply：给客户的答复信函；--reminder N：第 N 号催办单或治办单（remind、show 中的 #N）；--format pdf -o FILE：A4 PDF（-o 不覆盖已有文件，- 为标准输出）") \
	X(copies,       cmd_copies,       "copies [--holder D|LOGIN]",     "某部门（或本人）持有的联单（默认：当前用户的部门和本人）") \
	X(audit,        cmd_audit,        "audit verify [--head HEAD] | audit head", "重算审计链（事件与周期任务完成记录），指出第一处断裂；head 打印当前头") \
	X(keys,         cmd_keys,         "keys LOGIN PUBKEY-FILE",        "打印该员工经 SSH 服务账号登录用的 authorized_keys 行") \
	X(recompute,    cmd_recompute,    "recompute",                     "日历或时限变更后，重新计算未结时限的期限") \
	X(search,       cmd_search,       "search TEXT [--limit N] [--rank]", "全文检索案件（中文任意长度）；默认新案在前，--rank 按相关度") \
	X(penalty,      cmd_penalty,      "penalty --month YYYY-MM [--login L] | entries [--case CASE] [--login L] | sanction CASE LOGIN LEVEL [offence=CODE] [reason=TEXT] | appeal ENTRY reason=TEXT | reverse ENTRY reason=TEXT [amount=元] [appeal=ID]", "罚扣台账：每人当月的罚扣、上限、结转；行政处分、签呈、冲销") \
	X(backup,       cmd_backup,       "backup FILE",                   "在他人工作的同时做数据库的一致性备份（不覆盖已有文件），并检查副本的完整性和审计链") \
	X(report,       cmd_report,       "report monthly YYYY-MM | weekly YYYY-Www [--format text|csv|json|html] [--encoding UTF-8|GB18030]", "月度或周统计报表（ISO 周）：受理、结案、未结、分类统计、按时率、处理天数、逾期；html 为带 SVG 图表的 A4 页面") \
	X(export,       cmd_export,       "export [--format csv|json] [--encoding E]", "导出当前用户可见的案件（编号、状态、部门、日期和全部登记字段）") \
	X(import,       cmd_import,       "import FILE.csv [--encoding GBK|GB18030|UTF-8]", "导入旧登记表（保留原编号和日期）；任何一行有错则全部不导入，并逐行列出错误") \
	X(tasks,        cmd_tasks,        "tasks [--task KEY] [--recent N] | tasks done KEY [--period P] [--note TEXT]", "周期任务（tasks.yaml）：每项任务本期和近几期的状态（待办/已完成/逾期）；done 记录完成") \
	X(archive,      cmd_archive,      "archive list [--due] | archive dispose (--before DATE | CASE...) --yes", "档案保存期限（retention.yaml）：结案案件的保存截止日、状态和归档年度；dispose 销毁到期案件的个人资料（审计链仍可验证）")

#define CLI_DECL(name, fn, syn, help) int fn(cli *c);
CLI_COMMAND_LIST(CLI_DECL)
#undef CLI_DECL

/* Print "kesu: msg" on stderr (made visible) and return st. */
int cli_fail(ks_status st, const char *msg);
/* json_dumpf of v after every string in it (values and keys) has been made
 * visible with text_visible: stored text never reaches a terminal raw, in
 * JSON output either. Modifies v. */
struct json_t;
int cli_json(struct json_t *v, FILE *f, size_t flags);
/* Open the session for c: data directory, --now, and (if login) the person
 * acting. Prints the error and returns its status on failure. */
int cli_open(cli *c, session **out, bool login);
/* Whether the calling Unix account may use --as/--now on the data directory. */
bool cli_trusted(const char *dir);
/* Print s to f with control characters made visible. */
void cli_put(FILE *f, const char *s);
/* Print usage of one command (or all when name is NULL) to f. */
void cli_usage(FILE *f, const char *name);
/* Find the shared data (presets, forms, calendars) next to the binary.
 * Returns an allocated path to the directory holding presets/ forms/
 * calendars/ (installed: PREFIX/share/kesu) or the source tree (with
 * config/presets); *source is set for the latter. NULL if not found. */
char *cli_share_dir(bool *source);
/* Find kesu's helper program NAME (e.g. "kesu-pdf") the same way: beside
 * the binary's directory as ../lib/kesu/NAME when installed, else beside
 * the binary (the build tree). An allocated path, or NULL if not found. */
char *cli_helper(const char *name);

#endif
