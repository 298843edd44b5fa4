build-t/src/store/report.o: src/store/report.c include/kesu/store.h \
 include/kesu/err.h src/store/private.h
include/kesu/store.h:
include/kesu/err.h:
src/store/private.h:
