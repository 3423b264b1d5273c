/*
 * Helpers shared by test_diff and test_inspect (tool_run.h). The scratch
 * directory is one per test program: scratch_enter() is called from a
 * cmocka group setup, scratch_leave() from its teardown.
 */
#include "image_test.h"

#include <recap/cr_stream.h>

#include "sample.h"
#include "stream.h"
#include "tool_run.h"

static char *dir;
static char top[PATH_MAX_T];

struct run tool_run(tool_main_fn *main_fn, char const *const *argv)
{
	int argc = 0;
	struct run r;
	FILE *out = open_memstream(&r.out, &r.out_len);
	FILE *err = open_memstream(&r.err, &r.err_len);

	assert_non_null(out);
	assert_non_null(err);
	while (argv[argc])
		argc++;
	r.rc = main_fn(argc, (char **)argv, out, err);
	fclose(out);
	fclose(err);
	return r;
}

void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

void one_line_error(struct run const *r, int rc)
{
	assert_int_equal(r->rc, rc);
	assert_int_equal(r->out_len, 0);
	assert_true(r->err_len > 1);
	assert_int_equal(r->err[r->err_len - 1], '\n');
	assert_ptr_equal(memchr(r->err, '\n', r->err_len),
			 r->err + r->err_len - 1);
}

int scratch_enter(void)
{
	if (!getcwd(top, sizeof(top)))
		return -1;
	dir = tdir_make();
	return chdir(dir) ? -1 : 0;
}

int scratch_leave(void)
{
	if (chdir(top))
		return -1;
	tdir_remove(dir);
	return 0;
}

char const *scratch_top(void)
{
	return top;
}

void write_bad_record_image(char const *path)
{
	struct tlv_writer w;
	struct image_err err;
	size_t sec, m;

	sample_writer_init(&w);
	crfmt_stream_begin(&w);
	sec = crfmt_stream_section_begin(&w, CR_SEC_THREADS);
	m = tlv_begin(&w, CRFMT_THREADS_THREAD);
	tlv_put_u64(&w, CRFMT_THR_INDEX, 0);
	tlv_end(&w, m);
	crfmt_stream_section_end(&w, sec);
	assert_int_equal(image_write_from_stream(path, w.buf, w.len, false,
						 &err),
			 IMAGE_OK);
	sample_writer_free(&w);
}
