/* preset.h — for the fuzz harnesses: a data directory's config/ made from the
 * manufacturing preset, the shared forms and the China calendar of the source
 * tree (KESU_SRC_DIR, set by the Makefile; $KESU_SRC overrides), in a fresh
 * temporary directory (on /dev/shm when there is one, so rewriting a file
 * costs no disk I/O).  Header-only: each harness is one translation unit. */
#ifndef KESU_FUZZ_PRESET_H
#define KESU_FUZZ_PRESET_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* the files of config/, relative to it, and where each comes from in the tree */
static const char *const preset_files[][2] = {
	{ "preset.yaml",      "config/presets/manufacturing/preset.yaml" },
	{ "departments.yaml", "config/presets/manufacturing/departments.yaml" },
	{ "staff.yaml",       "config/presets/manufacturing/staff.yaml" },
	{ "workflow.yaml",    "config/presets/manufacturing/workflow.yaml" },
	{ "routing.yaml",     "config/presets/manufacturing/routing.yaml" },
	{ "limits.yaml",      "config/presets/manufacturing/limits.yaml" },
	{ "penalty.yaml",     "config/presets/manufacturing/penalty.yaml" },
	{ "calendar.yaml",    "config/calendars/cn.yaml" },
	{ "forms/complaint.yaml",            "forms/complaint.yaml" },
	{ "forms/investigation_report.yaml", "forms/investigation_report.yaml" },
	{ "forms/monthly_report.yaml",       "forms/monthly_report.yaml" },
	{ "forms/urge_notice.yaml",          "forms/urge_notice.yaml" },
	{ "forms/escalation_notice.yaml",    "forms/escalation_notice.yaml" },
	/* the preset's own forms, which kesu init copies beside the shared ones */
	{ "forms/allowance_voucher.yaml",    "config/presets/manufacturing/forms/allowance_voucher.yaml" },
	{ "forms/dissent.yaml",              "config/presets/manufacturing/forms/dissent.yaml" },
	{ "forms/penalty_notice.yaml",       "config/presets/manufacturing/forms/penalty_notice.yaml" },
	{ "forms/return_voucher.yaml",       "config/presets/manufacturing/forms/return_voucher.yaml" },
	{ "forms/supplier_joint.yaml",       "config/presets/manufacturing/forms/supplier_joint.yaml" },
	{ "import.yaml",      "config/presets/manufacturing/import.yaml" },
	{ "tui.yaml",         "config/presets/manufacturing/tui.yaml" },
};
#define PRESET_NFILES (sizeof preset_files / sizeof *preset_files)

static char *preset_text[PRESET_NFILES];
static size_t preset_len[PRESET_NFILES];

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz: cannot read %s (set KESU_SRC to the source tree)\n", path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	if (!b || fread(b, 1, (size_t)n, f) != (size_t)n)
		exit(1);
	b[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return b;
}

static void spit(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "fuzz: cannot write %s\n", path);
		exit(1);
	}
}

static char preset_tmp[256];

/* at exit: remove what preset_setup made */
static void preset_cleanup(void)
{
	char path[4096];
	for (size_t i = 0; i < PRESET_NFILES; i++) {
		snprintf(path, sizeof path, "%s/config/%s", preset_tmp, preset_files[i][0]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/config/forms", preset_tmp);
	rmdir(path);
	snprintf(path, sizeof path, "%s/config", preset_tmp);
	rmdir(path);
	rmdir(preset_tmp);
}

/* Make DIR/config with the preset; returns DIR/config (static). */
static const char *preset_setup(void)
{
	static char conf[4096];
	const char *src = getenv("KESU_SRC");
	if (!src || !*src)
		src = KESU_SRC_DIR;
	char *tmpl = preset_tmp;
	snprintf(tmpl, sizeof preset_tmp, "%s/kesu-fuzz.XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(tmpl))
		exit(1);
	atexit(preset_cleanup);
	snprintf(conf, sizeof conf, "%s/config", tmpl);
	char path[4096];
	snprintf(path, sizeof path, "%s/forms", conf);
	if (mkdir(conf, 0700) || mkdir(path, 0700))
		exit(1);
	for (size_t i = 0; i < PRESET_NFILES; i++) {
		snprintf(path, sizeof path, "%s/%s", src, preset_files[i][1]);
		preset_text[i] = slurp(path, &preset_len[i]);
		snprintf(path, sizeof path, "%s/%s", conf, preset_files[i][0]);
		spit(path, preset_text[i], preset_len[i]);
	}
	return conf;
}

#endif
