/*
 * bystander — an innocent task: computes, makes calls to its driver (which
 * answers each value squared), prints and exits 0. sys_fault runs it while
 * another task has a thread hanging in a fault.
 */
#include "../rt/rt.h"

#define LIMIT 20000

static unsigned char composite[LIMIT];

int main(void)
{
	unsigned long primes = 0, sum = 0, answers = 0;
	for (unsigned long i = 2; i < LIMIT; i++) {
		if (composite[i])
			continue;
		primes++;
		sum += i;
		for (unsigned long j = i * i; j < LIMIT; j += i)
			composite[j] = 1;
	}
	for (unsigned long i = 1; i <= 20; i++)
		answers += rt_ready(i);
	rt_printf("bystander: %lu primes below %u, sum %lu; 20 calls, answers sum %lu\n",
		  primes, LIMIT, sum, answers);
	return answers == 2870 ? 0 : 1;
}
