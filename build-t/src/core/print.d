build-t/src/core/print.o: src/core/print.c include/kesu/print.h \
 include/kesu/conf.h include/kesu/err.h include/kesu/calendar.h \
 include/kesu/store.h include/kesu/clock.h include/kesu/form.h \
 include/kesu/text.h
include/kesu/print.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/store.h:
include/kesu/clock.h:
include/kesu/form.h:
include/kesu/text.h:
