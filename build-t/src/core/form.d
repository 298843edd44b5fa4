build-t/src/core/form.o: src/core/form.c include/kesu/form.h \
 include/kesu/conf.h include/kesu/err.h include/kesu/calendar.h \
 include/kesu/clock.h include/kesu/text.h
include/kesu/form.h:
include/kesu/conf.h:
include/kesu/err.h:
include/kesu/calendar.h:
include/kesu/clock.h:
include/kesu/text.h:
