/* migrate — layout shared by the migrate program and its driver. */
#pragma once

#define MIG_G2 RT_ARG_CAP(0)	/* gate to t2 (the driver calls it) */
#define MIG_G3 RT_ARG_CAP(1)	/* gate to t4 (t3 calls it) */
#define MIG_GM RT_ARG_CAP(2)	/* gate to main ("done" reports) */
#define MIG_IRQ RT_ARG_CAP(3)	/* IRQ t4 waits for (the driver triggers it) */

#define MIG_G2_LABEL 0x200UL
#define MIG_G3_LABEL 0x300UL
#define MIG_GM_LABEL 0x400UL
#define MIG_IRQ_LABEL 0x500UL

#define MIG_THREADS 4		/* besides main: t1..t4 at UTCB index 1..4 */
