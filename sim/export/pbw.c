/* pbw.c - protobuf wire format by hand (see the header). */
#include "pbw.h"

#include <stdlib.h>
#include <string.h>

void fs_pbw_free(fs_pbw *b)
{
    free(b->p);
    *b = (fs_pbw){0};
}

static bool fs__room(fs_pbw *b, size_t n)
{
    if (b->failed)
        return false;
    if (b->len + n <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n)
        cap *= 2;
    uint8_t *p = realloc(b->p, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

size_t fs_pbw_varint_size(uint64_t v)
{
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}

/* v as a varint at p (room checked by the caller); returns its size. */
static size_t fs__put_varint(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

void fs_pbw_varint(fs_pbw *b, uint64_t v)
{
    if (fs__room(b, 10))
        b->len += fs__put_varint(b->p + b->len, v);
}

void fs_pbw_bytes(fs_pbw *b, const void *p, size_t n)
{
    if (n && fs__room(b, n)) {
        memcpy(b->p + b->len, p, n);
        b->len += n;
    }
}

static void fs__tag(fs_pbw *b, uint32_t field, unsigned wire)
{
    fs_pbw_varint(b, (uint64_t)field << 3 | wire);
}

void fs_pbw_u64(fs_pbw *b, uint32_t field, uint64_t v)
{
    fs__tag(b, field, FS_PB_VARINT);
    fs_pbw_varint(b, v);
}

void fs_pbw_i64(fs_pbw *b, uint32_t field, int64_t v)
{
    fs_pbw_u64(b, field, (uint64_t)v);
}

void fs_pbw_fixed64(fs_pbw *b, uint32_t field, uint64_t v)
{
    fs__tag(b, field, FS_PB_I64);
    uint8_t le[8];
    for (int i = 0; i < 8; i++)
        le[i] = (uint8_t)(v >> (8 * i));
    fs_pbw_bytes(b, le, 8);
}

void fs_pbw_str(fs_pbw *b, uint32_t field, const char *s)
{
    size_t n = strlen(s);
    fs__tag(b, field, FS_PB_LEN);
    fs_pbw_varint(b, n);
    fs_pbw_bytes(b, s, n);
}

void fs_pbw_sub(fs_pbw *b, uint32_t field, const fs_pbw *msg)
{
    fs__tag(b, field, FS_PB_LEN);
    fs_pbw_varint(b, msg->len);
    fs_pbw_bytes(b, msg->p, msg->len);
}

size_t fs_pbw_begin(fs_pbw *b)
{
    return b->len;
}

void fs_pbw_end(fs_pbw *b, uint32_t field, size_t start)
{
    size_t n = b->len - start;
    uint8_t head[20];
    size_t h = fs__put_varint(head, (uint64_t)field << 3 | FS_PB_LEN);
    h += fs__put_varint(head + h, n);
    if (!fs__room(b, h))
        return;
    memmove(b->p + start + h, b->p + start, n);
    memcpy(b->p + start, head, h);
    b->len += h;
}
