# aimarketing: PGXS build
#
#   make && sudo make install      build and install into the server of pg_config
#   make installcheck              pg_regress against a running server (PGHOST/PGPORT)
#   make pgtap                     pg_prove test/pgtap/*.sql against a running server
#   make asan-check                pg_regress + pgTAP on an ASan/UBSan build (scripts/asan.sh)
#   make valgrind-check            pg_regress with backends under valgrind (scripts/valgrind.sh)
#   make benchmarks                every test/bench/*.sh, writes BENCHMARKS.md (scripts/bench.sh)
#
# The whole suite on a throwaway cluster is scripts/test.sh (see README.md).

EXTENSION   = aimarketing
EXTVERSION  = 0.2.0
MODULE_big  = aimarketing
OBJS        = src/aimarketing.o src/vecutil.o src/rowbuf.o src/similarity.o \
              src/kmeans.o src/logistic.o src/classifier_eval.o src/roi.o \
              src/keydict.o src/sqlreader.o src/readonly_guard.o \
              src/basket_input.o src/basket_mine.o src/basket_store.o src/basket.o \
              src/rank_metrics.o src/item_similarity.o src/topk.o src/ease.o \
              src/recommend.o src/silhouette.o src/linear.o src/ets.o
DATA        = $(wildcard sql/aimarketing--*.sql)

# pg_regress inputs live in sql/ next to the install scripts; install scripts
# contain "--" in their names, tests never do, and this list is explicit.
REGRESS      = shop_load similarity kmeans_assign kmeans kmeans_rfm churn churn_model roi roi_parallel \
               basket basket_oracle rank_metrics basket_limits churn_labels recommend recommend_retail \
               basket_kinds basket_rules linear ets
REGRESS_OPTS = --load-extension=aimarketing

# Numeric loops: -O3, and kernels written with independent accumulators
# (vector extensions, AVX2 clones chosen at run time), so no -ffast-math is
# needed.  -ffp-contract=off keeps a*b+c from becoming an FMA on some
# clones only, so results never depend on the CPU.  -fno-math-errno lets
# sqrt() inline.
PG_CFLAGS   += -O3 -ffp-contract=off -fno-math-errno -Wall -Wextra -Wno-unused-parameter \
               -Wno-missing-field-initializers -Wno-sign-compare

# EASE^R (src/ease.c) calls BLAS/LAPACK: Debian's serial OpenBLAS
# (libopenblas0-serial), linked by path with a run path so that the backend
# gets the variant that starts no threads whatever the system's
# libblas.so.3 / libopenblas.so.0 alternatives point to.
OPENBLAS_DIR ?= /usr/lib/$(shell $(CC) -print-multiarch)/openblas-serial
SHLIB_LINK  += $(OPENBLAS_DIR)/libopenblas.so.0 -Wl,-rpath,$(OPENBLAS_DIR)

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS tracks no header dependencies: a change to a shared header (the
# layout of a struct in rowbuf.h, say) must rebuild every object
$(OBJS): $(wildcard src/*.h)

PG_PROVE ?= pg_prove
PGTAP_DB ?= aimarketing_pgtap

.PHONY: pgtap asan-check valgrind-check benchmarks bench-report
pgtap:
	$(PG_PROVE) --failures -d $(PGTAP_DB) test/pgtap/*.sql

# each on its own throwaway cluster; the PostgreSQL they use is that of
# AIM_PGBIN (scripts/lib.sh), not PG_CONFIG
asan-check:
	bash scripts/asan.sh
valgrind-check:
	bash scripts/valgrind.sh
benchmarks bench-report:
	bash scripts/bench.sh
