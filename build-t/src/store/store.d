build-t/src/store/store.o: src/store/store.c include/kesu/store.h \
 include/kesu/err.h include/kesu/conf.h include/kesu/calendar.h \
 include/kesu/search.h src/store/private.h
include/kesu/store.h:
include/kesu/err.h:
include/kesu/conf.h:
include/kesu/calendar.h:
include/kesu/search.h:
src/store/private.h:
