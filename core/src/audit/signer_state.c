/*
 * The signer's state file. Text, one field a line:
 *
 *   arcs-signer-state 1
 *   origin <the key's name>
 *   size <entries in the last signed tree>
 *   root <its root, hex>
 *   frontier <the tree's right edge, hex (merkle.h serialization)>
 *
 * A file the signer alone writes, beside its key: the database cannot roll
 * it back.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../buf_int.h"
#include "capture_int.h"
#include "signer_state_int.h"

#define STATE_MAX 8192

static int state_path(char *out, size_t cap, const char *key_path)
{
    return snprintf(out, cap, "%s.last", key_path) < (int)cap ? 0 : -1;
}

static void hex(char *out, const uint8_t *p, size_t n)
{
    static const char d[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = d[p[i] >> 4];
        out[2 * i + 1] = d[p[i] & 15];
    }
    out[2 * n] = '\0';
}

/* The value of line "name value" at *p; advances past the line. */
static const char *field(char **p, const char *name)
{
    size_t n = strlen(name);
    char *line = *p, *nl = strchr(line, '\n');

    if (!nl || strncmp(line, name, n) || line[n] != ' ')
        return NULL;
    *nl = '\0';
    *p = nl + 1;
    return line + n + 1;
}

arcs_status arcs__signer_lock(const char *key_path, int *fd, arcs_err *err)
{
    *fd = open(key_path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0)
        return arcs_err_set(err, ARCS_EINVAL, "cannot open the key file '%s': %s",
                            key_path, strerror(errno));
    while (flock(*fd, LOCK_EX) != 0) {
        if (errno == EINTR)
            continue;
        close(*fd);
        *fd = -1;
        return arcs_err_set(err, ARCS_ERROR, "cannot lock the key file '%s': %s",
                            key_path, strerror(errno));
    }
    return ARCS_OK;
}

void arcs__signer_unlock(int fd)
{
    if (fd >= 0)
        close(fd); /* releases the lock */
}

arcs_status arcs__signer_state_load(const char *key_path, arcs__signer_state *s,
                                    int *exists, arcs_err *err)
{
    char path[4096], buf[STATE_MAX + 1], *p = buf, *end;
    const char *v;
    uint8_t fb[ARCS_MERKLE_FRONTIER_MAX], root[ARCS_HASH_SIZE];
    size_t flen = 0, rlen = 0;
    struct stat sb;
    ssize_t n;
    int fd;

    memset(s, 0, sizeof(*s));
    *exists = 0;
    if (state_path(path, sizeof(path), key_path))
        return arcs_err_set(err, ARCS_EINVAL, "the key file's path is too long");
    fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && lstat(path, &sb) != 0)
        return ARCS_OK; /* none yet */
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (fd >= 0)
            close(fd);
        return arcs_err_set(err, ARCS_EVERIFY,
                            "the signer state '%s' is not a regular file; restore it "
                            "from a backup of the signing host",
                            path);
    }
    n = read(fd, buf, STATE_MAX + 1);
    close(fd);
    if (n < 0 || n > STATE_MAX)
        return arcs_err_set(err, ARCS_EVERIFY, "cannot read the signer state '%s'", path);
    buf[n] = '\0';
    *exists = 1;
    if (strncmp(p, "arcs-signer-state 1\n", 20))
        goto bad;
    p += 20;
    if (!(v = field(&p, "origin")) || strlen(v) >= sizeof(s->origin))
        goto bad;
    memcpy(s->origin, v, strlen(v) + 1);
    if (!(v = field(&p, "size")) || !*v || v[0] == '-')
        goto bad;
    errno = 0;
    s->size = strtoull(v, &end, 10);
    if (*end || errno)
        goto bad;
    if (!(v = field(&p, "root")) ||
        arcs__audit_unhex(s->root, sizeof(s->root), &rlen, v) != ARCS_OK ||
        rlen != ARCS_HASH_SIZE)
        goto bad;
    if (!(v = field(&p, "frontier")) ||
        arcs__audit_unhex(fb, sizeof(fb), &flen, v) != ARCS_OK ||
        arcs_merkle_frontier_deserialize(&s->f, fb, flen, NULL) != ARCS_OK || *p)
        goto bad;
    if (s->f.size != s->size || arcs_merkle_frontier_root(root, &s->f, NULL) != ARCS_OK ||
        memcmp(root, s->root, ARCS_HASH_SIZE))
        goto bad;
    return ARCS_OK;
bad:
    return arcs_err_set(err, ARCS_EVERIFY,
                        "the signer state '%s' is damaged; restore it from a backup of "
                        "the signing host",
                        path);
}

arcs_status arcs__signer_state_save(const char *key_path, const arcs__signer_state *s,
                                    arcs_err *err)
{
    char path[4096], tmp[4096], dir[4096], rh[2 * ARCS_HASH_SIZE + 1];
    char fh[2 * ARCS_MERKLE_FRONTIER_MAX + 1];
    uint8_t fb[ARCS_MERKLE_FRONTIER_MAX];
    size_t flen = 0;
    arcs__buf text = {0};
    struct stat sb;
    int fd, dfd;
    arcs_status st = ARCS_OK;

    if (state_path(path, sizeof(path), key_path) ||
        snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
        return arcs_err_set(err, ARCS_EINVAL, "the key file's path is too long");
    if (lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return arcs_err_set(err, ARCS_EVERIFY,
                            "the signer state '%s' is not a regular file; remove it only "
                            "if you know what replaced it",
                            path);
    if (arcs_merkle_frontier_serialize(fb, sizeof(fb), &flen, &s->f, err) != ARCS_OK)
        return ARCS_ERROR;
    hex(rh, s->root, ARCS_HASH_SIZE);
    hex(fh, fb, flen);
    arcs__buf_printf(&text,
                     "arcs-signer-state 1\norigin %s\nsize %llu\nroot %s\nfrontier %s\n",
                     s->origin, (unsigned long long)s->size, rh, fh);
    if (text.oom) {
        arcs__buf_free(&text);
        return arcs_err_set(err, ARCS_ERROR, "out of memory");
    }
    fd = mkstemp(tmp); /* 0600, O_EXCL: never an existing file or a link */
    if (fd < 0) {
        st =
            arcs_err_set(err, ARCS_ERROR, "cannot write the signer state beside '%s': %s",
                         key_path, strerror(errno));
        goto done;
    }
    if (fchmod(fd, 0600) != 0 || write(fd, text.b, text.n) != (ssize_t)text.n ||
        fsync(fd) != 0) {
        st = arcs_err_set(err, ARCS_ERROR, "cannot write the signer state '%s': %s", tmp,
                          strerror(errno));
        close(fd);
        unlink(tmp);
        goto done;
    }
    if (close(fd) != 0 || rename(tmp, path) != 0) {
        st = arcs_err_set(err, ARCS_ERROR, "cannot write the signer state '%s': %s", path,
                          strerror(errno));
        unlink(tmp);
        goto done;
    }
    snprintf(dir, sizeof(dir), "%s", path);
    dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
done:
    arcs__buf_free(&text);
    return st;
}
