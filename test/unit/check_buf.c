/*
 * Unit tests for lib/buf.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "lib/buf.h"

START_TEST(test_append_basic)
{
	struct buf	*b = buf_new(100);

	ck_assert_uint_eq(buf_len(b), 0);
	ck_assert_str_eq(buf_cstr(b), "");
	ck_assert_int_eq(buf_append(b, "ab", 2), 0);
	ck_assert_int_eq(buf_puts(b, "cd"), 0);
	ck_assert_int_eq(buf_putc(b, 'e'), 0);
	ck_assert_int_eq(buf_append(b, "", 0), 0);
	ck_assert_uint_eq(buf_len(b), 5);
	ck_assert_mem_eq(buf_data(b), "abcde", 5);
	ck_assert_str_eq(buf_cstr(b), "abcde");
	buf_free(&b);
	ck_assert_ptr_null(b);
	buf_free(&b);
	buf_free(NULL);
}
END_TEST

START_TEST(test_nul_bytes)
{
	struct buf	*b = buf_new(16);

	ck_assert_int_eq(buf_append(b, "a\0b", 3), 0);
	ck_assert_int_eq(buf_putc(b, 0), 0);
	ck_assert_uint_eq(buf_len(b), 4);
	ck_assert_mem_eq(buf_data(b), "a\0b\0", 4);
	/* the C string view still ends after the data */
	ck_assert_int_eq(buf_cstr(b)[4], '\0');
	buf_free(&b);
}
END_TEST

/* Appends at exactly the maximum succeed; one byte more fails and leaves
 * the buffer unchanged. */
static const struct {
	size_t	 max;
	size_t	 first;
	size_t	 second;
	int	 second_ok;
} limit_cases[] = {
	{ 0, 0, 0, 1 },
	{ 0, 0, 1, 0 },
	{ 1, 1, 0, 1 },
	{ 1, 1, 1, 0 },
	{ 10, 5, 5, 1 },
	{ 10, 5, 6, 0 },
	{ 64, 63, 1, 1 },
	{ 64, 64, 1, 0 },
	{ 1000, 999, 1, 1 },
	{ 1000, 1000, 1, 0 },
	{ 1000, 0, SIZE_MAX, 0 },
	{ 1000, 1, SIZE_MAX, 0 },
};

START_TEST(test_limits)
{
	struct buf	*b = buf_new(limit_cases[_i].max);
	char		*data;
	size_t		 n = limit_cases[_i].first;

	data = malloc(n + 1);
	ck_assert_ptr_nonnull(data);
	memset(data, 'x', n);
	ck_assert_int_eq(buf_append(b, data, n), 0);
	ck_assert_uint_eq(buf_len(b), n);
	if (limit_cases[_i].second_ok) {
		ck_assert_int_eq(buf_append(b, "yyyyy",
		    limit_cases[_i].second), 0);
		ck_assert_uint_eq(buf_len(b), n + limit_cases[_i].second);
	} else {
		ck_assert_int_eq(buf_append(b, "y", limit_cases[_i].second),
		    -1);
		ck_assert_uint_eq(buf_len(b), n);
		ck_assert_int_eq(memcmp(buf_cstr(b), data, n), 0);
		ck_assert_int_eq(buf_cstr(b)[n], '\0');
	}
	free(data);
	buf_free(&b);
}
END_TEST

START_TEST(test_printf)
{
	struct buf	*b = buf_new(12);

	ck_assert_int_eq(buf_printf(b, "%d-%s", 42, "ab"), 0);
	ck_assert_str_eq(buf_cstr(b), "42-ab");
	/* 12 bytes exactly */
	ck_assert_int_eq(buf_printf(b, "%07d", 1), 0);
	ck_assert_str_eq(buf_cstr(b), "42-ab0000001");
	ck_assert_int_eq(buf_printf(b, "x"), -1);
	ck_assert_str_eq(buf_cstr(b), "42-ab0000001");
	buf_reset(b);
	ck_assert_int_eq(buf_printf(b, "%s", "0123456789abc"), -1);
	ck_assert_uint_eq(buf_len(b), 0);
	ck_assert_int_eq(buf_printf(b, "%s", ""), 0);
	ck_assert_uint_eq(buf_len(b), 0);
	buf_free(&b);
}
END_TEST

START_TEST(test_printf_long)
{
	struct buf	*b = buf_new(1 << 20);
	char		*s = malloc(5001);
	size_t		 i;

	memset(s, 'q', 5000);
	s[5000] = '\0';
	for (i = 0; i < 10; i++)
		ck_assert_int_eq(buf_printf(b, "<%s>", s), 0);
	ck_assert_uint_eq(buf_len(b), 10 * 5002);
	ck_assert_int_eq(buf_cstr(b)[5001], '>');
	ck_assert_int_eq(buf_cstr(b)[5002], '<');
	free(s);
	buf_free(&b);
}
END_TEST

START_TEST(test_consume_truncate)
{
	struct buf	*b = buf_new(100);

	buf_puts(b, "hello world");
	buf_consume(b, 6);
	ck_assert_str_eq(buf_cstr(b), "world");
	buf_consume(b, 0);
	ck_assert_str_eq(buf_cstr(b), "world");
	buf_truncate(b, 3);
	ck_assert_str_eq(buf_cstr(b), "wor");
	buf_truncate(b, 3);
	ck_assert_str_eq(buf_cstr(b), "wor");
	buf_consume(b, 3);
	ck_assert_uint_eq(buf_len(b), 0);
	ck_assert_str_eq(buf_cstr(b), "");
	buf_puts(b, "again");
	buf_reset(b);
	ck_assert_uint_eq(buf_len(b), 0);
	ck_assert_str_eq(buf_cstr(b), "");
	buf_free(&b);
}
END_TEST

START_TEST(test_steal)
{
	struct buf	*b = buf_new(100);
	char		*s;
	size_t		 len;

	s = buf_steal(b, &len);
	ck_assert_str_eq(s, "");
	ck_assert_uint_eq(len, 0);
	free(s);
	buf_append(b, "ab\0c", 4);
	s = buf_steal(b, &len);
	ck_assert_uint_eq(len, 4);
	ck_assert_mem_eq(s, "ab\0c", 5);
	ck_assert_uint_eq(buf_len(b), 0);
	ck_assert_str_eq(buf_cstr(b), "");
	free(s);
	buf_puts(b, "x");
	s = buf_steal(b, NULL);
	ck_assert_str_eq(s, "x");
	free(s);
	buf_free(&b);
}
END_TEST

START_TEST(test_embedded)
{
	struct buf	 b;

	buf_init(&b, 8);
	ck_assert_ptr_null(b.data);
	ck_assert_str_eq(buf_cstr(&b), "");
	buf_reset(&b);
	ck_assert_int_eq(buf_puts(&b, "12345678"), 0);
	ck_assert_int_eq(buf_putc(&b, '9'), -1);
	ck_assert_str_eq(buf_cstr(&b), "12345678");
	buf_release(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(buf_len(&b), 0);
	/* usable again after release */
	ck_assert_int_eq(buf_puts(&b, "ok"), 0);
	ck_assert_str_eq(buf_cstr(&b), "ok");
	buf_release(&b);
	buf_release(NULL);
}
END_TEST

/* Grow byte by byte well past the initial allocation. */
START_TEST(test_growth)
{
	struct buf	*b = buf_new(100000);
	size_t		 i;

	for (i = 0; i < 100000; i++)
		ck_assert_int_eq(buf_putc(b, (int)(i % 251)), 0);
	ck_assert_int_eq(buf_putc(b, 0), -1);
	for (i = 0; i < 100000; i++)
		ck_assert_uint_eq(buf_data(b)[i], i % 251);
	ck_assert_uint_le(b->cap, 100001);
	buf_free(&b);
}
END_TEST

static int
all_zero(const unsigned char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

START_TEST(test_sensitive)
{
	struct buf	*b = buf_new(1000);
	size_t		 i;

	buf_set_sensitive(b);
	ck_assert_int_eq(buf_puts(b, "secret password"), 0);
	/* reset wipes the whole allocation, keeping it */
	buf_reset(b);
	ck_assert_ptr_nonnull(b->data);
	ck_assert(all_zero(b->data, b->cap));
	/* consume wipes the tail left behind by the move */
	buf_puts(b, "0123456789");
	buf_consume(b, 4);
	ck_assert_str_eq(buf_cstr(b), "456789");
	ck_assert(all_zero(b->data + 6, b->cap - 6));
	buf_truncate(b, 2);
	ck_assert_str_eq(buf_cstr(b), "45");
	ck_assert(all_zero(b->data + 2, b->cap - 2));
	/* growth copies; contents survive */
	for (i = 0; i < 500; i++)
		ck_assert_int_eq(buf_putc(b, 'a' + (int)(i % 26)), 0);
	ck_assert_uint_eq(buf_len(b), 502);
	ck_assert_int_eq(buf_cstr(b)[0], '4');
	ck_assert_int_eq(buf_cstr(b)[501], 'a' + 499 % 26);
	buf_free(&b);
}
END_TEST

static Suite *
buf_suite(void)
{
	Suite	*s = suite_create("buf");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_append_basic);
	tcase_add_test(tc, test_nul_bytes);
	tcase_add_loop_test(tc, test_limits, 0,
	    sizeof(limit_cases) / sizeof(limit_cases[0]));
	tcase_add_test(tc, test_printf);
	tcase_add_test(tc, test_printf_long);
	tcase_add_test(tc, test_consume_truncate);
	tcase_add_test(tc, test_steal);
	tcase_add_test(tc, test_embedded);
	tcase_add_test(tc, test_growth);
	tcase_add_test(tc, test_sensitive);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(buf_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
