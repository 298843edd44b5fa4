build-t/src/cli/print.o: src/cli/print.c include/kesu/cli.h \
 include/kesu/session.h include/kesu/conf.h include/kesu/err.h \
 include/kesu/calendar.h include/kesu/store.h include/kesu/case.h \
 include/kesu/form.h include/kesu/clock.h include/kesu/copies.h \
 include/kesu/penalty.h include/kesu/penconf.h include/kesu/print.h \
 include/kesu/text.h
include/kesu/cli.h:
include/kesu/session.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/store.h:
include/kesu/case.h:
include/kesu/form.h:
include/kesu/clock.h:
include/kesu/copies.h:
include/kesu/penalty.h:
include/kesu/penconf.h:
include/kesu/print.h:
include/kesu/text.h:
