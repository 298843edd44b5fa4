build-t/src/core/report.o: src/core/report.c include/kesu/report.h \
 include/kesu/session.h include/kesu/conf.h include/kesu/err.h \
 include/kesu/calendar.h include/kesu/store.h include/kesu/case.h \
 include/kesu/form.h include/kesu/clock.h
include/kesu/report.h:
include/kesu/session.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/store.h:
include/kesu/case.h:
include/kesu/form.h:
include/kesu/clock.h:
