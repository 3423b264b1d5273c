/*
 * l4/sys/l4int.h -- fixed-size integer and machine-word types (amd64).
 *
 * Defined from the C base types rather than <stdint.h> so that the headers
 * need no host C library at all.
 */
#pragma once

#include <l4/sys/compiler.h>

typedef signed char        l4_int8_t;
typedef unsigned char      l4_uint8_t;
typedef signed short       l4_int16_t;
typedef unsigned short     l4_uint16_t;
typedef signed int         l4_int32_t;
typedef unsigned int       l4_uint32_t;
typedef signed long long   l4_int64_t;
typedef unsigned long long l4_uint64_t;

typedef unsigned long      l4_addr_t;    /* virtual address */
typedef signed long        l4_mword_t;   /* signed machine word */
typedef unsigned long      l4_umword_t;  /* unsigned machine word */
typedef unsigned long      l4_size_t;
typedef signed long        l4_ssize_t;

typedef l4_uint64_t        l4_cpu_time_t;
typedef l4_uint64_t        l4_kernel_clock_t;  /* microseconds */

/*
 * Capability selector: slot number << L4_CAP_SHIFT, low bits free for flags.
 * (L4Re declares this in types.h; it lives here so that consts.h can use it
 * for l4_obj_fpage() without an include cycle.  types.h re-exports it.)
 */
typedef unsigned long      l4_cap_idx_t;

#define L4_MWORD_BITS 64

_Static_assert(sizeof(l4_umword_t) == 8 && sizeof(l4_uint64_t) == 8 &&
               sizeof(l4_uint32_t) == 4 && sizeof(l4_uint16_t) == 2,
               "l4int.h assumes the LP64 data model");
