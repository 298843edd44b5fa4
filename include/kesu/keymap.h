/* keymap.h — the table of requests and their default keys, and the names
 * of keys, shared by the terminal interface (src/tui/tui.c, which expands
 * the key columns into curses KEY_ codes) and the loader of tui.yaml
 * (src/conf/tuiconf.c, which only uses the name columns to check the names
 * people write). Neither macro is expanded with its key columns outside
 * tui.c, so this header needs no curses. */
#ifndef KESU_KEYMAP_H
#define KESU_KEYMAP_H

/* Requests. Columns: enum, name (for a future `bind` file), short label for
 * the status line, help text, then the keys bound to it: ASCII characters or
 * curses KEY_ codes (at most TUI_KEYS_MAX - 1). Requests shared by several
 * screens say in their help what each screen does with them. In a form, the
 * printable characters (and Space, digits, letters) are typed into the field
 * and never reach this table. */
#define TUI_REQ_LIST(X)                                                               \
	X(REQ_MOVE_DOWN,     "move-down",     "下移", "下移一行；表单中到下一栏",  'j', KEY_DOWN)     \
	X(REQ_MOVE_UP,       "move-up",       "上移", "上移一行；表单中到上一栏",  'k', KEY_UP)       \
	X(REQ_MOVE_LEFT,     "move-left",     "左移", "表单：光标左移一个字；选项栏选上一项", KEY_LEFT) \
	X(REQ_MOVE_RIGHT,    "move-right",    "右移", "表单：光标右移一个字；选项栏选下一项", KEY_RIGHT) \
	X(REQ_PAGE_DOWN,     "page-down",     "翻页", "下翻一页；表单中到下一组", ' ', KEY_NPAGE)    \
	X(REQ_PAGE_UP,       "page-up",       "上翻", "上翻一页；表单中到上一组", 'b', KEY_PPAGE)    \
	X(REQ_MOVE_FIRST,    "move-first",    "首行", "到第一行；表单中到行首",   'g', KEY_HOME)     \
	X(REQ_MOVE_LAST,     "move-last",     "末行", "到最后一行；表单中到行尾", 'G', KEY_END)      \
	X(REQ_NEXT,          "next",          "下一项", "下一个视图；表单中到下一栏", '\t')            \
	X(REQ_PREV,          "prev",          "上一项", "上一个视图；表单中到上一栏", KEY_BTAB)       \
	X(REQ_PICK,          "pick",          "选择", "案件列表：第 N 个视图；案件：第 N 个动作", \
	  '1', '2', '3', '4', '5', '6', '7', '8', '9')                                          \
	X(REQ_ENTER,         "enter",         "打开", "打开所选案件；表单中到下一栏，长文本中换行", '\n', '\r', KEY_ENTER) \
	X(REQ_NEW,           "new",           "登记", "登记新客诉（案件列表）",    'n')               \
	X(REQ_SAVE,          "save",          "保存", "保存表单",                  0x13, KEY_F(10))   \
	X(REQ_CANCEL,        "cancel",        "放弃", "放弃表单（先确认）；返回上一屏", 0x1b)          \
	X(REQ_DELETE_BACK,   "delete-back",   "删除", "删除光标前的一个字",        0x7f, KEY_BACKSPACE, 0x08) \
	X(REQ_DELETE,        "delete",        "删除", "删除光标处的一个字",        KEY_DC)            \
	X(REQ_REFRESH,       "refresh",       "刷新", "重新读取数据",             'r', KEY_F(5))     \
	X(REQ_SCREEN_REDRAW, "screen-redraw", "重绘", "重绘整个屏幕",             0x0c)              \
	X(REQ_HELP,          "help",          "帮助", "显示按键帮助",             '?', KEY_F(1))     \
	X(REQ_SEARCH,        "search",        "检索", "全文检索案件（中文任意长度）", '/')            \
	X(REQ_REPORT,        "report",        "报表", "月度统计报表（报表中 Left/Right 换月）", 'R') \
	X(REQ_REMIND,        "remind",        "催办", "发给我（我的角色或部门）的催办单、治办单和到期提醒", 'm') \
	X(REQ_TASKS,         "tasks",         "任务", "周期任务（统计表、周分析…）：本期与前两期，Enter 记录完成", 't') \
	X(REQ_VIEW_CLOSE,    "view-close",    "返回", "返回上一屏；在案件列表中退出", 'q')            \
	X(REQ_QUIT,          "quit",          "退出", "退出 kesu",                'Q')

#define TUI_KEYS_MAX 10   /* keys a request may have, plus one */

/* Names of keys as tui.yaml and the help screen write them, with the codes
 * they stand for (a name may stand for several codes: Enter is CR, LF and
 * the keypad's Enter). Besides these, a key is written as one printable
 * ASCII character ("j", "/", "?"), "Ctrl-A".."Ctrl-Z", or "F1".."F12". */
#define TUI_KEYNAME_LIST(X)                                                     \
	X("Space", ' ') X("Enter", '\n') X("Enter", '\r') X("Enter", KEY_ENTER)   \
	X("Down", KEY_DOWN) X("Up", KEY_UP) X("Left", KEY_LEFT) X("Right", KEY_RIGHT) \
	X("PgDn", KEY_NPAGE) X("PgUp", KEY_PPAGE) X("Home", KEY_HOME) X("End", KEY_END) \
	X("Esc", 0x1b) X("Backspace", 0x7f) X("Backspace", KEY_BACKSPACE)         \
	X("Tab", '\t') X("Shift-Tab", KEY_BTAB) X("Delete", KEY_DC) X("Insert", KEY_IC)

#endif
