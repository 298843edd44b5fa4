build-t/src/core/calendar.o: src/core/calendar.c include/kesu/calendar.h \
 include/kesu/err.h include/kesu/clock.h
include/kesu/calendar.h:
include/kesu/err.h:
include/kesu/clock.h:
