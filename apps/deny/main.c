/*
 * deny — asks its parent for a service nobody provides and logs the answer
 * (expected: denied), then asks for the same service with an overlong name
 * (refused before it is sent), then exits 0 if both came out as expected.
 */
#include <recap/err.h>
#include <recap/env.h>
#include <recap/log.h>
#include <recap/parent.h>
#include <recap/parent_client.h>

void component_construct(struct recap_env *env)
{
	char name[RECAP_SERVICE_NAME_MAX + 2];
	struct recap_cap cap;
	int err, err2;

	err = recap_parent_session(env, "Nonexistent", "", &cap);
	recap_log(env, "session \"Nonexistent\": %d (%s)", err, recap_err_str(err));

	for (unsigned i = 0; i < sizeof(name) - 1; i++)
		name[i] = 'x';
	name[sizeof(name) - 1] = '\0';
	err2 = recap_parent_session(env, name, "", &cap);
	recap_log(env, "session with a %u-byte name: %d (%s)",
		  (unsigned)(sizeof(name) - 1), err2, recap_err_str(err2));
	recap_parent_exit(env, err == RECAP_ERR_DENIED && err2 == RECAP_ERR_RANGE ? 0 : 1);
}
