build-t/src/store/copies.o: src/store/copies.c include/kesu/store.h \
 include/kesu/err.h src/store/private.h
include/kesu/store.h:
include/kesu/err.h:
src/store/private.h:
