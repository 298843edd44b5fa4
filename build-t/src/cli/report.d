build-t/src/cli/report.o: src/cli/report.c include/kesu/cli.h \
 include/kesu/session.h include/kesu/conf.h include/kesu/err.h \
 include/kesu/calendar.h include/kesu/store.h include/kesu/case.h \
 include/kesu/form.h include/kesu/clock.h include/kesu/report.h \
 include/kesu/rptconf.h include/kesu/text.h
include/kesu/cli.h:
include/kesu/session.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/store.h:
include/kesu/case.h:
include/kesu/form.h:
include/kesu/clock.h:
include/kesu/report.h:
include/kesu/rptconf.h:
include/kesu/text.h:
