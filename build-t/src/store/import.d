build-t/src/store/import.o: src/store/import.c include/kesu/store.h \
 include/kesu/err.h src/store/private.h
include/kesu/store.h:
include/kesu/err.h:
src/store/private.h:
