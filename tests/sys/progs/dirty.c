/*
 * dirty — writes an exact set of pages and only reads others, for the
 * dirty-tracking test (sys_dirty).
 */
#include "../rt/rt.h"

#define PAGES 64
static unsigned char buf[PAGES][4096] __attribute__((aligned(4096)));

int main(void)
{
	volatile unsigned char sink = 0;
	rt_ready((unsigned long)buf);	/* the driver resets tracking now */
	buf[3][0] = 1;
	buf[10][100] = 2;
	buf[11][4095] = 3;
	buf[40][7] = 4;
	for (int p = 20; p < 30; p++)
		sink += buf[p][0];	/* read only: must not count */
	rt_ready(sink);			/* the driver looks now */
	buf[50][0] = 5;
	rt_ready(0);			/* and once more, after a reset */
	return 0;
}
