/*
 * The value of one hexadecimal digit, either case: one definition for the
 * parsers that read hex (bytea text, signed notes, JSON \u escapes).
 */
#ifndef ARCS_HEX_INT_H
#define ARCS_HEX_INT_H

/* 0..15, or -1 when c is not a hex digit. */
static inline int arcs__hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif
