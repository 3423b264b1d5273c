/*
 * intercept.c — which of cr's objects stands for which service
 * (intercept.h).
 */
#include <recap/string.h>

#include "intercept.h"

static struct {
	char const *name;
	enum cr_service service;
	recap_rpc_dispatch_fn dispatch;
} const services[] = {
	{ "PD", CR_SVC_PD, cr_intercept_pd },
	{ "CPU", CR_SVC_CPU, cr_intercept_cpu },
	{ "RM", CR_SVC_RM, cr_intercept_rm },
	{ "RAM", CR_SVC_RAM, cr_intercept_ram },
	{ "ROM", CR_SVC_ROM, cr_intercept_rom },
	{ "LOG", CR_SVC_LOG, cr_intercept_log },
	{ "Timer", CR_SVC_TIMER, cr_intercept_timer },
	{ "SIGNAL", CR_SVC_SIGNAL, cr_intercept_signal },
	{ "CR", CR_SVC_CR, cr_intercept_cr },
};

enum cr_service cr_service_of(char const *name)
{
	for (unsigned i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (!RECAP_STRING_NAME(strcmp)(name, services[i].name))
			return services[i].service;
	return CR_SVC_OTHER;
}

recap_rpc_dispatch_fn cr_intercept_dispatch(enum cr_service service)
{
	for (unsigned i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (services[i].service == service)
			return services[i].dispatch;
	return NULL;
}

struct cr_session *cr_session_of(struct recap_rpc_object *obj)
{
	return RECAP_CONTAINER_OF(obj, struct cr_session, obj);
}
