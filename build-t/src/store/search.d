build-t/src/store/search.o: src/store/search.c include/kesu/search.h \
 include/kesu/store.h include/kesu/err.h include/kesu/tokenize.h \
 src/store/private.h
include/kesu/search.h:
include/kesu/store.h:
include/kesu/err.h:
include/kesu/tokenize.h:
src/store/private.h:
