#include <zlib.h>
#include <zstd.h>
#include <snappy-c.h>
#include <lz4.h>
#include <brotli/decode.h>
