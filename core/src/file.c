/* Output files written whole and never through a link: see arcs/file.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arcs/file.h"

struct arcs_file {
    char *path;
    char *tmp;
    char *dir;
    FILE *fp;
    unsigned flags;
};

/* ARCS_OK when path is absent or a regular file (absent only, with
   NOREPLACE); never follows a link at path. */
static arcs_status check_dest(const char *path, unsigned flags, arcs_err *err)
{
    struct stat st;

    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return ARCS_OK;
        return arcs_err_set(err, ARCS_ERROR, "cannot write '%s': %s", path,
                            strerror(errno));
    }
    if (!S_ISREG(st.st_mode))
        return arcs_err_set(err, ARCS_EINVAL,
                            "'%s' exists and is not a regular file (%s); arcs writes "
                            "only regular files: give another path",
                            path,
                            S_ISLNK(st.st_mode)    ? "a symbolic link"
                            : S_ISDIR(st.st_mode)  ? "a directory"
                            : S_ISFIFO(st.st_mode) ? "a FIFO"
                            : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                                         : "not a file");
    if (flags & ARCS_FILE_NOREPLACE)
        return arcs_err_set(err, ARCS_EINVAL,
                            "'%s' already exists; choose a new file (an old key may be "
                            "the only copy)",
                            path);
    return ARCS_OK;
}

void arcs_file_abort(arcs_file *f)
{
    if (!f)
        return;
    if (f->fp)
        fclose(f->fp);
    if (f->tmp)
        unlink(f->tmp);
    free(f->path);
    free(f->tmp);
    free(f->dir);
    free(f);
}

arcs_status arcs_file_begin(arcs_file **out, FILE **fp, const char *path, unsigned flags,
                            arcs_err *err)
{
    arcs_file *f = NULL;
    const char *slash, *base;
    size_t dlen;
    mode_t mask;
    int fd = -1;
    arcs_status st;

    *out = NULL;
    *fp = NULL;
    if (!path || !*path)
        return arcs_err_set(err, ARCS_EINVAL, "empty output path; give a file name");
    if ((st = check_dest(path, flags, err)) != ARCS_OK)
        return st;
    slash = strrchr(path, '/');
    base = slash ? slash + 1 : path;
    if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
        return arcs_err_set(err, ARCS_EINVAL, "'%s' names a directory; give a file name",
                            path);
    dlen = slash ? (size_t)(slash - path) : 0;
    f = calloc(1, sizeof(*f));
    if (!f || !(f->path = strdup(path)) ||
        !(f->dir = slash ? strndup(path, dlen ? dlen : 1) : strdup(".")) ||
        !(f->tmp = malloc(dlen + strlen(base) + 16))) {
        arcs_file_abort(f);
        return arcs_err_set(err, ARCS_ERROR, "out of memory");
    }
    f->flags = flags;
    /* the same directory, so rename never crosses a file system */
    if (slash)
        snprintf(f->tmp, dlen + strlen(base) + 16, "%.*s/.%s.XXXXXX", (int)dlen, path,
                 base);
    else
        snprintf(f->tmp, strlen(base) + 16, ".%s.XXXXXX", base);
    fd = mkstemp(f->tmp); /* O_CREAT | O_EXCL, mode 0600: follows nothing */
    if (fd < 0) {
        st = arcs_err_set(err, ARCS_ERROR, "cannot write '%s': %s; check the directory",
                          path, strerror(errno));
        free(f->tmp);
        f->tmp = NULL;
        arcs_file_abort(f);
        return st;
    }
    mask = umask(0);
    umask(mask);
    if (fchmod(fd, (flags & ARCS_FILE_SECRET) ? 0600 : (0666 & ~mask)) != 0 ||
        !(f->fp = fdopen(fd, "wb"))) {
        st =
            arcs_err_set(err, ARCS_ERROR, "cannot write '%s': %s", path, strerror(errno));
        close(fd);
        arcs_file_abort(f);
        return st;
    }
    *out = f;
    *fp = f->fp;
    return ARCS_OK;
}

arcs_status arcs_file_commit(arcs_file *f, arcs_err *err)
{
    arcs_status st = ARCS_OK;
    int dfd, fail;

    if (!f)
        return arcs_err_set(err, ARCS_ERROR, "no file to commit");
    fail = fflush(f->fp) != 0 || ferror(f->fp) || fsync(fileno(f->fp)) != 0;
    if (fclose(f->fp) != 0)
        fail = 1;
    f->fp = NULL;
    if (fail) {
        st = arcs_err_set(err, ARCS_ERROR, "cannot write '%s': %s", f->path,
                          strerror(errno));
        goto done;
    }
    /* checked again: something may have appeared there meanwhile */
    if ((st = check_dest(f->path, f->flags, err)) != ARCS_OK)
        goto done;
    if (f->flags & ARCS_FILE_NOREPLACE) {
        /* link fails if the name exists by now: a key is never replaced */
        if (link(f->tmp, f->path) != 0) {
            st = arcs_err_set(err, errno == EEXIST ? ARCS_EINVAL : ARCS_ERROR,
                              "cannot create '%s': %s; choose a new file", f->path,
                              strerror(errno));
            goto done;
        }
    } else if (rename(f->tmp, f->path) != 0) {
        st = arcs_err_set(err, ARCS_ERROR, "cannot write '%s': %s", f->path,
                          strerror(errno));
        goto done;
    } else {
        free(f->tmp);
        f->tmp = NULL; /* renamed: nothing to remove */
    }
    /* the new name reaches the disk too */
    dfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
done:
    arcs_file_abort(f);
    return st;
}

arcs_status arcs_file_write(const char *path, const void *data, size_t len,
                            unsigned flags, arcs_err *err)
{
    arcs_file *f;
    FILE *fp;
    arcs_status st = arcs_file_begin(&f, &fp, path, flags, err);

    if (st != ARCS_OK)
        return st;
    if (len && fwrite(data, 1, len, fp) != len) {
        st =
            arcs_err_set(err, ARCS_ERROR, "cannot write '%s': %s", path, strerror(errno));
        arcs_file_abort(f);
        return st;
    }
    return arcs_file_commit(f, err);
}
