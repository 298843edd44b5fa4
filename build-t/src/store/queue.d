build-t/src/store/queue.o: src/store/queue.c src/store/private.h \
 include/kesu/store.h include/kesu/err.h
src/store/private.h:
include/kesu/store.h:
include/kesu/err.h:
