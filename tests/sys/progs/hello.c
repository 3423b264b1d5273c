/* hello — the smallest test program: print, exit 0. */
#include "../rt/rt.h"

int main(void)
{
	rt_printf("hello from a task\n");
	return 0;
}
