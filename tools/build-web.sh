#!/bin/sh
# make web: build/web/sechk.html, sechk's core compiled to WebAssembly with
# Debian's emscripten and inlined, with the page's own JS and CSS, into one
# HTML file that needs no network (docs/security.md, "The web page").
#
# The libraries are compiled from the Debian source packages that
# `make deps-web` unpacked into build/web-src (the versions the native build
# links).  Nothing is fetched here: no emscripten ports (-sUSE_ZLIB etc. are
# not used), no network.  Configuration of each library, for the record:
#   zlib          its plain C files, with unistd.h and stdarg.h (as its configure finds)
#   libxml2       CMake: no ICU, iconv (emscripten's musl has it), threads,
#                 HTTP, FTP, zlib, lzma, python, modules, legacy, programs, tests;
#                 HAVE_PTHREAD_H preset empty, as 2.9.14's CMake otherwise finds
#                 pthread.h and threads.c then fails to compile without threads
#   libzip        CMake: no crypto (CommonCrypto, GnuTLS, mbed TLS, OpenSSL,
#                 Windows), no bzip2, lzma, zstd; no tools, tests, docs;
#                 zlib from above; the sizes of off_t (8) and size_t (4)
#                 given, as CMake's check_type_size misreads them under emcc
#   jansson       CMake: static, no docs, examples, tests
#   libxlsxwriter CMake: its bundled minizip, tmpfileplus, md5 and dtoa;
#                 no tests, examples; zlib from above
# Each library is built once (a stamp in build/web/deps records its version).
# sechk itself is built with -DSECHK_NO_CRYPTO: no libcrypto in the page, so an
# encrypted workbook (and --convert) is named and refused with a message
# pointing to the command line (src/read/crypt.c, zip.c, convert.c).
#
# Environment: EMCC (default emcc), WEB_SRC (default build/web-src),
# WEB_OUT (default build/web), JOBS (default 2).
set -eu
SRC=${WEB_SRC:-build/web-src}
OUT=${WEB_OUT:-build/web}
JOBS=${JOBS:-2}
EMCC=${EMCC:-emcc}
# Debian's emscripten needs Debian's node modules (acorn etc.).
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
TOP=$(pwd)

if ! command -v "$EMCC" >/dev/null 2>&1; then
    echo "web: emcc not found: run 'make deps-web' first (Debian package emscripten)" >&2
    exit 2
fi
for lib in zlib libxml2 libzip jansson libxlsxwriter; do
    if [ ! -f "$SRC/$lib.version" ]; then
        echo "web: $SRC/$lib missing: run 'make deps-web' first" >&2
        exit 2
    fi
done
case $SRC in /*) ;; *) SRC=$TOP/$SRC ;; esac
case $OUT in /*) ;; *) OUT=$TOP/$OUT ;; esac
DEPS=$OUT/deps
mkdir -p "$DEPS/lib" "$DEPS/include" "$OUT/obj"
LIBFLAGS="-O2"

# stamp NAME: true when NAME was built from the version now in $SRC.
fresh() {
    [ -f "$DEPS/$1.stamp" ] && [ "$(cat "$DEPS/$1.stamp")" = "$(cat "$SRC/$1.version")" ]
}
done_lib() {
    cp "$SRC/$1.version" "$DEPS/$1.stamp"
    echo "  WEB     $1 $(cat "$SRC/$1.version")"
}
# The core is relinked and the page inlined only when something changed
# (tests/web/run.sh calls this script before every run).
newer() { # newer TARGET FILE...: true if TARGET is missing or older than a FILE
    t=$1
    shift
    [ -f "$t" ] || return 0
    for f in "$@"; do [ "$f" -nt "$t" ] && return 0; done
    return 1
}
# cmake_lib NAME OPTIONS...: configure, build and install a CMake project.
cmake_lib() {
    name=$1
    shift
    b=$OUT/b/$name
    rm -rf "$b"
    emcmake cmake -S "$SRC/$name" -B "$b" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS="$LIBFLAGS" \
        -DCMAKE_INSTALL_PREFIX="$DEPS" -DCMAKE_PREFIX_PATH="$DEPS" -DBUILD_SHARED_LIBS=OFF \
        -DZLIB_INCLUDE_DIR="$DEPS/include" -DZLIB_LIBRARY="$DEPS/lib/libz.a" "$@" >"$b.log" 2>&1 ||
        { tail -30 "$b.log" >&2; exit 2; }
    cmake --build "$b" -j "$JOBS" >>"$b.log" 2>&1 || { tail -30 "$b.log" >&2; exit 2; }
    cmake --install "$b" >>"$b.log" 2>&1 || { tail -30 "$b.log" >&2; exit 2; }
}

if ! fresh zlib; then
    b=$OUT/b/zlib
    rm -rf "$b" && mkdir -p "$b"
    for f in adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast inflate inftrees trees \
        uncompr zutil; do
        "$EMCC" $LIBFLAGS -DHAVE_UNISTD_H -DHAVE_STDARG_H -c -o "$b/$f.o" "$SRC/zlib/$f.c"
    done
    rm -f "$DEPS/lib/libz.a"
    emar rcs "$DEPS/lib/libz.a" "$b"/*.o
    cp "$SRC/zlib/zlib.h" "$SRC/zlib/zconf.h" "$DEPS/include/"
    done_lib zlib
fi

if ! fresh libxml2; then
    cmake_lib libxml2 -DLIBXML2_WITH_ICU=OFF -DLIBXML2_WITH_ICONV=ON -DLIBXML2_WITH_THREADS=OFF \
        -DLIBXML2_WITH_THREAD_ALLOC=OFF -DLIBXML2_WITH_HTTP=OFF -DLIBXML2_WITH_FTP=OFF -DLIBXML2_WITH_ZLIB=OFF \
        -DLIBXML2_WITH_LZMA=OFF -DLIBXML2_WITH_PYTHON=OFF -DLIBXML2_WITH_MODULES=OFF -DLIBXML2_WITH_LEGACY=OFF \
        -DLIBXML2_WITH_PROGRAMS=OFF -DLIBXML2_WITH_TESTS=OFF -DHAVE_PTHREAD_H=
    done_lib libxml2
fi

if ! fresh libzip; then
    cmake_lib libzip -DENABLE_COMMONCRYPTO=OFF -DENABLE_GNUTLS=OFF -DENABLE_MBEDTLS=OFF -DENABLE_OPENSSL=OFF \
        -DENABLE_WINDOWS_CRYPTO=OFF -DENABLE_BZIP2=OFF -DENABLE_LZMA=OFF -DENABLE_ZSTD=OFF -DBUILD_TOOLS=OFF \
        -DBUILD_REGRESS=OFF -DBUILD_EXAMPLES=OFF -DBUILD_DOC=OFF \
        -DHAVE_SIZEOF_OFF_T=TRUE -DSIZEOF_OFF_T=8 -DHAVE_SIZEOF_SIZE_T=TRUE -DSIZEOF_SIZE_T=4
    done_lib libzip
fi

if ! fresh jansson; then
    cmake_lib jansson -DJANSSON_BUILD_SHARED_LIBS=OFF -DJANSSON_BUILD_DOCS=OFF -DJANSSON_EXAMPLES=OFF \
        -DJANSSON_WITHOUT_TESTS=ON
    done_lib jansson
fi

if ! fresh libxlsxwriter; then
    cmake_lib libxlsxwriter -DUSE_SYSTEM_MINIZIP=OFF -DBUILD_TESTS=OFF -DBUILD_EXAMPLES=OFF
    done_lib libxlsxwriter
fi
echo "web: libraries built"

# ---- sechk's core: the library's sources (as LIB_SRC in the Makefile) and src/web ----
WARN="-Wall -Wextra -Wstrict-prototypes -Wshadow -Wformat=2 -Wvla -Wmissing-prototypes -Wpointer-arith -Wcast-qual -Werror"
CFLAGS_WEB="-std=c11 -D_GNU_SOURCE -DSECHK_NO_CRYPTO $WARN -O2 -Iinclude -isystem $DEPS/include -isystem $DEPS/include/libxml2 -include src/web/compat.h"
OBJ=$OUT/obj
objs=""
# pool.c (fork) and batch.c (worker processes) are the native batch; the page
# runs its files in process through src/web instead.
for src in src/util/*.c src/read/*.c src/checklist/*.c src/output/*.c src/batch/*.c src/web/*.c; do
    case $src in src/batch/pool.c | src/batch/batch.c) continue ;; esac
    o=$OBJ/${src%.c}.o
    mkdir -p "$(dirname "$o")"
    if [ ! -f "$o" ] || [ "$src" -nt "$o" ] || [ -n "$(find include src -newer "$o" -name '*.h' | head -n 1)" ]; then
        echo "  EMCC    $src"
        "$EMCC" $CFLAGS_WEB -c -o "$o" "$src"
    fi
    objs="$objs $o"
done
# The built-in template's static tables, generated by the native build's
# tools/mktables (plain C initializers, the same for any pointer size)...
TABLES=${TABLES:-build/gen/default_tables.c}
if [ ! -f "$TABLES" ]; then
    echo "web: $TABLES missing: run 'make $TABLES' (or 'make web', which does)" >&2
    exit 2
fi
if newer "$OBJ/default_tables.o" "$TABLES"; then
    echo "  EMCC    $TABLES"
    "$EMCC" $CFLAGS_WEB -c -o "$OBJ/default_tables.o" "$TABLES"
fi
objs="$objs $OBJ/default_tables.o"
# ... and the template XML embedded as in src/checklist/default_template.S, in
# wasm's assembler dialect.
if newer "$OBJ/wasm_template.o" templates/default.xml src/web/wasm_template.S; then
    "$EMCC" -c -o "$OBJ/wasm_template.o" -DSK_TEMPLATE_FILE='"templates/default.xml"' src/web/wasm_template.S
fi

EXPORTS="_skw_init,_skw_error,_skw_begin,_skw_path,_skw_run,_skw_oversize,_skw_result,_skw_finish,_skw_zip_data,_skw_zip_size,_skw_template,_malloc,_free"
if newer "$OUT/sechk-core.js" $objs "$OBJ/wasm_template.o" "$DEPS"/lib/*.a tools/build-web.sh; then
echo "  LD      $OUT/sechk-core.js"
"$EMCC" -O2 -o "$OUT/sechk-core.js" $objs "$OBJ/wasm_template.o" \
    "$DEPS/lib/libxlsxwriter.a" "$DEPS/lib/libzip.a" "$DEPS/lib/libxml2.a" "$DEPS/lib/libjansson.a" "$DEPS/lib/libz.a" \
    -sSINGLE_FILE=1 -sENVIRONMENT=web -sMODULARIZE=1 -sEXPORT_NAME=SechkCore -sDYNAMIC_EXECUTION=0 \
    -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=33554432 -sMAXIMUM_MEMORY=2147483648 -sFORCE_FILESYSTEM=1 \
    -sEXPORTED_FUNCTIONS="$EXPORTS" -sEXPORTED_RUNTIME_METHODS=FS,ccall,UTF8ToString
fi

# ---- the page: web/sechk.html with web/*.css and web/*.js inlined ----
if newer "$OUT/sechk.html" "$OUT/sechk-core.js" web/* tools/web-inline.py; then
    "${PYTHON:-/usr/bin/python3}" tools/web-inline.py web/sechk.html "$OUT/sechk-core.js" "$OUT/sechk.html"
fi
echo "web: $OUT/sechk.html ($(wc -c <"$OUT/sechk.html") bytes)"
