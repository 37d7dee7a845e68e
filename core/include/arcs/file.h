/*
 * Output files: the one way arcs writes a file a user names (--out of every
 * command, the files of an audit export, a signing key).
 *
 * A destination that exists and is not a regular file (a symbolic link, a
 * directory, a FIFO, a device) is refused with ARCS_EINVAL: arcs never
 * writes through a link and never replaces a device. The bytes go to a new
 * file made with mkstemp in the destination's own directory (created
 * exclusively, so nothing planted there is followed), are flushed to disk
 * with fsync, and only then renamed over the destination: a reader sees the
 * old file or the whole new one, never a part, and rename replaces the
 * directory entry itself, never what a link planted later points at.
 */
#ifndef ARCS_FILE_H
#define ARCS_FILE_H

#include <stdio.h>

#include "common.h"

/* Flags. */
#define ARCS_FILE_SECRET 1u    /* mode 0600 (keys); else 0666 less the umask */
#define ARCS_FILE_NOREPLACE 2u /* refuse (ARCS_EINVAL) when path exists at all */

/* A file being written: from arcs_file_begin to arcs_file_commit or _abort. */
typedef struct arcs_file arcs_file;

/*
 * Start writing path: *out is the handle, *fp the stream to write to (owned
 * by the handle: do not fclose it). ARCS_EINVAL for a destination that is
 * not a regular file (or exists, with ARCS_FILE_NOREPLACE); ARCS_ERROR when
 * the directory cannot take a new file. err may be NULL.
 */
ARCS_EXTERN(arcs_status)
arcs_file_begin(arcs_file **out, FILE **fp, const char *path, unsigned flags,
                arcs_err *err);

/* Flush, fsync and rename into place; the handle is freed whatever happens
   (on failure the temporary file is removed and path is untouched). */
ARCS_EXTERN(arcs_status) arcs_file_commit(arcs_file *f, arcs_err *err);

/* Give up: remove the temporary file, free the handle (NULL is a no-op). */
ARCS_EXTERN(void) arcs_file_abort(arcs_file *f);

/* begin, write len bytes of data, commit. */
ARCS_EXTERN(arcs_status)
arcs_file_write(const char *path, const void *data, size_t len, unsigned flags,
                arcs_err *err);

#endif
