/* fuzz_import.c — libFuzzer target for `kesu import`'s parser: bytes ->
 * (UTF-8, GBK or GB18030 by the first byte) -> libcsv rows with line numbers
 * -> header mapping and row checks against the manufacturing preset.
 * The first byte of an input picks the encoding (0: UTF-8, 1: GBK,
 * 2: GB18030, modulo 3). Never touches a database.
 *
 * The configuration is assembled once in a temporary directory from the
 * source tree (KESU_SRC, default "."): the preset, the shared forms and the
 * calendar, as `kesu init` does. Without it only the parsing is fuzzed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kesu/clock.h"
#include "kesu/conf.h"
#include "kesu/import.h"

static conf *cf;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *src = getenv("KESU_SRC") ? getenv("KESU_SRC") : ".";
	char dir[] = "/tmp/kesu-fuzz-import.XXXXXX";
	if (!mkdtemp(dir))
		return 0;
	char *cmd = ks_asprintf("cp -R '%s/config/presets/manufacturing/.' '%s/' && mkdir -p '%s/forms' && "
	                        "cp '%s'/forms/*.yaml '%s/forms/' && cp '%s/config/calendars/cn.yaml' '%s/calendar.yaml'",
	                        src, dir, dir, src, dir, src, dir);
	int rc = system(cmd);
	free(cmd);
	conf_diags d = { 0 };
	if (rc == 0 && conf_load(dir, &cf, &d) == KS_OK) {
		ks_err e;
		clock_set_zone(cf->timezone ? cf->timezone : "Asia/Shanghai", &e);
	}
	conf_diags_free(&d);
	cmd = ks_asprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_import: could not remove %s\n", dir);
	free(cmd);
	if (!cf)
		fprintf(stderr, "fuzz_import: no configuration under %s: fuzzing the CSV parser only\n", src);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const encs[] = { "UTF-8", "GBK", "GB18030" };
	/* the first byte chooses the encoding, the rest is the file */
	const char *enc = encs[size ? data[0] % 3 : 0];
	if (size) {
		data++;
		size--;
	}
	import_plan plan;
	ks_err e;
	if (import_parse(cf, (const char *)data, size, enc, 1893456000 /* 2030-01-01 */, &plan, &e) == KS_OK) {
		for (size_t i = 0; i < plan.nprobs; i++)
			if (plan.probs[i].line < 1 || !plan.probs[i].msg)
				abort();
		for (size_t i = 0; i < plan.ncases; i++)
			if (plan.cases[i].line < 2 || !plan.cases[i].fields)
				abort();
		import_plan_free(&plan);
	}
	return 0;
}
