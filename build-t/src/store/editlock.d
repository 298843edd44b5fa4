build-t/src/store/editlock.o: src/store/editlock.c include/kesu/store.h \
 include/kesu/err.h src/store/private.h
include/kesu/store.h:
include/kesu/err.h:
src/store/private.h:
