/* sechk — little-endian field readers for the binary containers (zip, CFB,
 * encryption info).  Internal to src/read; the caller has checked that the
 * bytes lie inside its buffer. */
#ifndef SECHK_READ_LE_H
#define SECHK_READ_LE_H

#include <stdint.h>

/* Reads a little-endian 16-bit value. */
static inline uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* Reads a little-endian 32-bit value. */
static inline uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Reads a little-endian 64-bit value. */
static inline uint64_t le64(const unsigned char *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

#endif
