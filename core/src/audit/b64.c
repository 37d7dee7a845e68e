/* Strict base64 (RFC 4648 §4, with padding). */
#include <stdlib.h>
#include <string.h>

#include "arcs/note.h"
#include "b64_int.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int sextet(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

size_t arcs__b64_enclen(size_t n)
{
    return (n + 2) / 3 * 4;
}

void arcs__b64_encode_to(char *dst, const uint8_t *src, size_t n)
{
    size_t i = 0, o = 0;

    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)src[i] << 16 | (uint32_t)src[i + 1] << 8 | src[i + 2];
        dst[o++] = alphabet[v >> 18];
        dst[o++] = alphabet[(v >> 12) & 63];
        dst[o++] = alphabet[(v >> 6) & 63];
        dst[o++] = alphabet[v & 63];
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)src[i] << 16;
        dst[o++] = alphabet[v >> 18];
        dst[o++] = alphabet[(v >> 12) & 63];
        dst[o++] = '=';
        dst[o++] = '=';
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)src[i] << 16 | (uint32_t)src[i + 1] << 8;
        dst[o++] = alphabet[v >> 18];
        dst[o++] = alphabet[(v >> 12) & 63];
        dst[o++] = alphabet[(v >> 6) & 63];
        dst[o++] = '=';
    }
    dst[o] = '\0';
}

long long arcs__b64_decode_to(uint8_t *dst, size_t cap, const char *src, size_t len)
{
    size_t o = 0;

    if (len % 4 != 0)
        return -1;
    for (size_t i = 0; i < len; i += 4) {
        int s[4];
        int pad = 0;
        int last = i + 4 == len;

        for (int j = 0; j < 4; j++) {
            unsigned char c = (unsigned char)src[i + (size_t)j];
            if (c == '=' && last && j >= 2) {
                s[j] = 0;
                pad++;
                continue;
            }
            if (pad) /* data after padding */
                return -1;
            s[j] = sextet(c);
            if (s[j] < 0)
                return -1;
        }
        if (pad == 1 && src[i + 3] != '=')
            return -1;
        uint32_t v = (uint32_t)s[0] << 18 | (uint32_t)s[1] << 12 | (uint32_t)s[2] << 6 |
                     (uint32_t)s[3];
        /* Strict: the unused bits before the padding must be zero, so each
           byte string has exactly one encoding. */
        if ((pad == 1 && (v & 0xff) != 0) || (pad == 2 && (v & 0xffff) != 0))
            return -1;
        size_t nb = 3 - (size_t)pad;
        if (o + nb > cap)
            return -1;
        dst[o++] = (uint8_t)(v >> 16);
        if (nb > 1)
            dst[o++] = (uint8_t)(v >> 8);
        if (nb > 2)
            dst[o++] = (uint8_t)v;
    }
    return (long long)o;
}

arcs_status arcs_base64_encode(char **out, size_t *outlen, const void *data, size_t len)
{
    size_t n = arcs__b64_enclen(len);
    char *buf;

    *out = NULL;
    if (len > ((size_t)-1 / 4) * 3 - 3)
        return ARCS_ERROR;
    buf = malloc(n + 1);
    if (!buf)
        return ARCS_ERROR;
    arcs__b64_encode_to(buf, data, len);
    *out = buf;
    if (outlen)
        *outlen = n;
    return ARCS_OK;
}

arcs_status arcs_base64_decode(uint8_t **out, size_t *outlen, const char *text,
                               size_t len, arcs_err *err)
{
    size_t cap = len / 4 * 3;
    uint8_t *buf = malloc(cap ? cap : 1);
    long long n;

    *out = NULL;
    if (!buf)
        return arcs_err_set(err, ARCS_ERROR, "out of memory decoding base64");
    n = arcs__b64_decode_to(buf, cap, text, len);
    if (n < 0) {
        free(buf);
        return arcs_err_set(err, ARCS_EINVAL,
                            "malformed base64: expected standard padded RFC 4648 text");
    }
    *out = buf;
    if (outlen)
        *outlen = (size_t)n;
    return ARCS_OK;
}
