/* C2SP signed notes and tlog checkpoints, Ed25519 via OpenSSL 3. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "arcs/canonical.h"
#include "arcs/note.h"
#include "b64_int.h"
#include "../hex_int.h"

/* U+2014 EM DASH and a space: the start of every signature line. */
static const char sig_prefix[] = "\xE2\x80\x94 ";
#define SIG_PREFIX_LEN 4
#define KEY_FILE_MAX (64 * 1024)
#define ALG_ED25519 0x01

static const char go_private_prefix[] = "PRIVATE+KEY+";
static const char pem_name_prefix[] = "arcs-key-name: ";

/* Unicode White_Space characters outside ASCII (Go's unicode.IsSpace). */
static int unicode_space(uint32_t cp)
{
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Decode one UTF-8 character of valid input (checked before). */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] < 0xE0) {
        *cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
        return 2;
    }
    if (s[0] < 0xF0) {
        *cp =
            (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        return 3;
    }
    *cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
          (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
    return 4;
}

int arcs_note_name_valid(const char *name, size_t len)
{
    const unsigned char *s = (const unsigned char *)name;

    if (!name || len == 0 || len > ARCS_NOTE_NAME_MAX || !arcs_utf8_valid(name, len))
        return 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += utf8_decode(s + i, &cp);
        if (cp <= 0x20 || cp == 0x7F || cp == '+' || unicode_space(cp))
            return 0;
    }
    return 1;
}

/* Valid note text: non-empty UTF-8 ending in "\n", no byte below 0x20 but "\n"
   (as Go's golang.org/x/mod/sumdb/note, which lets DEL through). */
static int text_valid(const char *text, size_t len)
{
    if (len == 0 || text[len - 1] != '\n' || !arcs_utf8_valid(text, len))
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 && c != '\n')
            return 0;
    }
    return 1;
}

arcs_status arcs_note_keyid(uint32_t *out, const char *name, const uint8_t pub[32])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    static const uint8_t sep[2] = {0x0A, ALG_ED25519};
    uint8_t h[32];
    arcs_status st = ARCS_ERROR;

    if (!md)
        goto done;
    if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
        EVP_DigestUpdate(md, name, strlen(name)) != 1 ||
        EVP_DigestUpdate(md, sep, 2) != 1 || EVP_DigestUpdate(md, pub, 32) != 1 ||
        EVP_DigestFinal_ex(md, h, NULL) != 1)
        goto done;
    *out = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
    st = ARCS_OK;
done:
    EVP_MD_CTX_free(md);
    return st;
}

/* Fill s from a name and a 32-byte seed: derive the public key and key id. */
static arcs_status signer_from_seed(arcs_note_signer *s, const char *name, size_t namelen,
                                    const uint8_t seed[32], arcs_err *err)
{
    EVP_PKEY *pkey = NULL;
    size_t publen = 32;
    arcs_status st = ARCS_OK;

    memset(s, 0, sizeof(*s));
    if (!arcs_note_name_valid(name, namelen)) {
        st = arcs_err_set(
            err, ARCS_EINVAL,
            "bad key name \"%.*s\": use a non-empty name without spaces or '+'",
            (int)(namelen > 64 ? 64 : namelen), name ? name : "");
        goto done;
    }
    memcpy(s->name, name, namelen);
    s->name[namelen] = '\0';
    memcpy(s->seed, seed, 32);
    pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    if (!pkey || EVP_PKEY_get_raw_public_key(pkey, s->pub, &publen) != 1 ||
        publen != 32 || arcs_note_keyid(&s->keyid, s->name, s->pub) != ARCS_OK) {
        st = arcs_err_set(err, ARCS_ERROR, "openssl failed to derive an ed25519 key");
        goto done;
    }
done:
    EVP_PKEY_free(pkey);
    if (st != ARCS_OK)
        arcs_note_signer_clear(s);
    return st;
}

arcs_status arcs_note_keygen(arcs_note_signer *out, const char *name, arcs_err *err)
{
    EVP_PKEY *pkey = NULL;
    uint8_t seed[32];
    size_t seedlen = sizeof(seed);
    arcs_status st;

    memset(out, 0, sizeof(*out));
    if (!name || !arcs_note_name_valid(name, strlen(name))) {
        st = arcs_err_set(
            err, ARCS_EINVAL,
            "bad key name \"%.64s\": use a non-empty name without spaces or '+'",
            name ? name : "");
        goto done;
    }
    pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    if (!pkey || EVP_PKEY_get_raw_private_key(pkey, seed, &seedlen) != 1 ||
        seedlen != 32) {
        st = arcs_err_set(err, ARCS_ERROR, "openssl failed to generate an ed25519 key");
        goto done;
    }
    st = signer_from_seed(out, name, strlen(name), seed, err);
done:
    OPENSSL_cleanse(seed, sizeof(seed));
    EVP_PKEY_free(pkey);
    return st;
}

void arcs_note_signer_clear(arcs_note_signer *s)
{
    if (s)
        OPENSSL_cleanse(s, sizeof(*s));
}

void arcs_note_signer_verifier(arcs_note_verifier *out, const arcs_note_signer *s)
{
    memset(out, 0, sizeof(*out));
    memcpy(out->name, s->name, sizeof(out->name));
    out->keyid = s->keyid;
    memcpy(out->pub, s->pub, sizeof(out->pub));
}

arcs_status arcs_note_signer_pem(char **out, size_t *outlen, const arcs_note_signer *s,
                                 arcs_err *err)
{
    EVP_PKEY *pkey = NULL;
    BIO *bio = NULL;
    char *mem = NULL, *buf = NULL;
    long n;
    size_t namelen = strlen(s->name), total;
    arcs_status st = ARCS_OK;

    *out = NULL;
    pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, s->seed, 32);
    bio = BIO_new(BIO_s_mem());
    if (!pkey || !bio ||
        PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL) != 1 ||
        (n = BIO_get_mem_data(bio, &mem)) <= 0) {
        st = arcs_err_set(err, ARCS_ERROR,
                          "openssl failed to write the private key as pem");
        goto done;
    }
    total = sizeof(pem_name_prefix) - 1 + namelen + 1 + (size_t)n;
    buf = malloc(total + 1);
    if (!buf) {
        st = arcs_err_set(err, ARCS_ERROR, "out of memory writing the private key");
        goto done;
    }
    memcpy(buf, pem_name_prefix, sizeof(pem_name_prefix) - 1);
    memcpy(buf + sizeof(pem_name_prefix) - 1, s->name, namelen);
    buf[sizeof(pem_name_prefix) - 1 + namelen] = '\n';
    memcpy(buf + sizeof(pem_name_prefix) + namelen, mem, (size_t)n);
    buf[total] = '\0';
    *out = buf;
    if (outlen)
        *outlen = total;
done:
    if (bio && mem)
        OPENSSL_cleanse(mem, (size_t)BIO_pending(bio));
    BIO_free(bio);
    EVP_PKEY_free(pkey);
    return st;
}

/* Never prompt for a passphrase: an encrypted key file is refused. */
static int no_password(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return -1;
}

static int parse_hex8(const char *s, size_t len, uint32_t *out)
{
    uint32_t v = 0;

    if (len != 8)
        return 0;
    for (size_t i = 0; i < 8; i++) {
        int d = arcs__hex_digit(s[i]);
        if (d < 0)
            return 0;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return 1;
}

/*
 * Split "name+hex8+base64" (the shared tail of verifier and Go private key
 * text) and decode: *namelen, *keyid and key[32] (after the 0x01 byte).
 */
static arcs_status split_key_text(const char *text, size_t len, const char **name,
                                  size_t *namelen, uint32_t *keyid, uint8_t key[32],
                                  const char *what, arcs_err *err)
{
    const char *p1 = memchr(text, '+', len), *p2;
    uint8_t raw[33];
    long long n;

    if (!p1)
        goto bad;
    p2 = memchr(p1 + 1, '+', len - (size_t)(p1 + 1 - text));
    if (!p2)
        goto bad;
    *name = text;
    *namelen = (size_t)(p1 - text);
    if (!arcs_note_name_valid(text, *namelen))
        goto bad;
    if (!parse_hex8(p1 + 1, (size_t)(p2 - p1 - 1), keyid))
        goto bad;
    n = arcs__b64_decode_to(raw, sizeof(raw), p2 + 1, len - (size_t)(p2 + 1 - text));
    if (n != 33)
        goto bad;
    if (raw[0] != ALG_ED25519) {
        OPENSSL_cleanse(raw, sizeof(raw));
        return arcs_err_set(err, ARCS_EINVAL,
                            "%s uses algorithm %u: only ed25519 (1) is supported", what,
                            raw[0]);
    }
    memcpy(key, raw + 1, 32);
    OPENSSL_cleanse(raw, sizeof(raw));
    return ARCS_OK;
bad:
    OPENSSL_cleanse(raw, sizeof(raw));
    return arcs_err_set(err, ARCS_EINVAL,
                        "malformed %s: expected name+hex8(keyid)+base64(0x01||key)",
                        what);
}

arcs_status arcs_note_verifier_parse(arcs_note_verifier *out, const char *text,
                                     size_t len, arcs_err *err)
{
    const char *name;
    size_t namelen;
    uint32_t keyid, want;
    arcs_status st;

    memset(out, 0, sizeof(*out));
    st =
        split_key_text(text, len, &name, &namelen, &keyid, out->pub, "verifier key", err);
    if (st != ARCS_OK)
        goto done;
    memcpy(out->name, name, namelen);
    out->name[namelen] = '\0';
    if (arcs_note_keyid(&want, out->name, out->pub) != ARCS_OK) {
        st = arcs_err_set(err, ARCS_ERROR, "sha-256 failed in openssl");
        goto done;
    }
    if (want != keyid) {
        st =
            arcs_err_set(err, ARCS_EINVAL,
                         "verifier key id %08x does not match its name and key (expected "
                         "%08x): copy the key again",
                         keyid, want);
        goto done;
    }
    out->keyid = keyid;
done:
    if (st != ARCS_OK)
        memset(out, 0, sizeof(*out));
    return st;
}

arcs_status arcs_note_verifier_format(char **out, size_t *outlen,
                                      const arcs_note_verifier *v, arcs_err *err)
{
    uint8_t raw[33];
    char b64[64];
    size_t cap = strlen(v->name) + 1 + 8 + 1 + sizeof(b64);
    char *buf = malloc(cap);
    int n;

    *out = NULL;
    if (!buf)
        return arcs_err_set(err, ARCS_ERROR, "out of memory formatting a verifier key");
    raw[0] = ALG_ED25519;
    memcpy(raw + 1, v->pub, 32);
    arcs__b64_encode_to(b64, raw, sizeof(raw));
    n = snprintf(buf, cap, "%s+%08x+%s", v->name, (unsigned)v->keyid, b64);
    if (n < 0 || (size_t)n >= cap) {
        free(buf);
        return arcs_err_set(err, ARCS_ERROR, "verifier key text does not fit");
    }
    *out = buf;
    if (outlen)
        *outlen = (size_t)n;
    return ARCS_OK;
}

arcs_status arcs_note_signer_parse(arcs_note_signer *out, const char *text, size_t len,
                                   const char *name, arcs_err *err)
{
    const size_t gp = sizeof(go_private_prefix) - 1, np = sizeof(pem_name_prefix) - 1;
    uint8_t seed[32];
    size_t seedlen = sizeof(seed);
    char fname[ARCS_NOTE_NAME_MAX + 1] = "";
    BIO *bio = NULL;
    EVP_PKEY *pkey = NULL;
    arcs_status st = ARCS_OK;

    memset(out, 0, sizeof(*out));
    if (len > KEY_FILE_MAX) {
        st = arcs_err_set(err, ARCS_EINVAL, "private key text is too long to be a key");
        goto done;
    }
    /* The Go form sometimes carries a final newline in a file: drop it. */
    if (len >= gp && memcmp(text, go_private_prefix, gp) == 0) {
        const char *kname;
        size_t klen, tl = len;
        uint32_t keyid;

        if (tl > 0 && text[tl - 1] == '\n')
            tl--;
        st = split_key_text(text + gp, tl - gp, &kname, &klen, &keyid, seed,
                            "private key", err);
        if (st != ARCS_OK)
            goto done;
        if (name && (strlen(name) != klen || memcmp(name, kname, klen) != 0)) {
            st = arcs_err_set(err, ARCS_EINVAL,
                              "private key is named \"%.*s\", not \"%.64s\": use the "
                              "key's own name",
                              (int)(klen > 64 ? 64 : klen), kname, name);
            goto done;
        }
        if ((st = signer_from_seed(out, kname, klen, seed, err)) != ARCS_OK)
            goto done;
        if (out->keyid != keyid) {
            st =
                arcs_err_set(err, ARCS_EINVAL,
                             "private key id %08x does not match its key (expected %08x)",
                             keyid, out->keyid);
            goto done;
        }
        goto done;
    }
    if (len >= np && memcmp(text, pem_name_prefix, np) == 0) {
        const char *nl = memchr(text + np, '\n', len - np);
        size_t fl = nl ? (size_t)(nl - text) - np : 0;

        if (!nl || !arcs_note_name_valid(text + np, fl)) {
            st = arcs_err_set(err, ARCS_EINVAL,
                              "bad \"arcs-key-name:\" line in the key file: give a name "
                              "without spaces or '+'");
            goto done;
        }
        memcpy(fname, text + np, fl);
        fname[fl] = '\0';
        text = nl + 1;
        len -= np + fl + 1;
    }
    if (name && fname[0] && strcmp(name, fname) != 0) {
        st = arcs_err_set(
            err, ARCS_EINVAL,
            "key file is named \"%s\", not \"%.64s\": use the key's own name", fname,
            name);
        goto done;
    }
    if (!name && !fname[0]) {
        st = arcs_err_set(
            err, ARCS_EINVAL,
            "the key file has no name: pass the key name (origin) explicitly");
        goto done;
    }
    bio = BIO_new_mem_buf(text, (int)len);
    if (!bio) {
        st = arcs_err_set(err, ARCS_ERROR, "out of memory reading the key");
        goto done;
    }
    pkey = PEM_read_bio_PrivateKey(bio, NULL, no_password, NULL);
    if (!pkey) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "not an unencrypted pem private key: make one with arcs audit "
                          "keygen or openssl genpkey -algorithm ed25519");
        goto done;
    }
    if (!EVP_PKEY_is_a(pkey, "ED25519") ||
        EVP_PKEY_get_raw_private_key(pkey, seed, &seedlen) != 1 || seedlen != 32) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "the private key is not ed25519: make one with openssl genpkey "
                          "-algorithm ed25519");
        goto done;
    }
    name = name ? name : fname;
    st = signer_from_seed(out, name, strlen(name), seed, err);
done:
    OPENSSL_cleanse(seed, sizeof(seed));
    EVP_PKEY_free(pkey);
    BIO_free(bio);
    if (st != ARCS_OK)
        arcs_note_signer_clear(out);
    return st;
}

arcs_status arcs_note_signer_load(arcs_note_signer *out, const char *path,
                                  const char *name, arcs_err *err)
{
    struct stat sb;
    char *buf = NULL;
    size_t got = 0;
    int fd = -1;
    arcs_status st = ARCS_OK;

    memset(out, 0, sizeof(*out));
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        st = arcs_err_set(err, ARCS_ERROR, "cannot open key file %s: %s", path,
                          strerror(errno));
        goto done;
    }
    /* fstat on the open descriptor: the mode checked is the file's we read. */
    if (fstat(fd, &sb) != 0) {
        st = arcs_err_set(err, ARCS_ERROR, "cannot stat key file %s: %s", path,
                          strerror(errno));
        goto done;
    }
    if (!S_ISREG(sb.st_mode)) {
        st = arcs_err_set(err, ARCS_EINVAL, "key file %s is not a regular file", path);
        goto done;
    }
    if (sb.st_mode & 077) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "key file %s is accessible by group or others (mode %04o): run "
                          "chmod 600 %s",
                          path, (unsigned)(sb.st_mode & 07777), path);
        goto done;
    }
    if (sb.st_size > KEY_FILE_MAX) {
        st = arcs_err_set(err, ARCS_EINVAL, "key file %s is too large to be a key", path);
        goto done;
    }
    buf = malloc((size_t)sb.st_size + 1);
    if (!buf) {
        st = arcs_err_set(err, ARCS_ERROR, "out of memory reading key file %s", path);
        goto done;
    }
    while (got < (size_t)sb.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)sb.st_size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            st = arcs_err_set(err, ARCS_ERROR, "cannot read key file %s", path);
            goto done;
        }
        got += (size_t)r;
    }
    st = arcs_note_signer_parse(out, buf, got, name, err);
done:
    if (buf) {
        OPENSSL_cleanse(buf, got);
        free(buf);
    }
    if (fd >= 0)
        close(fd);
    return st;
}

/* The signature line of s over text into line (cap bytes); returns length or 0. */
static size_t sign_line(char *line, size_t cap, const char *text, size_t len,
                        const arcs_note_signer *s, uint8_t rawsig[ARCS_ED25519_SIG])
{
    EVP_PKEY *pkey = NULL;
    EVP_MD_CTX *md = NULL;
    uint8_t blob[4 + ARCS_ED25519_SIG];
    size_t siglen = ARCS_ED25519_SIG, n = 0;
    char b64[128];
    int w;

    pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, s->seed, 32);
    md = EVP_MD_CTX_new();
    if (!pkey || !md || EVP_DigestSignInit(md, NULL, NULL, NULL, pkey) != 1 ||
        EVP_DigestSign(md, blob + 4, &siglen, (const unsigned char *)text, len) != 1 ||
        siglen != ARCS_ED25519_SIG)
        goto done;
    blob[0] = (uint8_t)(s->keyid >> 24);
    blob[1] = (uint8_t)(s->keyid >> 16);
    blob[2] = (uint8_t)(s->keyid >> 8);
    blob[3] = (uint8_t)s->keyid;
    arcs__b64_encode_to(b64, blob, sizeof(blob));
    memcpy(rawsig, blob + 4, ARCS_ED25519_SIG);
    w = snprintf(line, cap, "%s%s %s\n", sig_prefix, s->name, b64);
    if (w > 0 && (size_t)w < cap)
        n = (size_t)w;
done:
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(pkey);
    return n;
}

#define LINE_CAP (SIG_PREFIX_LEN + ARCS_NOTE_NAME_MAX + 1 + 100 + 2)

arcs_status arcs_note_sign(char **out, size_t *outlen, const char *text, size_t len,
                           const arcs_note_signer *s, arcs_err *err)
{
    char line[LINE_CAP];
    uint8_t raw[ARCS_ED25519_SIG];
    size_t n;
    char *buf;

    *out = NULL;
    if (!text_valid(text, len) || len > ARCS_NOTE_MAX_BYTES - LINE_CAP)
        return arcs_err_set(
            err, ARCS_EINVAL,
            "note text must be non-empty utf-8 ending in a newline, without "
            "control characters");
    n = sign_line(line, sizeof(line), text, len, s, raw);
    if (n == 0)
        return arcs_err_set(err, ARCS_ERROR, "openssl failed to sign with ed25519");
    buf = malloc(len + 1 + n + 1);
    if (!buf)
        return arcs_err_set(err, ARCS_ERROR, "out of memory signing a note");
    memcpy(buf, text, len);
    buf[len] = '\n';
    memcpy(buf + len + 1, line, n);
    buf[len + 1 + n] = '\0';
    *out = buf;
    if (outlen)
        *outlen = len + 1 + n;
    return ARCS_OK;
}

arcs_status arcs_note_cosign(char **out, size_t *outlen, const char *note, size_t len,
                             const arcs_note_signer *s, arcs_err *err)
{
    arcs_note n = {0};
    char line[LINE_CAP];
    uint8_t raw[ARCS_ED25519_SIG];
    size_t ln;
    char *buf = NULL;
    arcs_status st;

    *out = NULL;
    if ((st = arcs_note_parse(&n, note, len, err)) != ARCS_OK)
        goto done;
    ln = sign_line(line, sizeof(line), n.text, n.text_len, s, raw);
    if (ln == 0) {
        st = arcs_err_set(err, ARCS_ERROR, "openssl failed to sign with ed25519");
        goto done;
    }
    for (size_t i = 0; i < n.nsigs; i++) {
        if (n.sigs[i].keyid != s->keyid || strcmp(n.sigs[i].name, s->name) != 0)
            continue;
        /* Ed25519 is deterministic: the same key over the same text gives
           the same line, so an identical line is a retry. */
        if (n.sigs[i].siglen == ARCS_ED25519_SIG &&
            memcmp(n.sigs[i].sig, raw, ARCS_ED25519_SIG) == 0) {
            buf = malloc(len + 1);
            if (!buf) {
                st = arcs_err_set(err, ARCS_ERROR, "out of memory cosigning a note");
                goto done;
            }
            memcpy(buf, note, len);
            buf[len] = '\0';
            *out = buf;
            if (outlen)
                *outlen = len;
            goto done;
        }
        st = arcs_err_set(err, ARCS_ECONFLICT,
                          "note already holds a different signature by %s+%08x", s->name,
                          s->keyid);
        goto done;
    }
    if (n.nsigs >= ARCS_NOTE_MAX_SIGS || len + ln > ARCS_NOTE_MAX_BYTES) {
        st =
            arcs_err_set(err, ARCS_EINVAL, "note has too many signatures to add another");
        goto done;
    }
    buf = malloc(len + ln + 1);
    if (!buf) {
        st = arcs_err_set(err, ARCS_ERROR, "out of memory cosigning a note");
        goto done;
    }
    memcpy(buf, note, len);
    memcpy(buf + len, line, ln);
    buf[len + ln] = '\0';
    *out = buf;
    if (outlen)
        *outlen = len + ln;
done:
    arcs_note_clear(&n);
    return st;
}

void arcs_note_clear(arcs_note *n)
{
    if (!n)
        return;
    free(n->text);
    free(n->sigs);
    memset(n, 0, sizeof(*n));
}

static arcs_status note_bad(arcs_err *err, const char *why)
{
    return arcs_err_set(err, ARCS_EINVAL, "malformed signed note: %s", why);
}

arcs_status arcs_note_parse(arcs_note *out, const char *buf, size_t len, arcs_err *err)
{
    size_t split = 0, pos;
    int found = 0;
    arcs_status st = ARCS_OK;

    memset(out, 0, sizeof(*out));
    if (len > ARCS_NOTE_MAX_BYTES) {
        st = note_bad(err, "larger than 1 MiB");
        goto done;
    }
    if (!arcs_utf8_valid(buf, len)) {
        st = note_bad(err, "not valid utf-8");
        goto done;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c < 0x20 && c != '\n') {
            st = note_bad(err, "control character (a \\r?) in the note");
            goto done;
        }
        if (i + 1 < len && buf[i] == '\n' && buf[i + 1] == '\n') {
            split = i;
            found = 1;
        }
    }
    if (!found) {
        st = note_bad(err, "no blank line before the signatures");
        goto done;
    }
    /* text = buf[0..split] including its final "\n"; signatures after "\n\n". */
    pos = split + 2;
    if (pos >= len || buf[len - 1] != '\n') {
        st = note_bad(err, "no signature lines, or the last one lacks its newline");
        goto done;
    }
    out->text_len = split + 1;
    out->text = malloc(out->text_len + 1);
    if (!out->text) {
        st = arcs_err_set(err, ARCS_ERROR, "out of memory parsing a note");
        goto done;
    }
    memcpy(out->text, buf, out->text_len);
    out->text[out->text_len] = '\0';
    while (pos < len) {
        const char *line = buf + pos;
        const char *eol = memchr(line, '\n', len - pos);
        size_t ll = (size_t)(eol - line);
        const char *sp;
        size_t namelen;
        /* Other algorithms (a witness's tlog-cosignature: timestamp and
           signature) are longer: keep them as unknown signatures. */
        uint8_t blob[4 + 512];
        long long n;
        arcs_note_sig *sig;

        if (out->nsigs >= ARCS_NOTE_MAX_SIGS) {
            st = note_bad(err, "more than 100 signatures");
            goto done;
        }
        if (ll < SIG_PREFIX_LEN || memcmp(line, sig_prefix, SIG_PREFIX_LEN) != 0) {
            st = note_bad(err, "a signature line must start with an em dash and a space");
            goto done;
        }
        sp = memchr(line + SIG_PREFIX_LEN, ' ', ll - SIG_PREFIX_LEN);
        if (!sp) {
            st = note_bad(err, "a signature line needs a name, a space and base64");
            goto done;
        }
        namelen = (size_t)(sp - line) - SIG_PREFIX_LEN;
        if (!arcs_note_name_valid(line + SIG_PREFIX_LEN, namelen)) {
            st = note_bad(err, "bad key name in a signature line");
            goto done;
        }
        n = arcs__b64_decode_to(blob, sizeof(blob), sp + 1, (size_t)(eol - sp - 1));
        if (n < 5) {
            st = note_bad(err, "bad base64 signature, or not 5 to 516 bytes");
            goto done;
        }
        if (out->nsigs == 0 || (out->nsigs & (out->nsigs - 1)) == 0) {
            size_t cap = out->nsigs ? out->nsigs * 2 : 1;
            arcs_note_sig *p = realloc(out->sigs, cap * sizeof(*p));
            if (!p) {
                st = arcs_err_set(err, ARCS_ERROR, "out of memory parsing a note");
                goto done;
            }
            out->sigs = p;
        }
        sig = &out->sigs[out->nsigs];
        memset(sig, 0, sizeof(*sig));
        memcpy(sig->name, line + SIG_PREFIX_LEN, namelen);
        sig->name[namelen] = '\0';
        sig->keyid = (uint32_t)blob[0] << 24 | (uint32_t)blob[1] << 16 |
                     (uint32_t)blob[2] << 8 | blob[3];
        sig->siglen = (size_t)n - 4;
        if (sig->siglen == ARCS_ED25519_SIG)
            memcpy(sig->sig, blob + 4, ARCS_ED25519_SIG);
        for (size_t i = 0; i < out->nsigs; i++)
            if (out->sigs[i].keyid == sig->keyid &&
                strcmp(out->sigs[i].name, sig->name) == 0) {
                st = note_bad(err, "two signatures by the same key");
                goto done;
            }
        out->nsigs++;
        pos += ll + 1;
    }
done:
    if (st != ARCS_OK)
        arcs_note_clear(out);
    return st;
}

static int ed25519_verify(const uint8_t pub[32], const uint8_t *sig, const char *text,
                          size_t len)
{
    EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int ok = 0;

    if (pkey && md && EVP_DigestVerifyInit(md, NULL, NULL, NULL, pkey) == 1 &&
        EVP_DigestVerify(md, sig, ARCS_ED25519_SIG, (const unsigned char *)text, len) ==
            1)
        ok = 1;
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(pkey);
    return ok;
}

arcs_status arcs_note_verify(arcs_note *note, const arcs_note_verifier *keys,
                             size_t nkeys, size_t *nverified, arcs_err *err)
{
    size_t good = 0;

    if (nverified)
        *nverified = 0;
    for (size_t i = 0; i < note->nsigs; i++) {
        arcs_note_sig *sig = &note->sigs[i];

        sig->known = sig->verified = 0;
        for (size_t k = 0; k < nkeys; k++) {
            if (keys[k].keyid != sig->keyid || strcmp(keys[k].name, sig->name) != 0)
                continue;
            sig->known = 1;
            if (sig->siglen != ARCS_ED25519_SIG ||
                !ed25519_verify(keys[k].pub, sig->sig, note->text, note->text_len))
                return arcs_err_set(err, ARCS_EVERIFY,
                                    "bad signature by %s+%08x: the note was changed or "
                                    "not signed by this key",
                                    sig->name, sig->keyid);
            sig->verified = 1;
            good++;
            break;
        }
    }
    if (nverified)
        *nverified = good;
    if (good == 0)
        return arcs_err_set(err, ARCS_EVERIFY,
                            "note has no signature by a known key: pass the right "
                            "verifier key");
    return ARCS_OK;
}

arcs_status arcs_note_open(arcs_note *out, const char *buf, size_t len,
                           const arcs_note_verifier *keys, size_t nkeys,
                           size_t *nverified, arcs_err *err)
{
    arcs_status st = arcs_note_parse(out, buf, len, err);

    if (st == ARCS_OK)
        st = arcs_note_verify(out, keys, nkeys, nverified, err);
    if (st != ARCS_OK)
        arcs_note_clear(out);
    return st;
}

arcs_status arcs_checkpoint_parse(arcs_checkpoint *out, const char *text, size_t len,
                                  arcs_err *err)
{
    const char *line[3];
    size_t ll[3], pos = 0;
    uint64_t size = 0;
    arcs_status st = ARCS_OK;

    memset(out, 0, sizeof(*out));
    if (!text_valid(text, len)) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "malformed checkpoint: not utf-8 text ending in a newline");
        goto done;
    }
    for (int i = 0; i < 3; i++) {
        const char *eol = pos < len ? memchr(text + pos, '\n', len - pos) : NULL;
        if (!eol) {
            st = arcs_err_set(
                err, ARCS_EINVAL,
                "malformed checkpoint: expected origin, size and root lines");
            goto done;
        }
        line[i] = text + pos;
        ll[i] = (size_t)(eol - line[i]);
        pos += ll[i] + 1;
    }
    if (ll[0] == 0 || ll[0] > ARCS_NOTE_NAME_MAX) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "malformed checkpoint: origin line is empty or over 255 bytes");
        goto done;
    }
    if (ll[1] == 0 || ll[1] > 20 || (ll[1] > 1 && line[1][0] == '0')) {
        st = arcs_err_set(
            err, ARCS_EINVAL,
            "malformed checkpoint: tree size must be a decimal number without "
            "leading zeros");
        goto done;
    }
    for (size_t i = 0; i < ll[1]; i++) {
        unsigned d = (unsigned char)line[1][i] - '0';
        if (d > 9 || size > (UINT64_MAX - d) / 10) {
            st = arcs_err_set(err, ARCS_EINVAL,
                              "malformed checkpoint: tree size is not a 64-bit decimal");
            goto done;
        }
        size = size * 10 + d;
    }
    if (ll[2] != 44 || arcs__b64_decode_to(out->root, 32, line[2], ll[2]) != 32) {
        st = arcs_err_set(err, ARCS_EINVAL,
                          "malformed checkpoint: root must be base64 of 32 bytes");
        goto done;
    }
    /* Extension lines: allowed, each non-empty. */
    while (pos < len) {
        const char *eol = memchr(text + pos, '\n', len - pos);
        if (eol == text + pos) {
            st = arcs_err_set(err, ARCS_EINVAL,
                              "malformed checkpoint: empty extension line");
            goto done;
        }
        pos = (size_t)(eol - text) + 1;
    }
    memcpy(out->origin, line[0], ll[0]);
    out->origin[ll[0]] = '\0';
    out->size = size;
done:
    if (st != ARCS_OK)
        memset(out, 0, sizeof(*out));
    return st;
}

arcs_status arcs_checkpoint_format(char **out, size_t *outlen, const arcs_checkpoint *cp,
                                   arcs_err *err)
{
    size_t ol = strnlen(cp->origin, sizeof(cp->origin));
    char b64[48];
    size_t cap = ol + 1 + 21 + 1 + 44 + 2;
    char *buf;
    int n;

    *out = NULL;
    if (ol == 0 || ol > ARCS_NOTE_NAME_MAX || !arcs_utf8_valid(cp->origin, ol))
        return arcs_err_set(err, ARCS_EINVAL,
                            "checkpoint origin must be 1 to 255 bytes of utf-8");
    for (size_t i = 0; i < ol; i++) {
        unsigned char c = (unsigned char)cp->origin[i];
        if (c < 0x20 || c == 0x7F)
            return arcs_err_set(err, ARCS_EINVAL,
                                "checkpoint origin must not hold control characters");
    }
    arcs__b64_encode_to(b64, cp->root, 32);
    buf = malloc(cap);
    if (!buf)
        return arcs_err_set(err, ARCS_ERROR, "out of memory formatting a checkpoint");
    n = snprintf(buf, cap, "%s\n%llu\n%s\n", cp->origin, (unsigned long long)cp->size,
                 b64);
    if (n < 0 || (size_t)n >= cap) {
        free(buf);
        return arcs_err_set(err, ARCS_ERROR, "checkpoint text does not fit");
    }
    *out = buf;
    if (outlen)
        *outlen = (size_t)n;
    return ARCS_OK;
}
