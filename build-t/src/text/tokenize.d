build-t/src/text/tokenize.o: src/text/tokenize.c include/kesu/err.h \
 include/kesu/text.h include/kesu/tokenize.h
include/kesu/err.h:
include/kesu/text.h:
include/kesu/tokenize.h:
