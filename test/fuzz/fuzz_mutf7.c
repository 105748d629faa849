/*
 * Fuzz target: modified UTF-7 decoding, and encode(decode(x)) == x for
 * every valid input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mutf7.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *utf8, *back;

	if ((utf8 = mutf7_decode((const char *)data, len)) == NULL)
		return 0;
	back = mutf7_encode(utf8, strlen(utf8));
	if (back == NULL || strlen(back) != len ||
	    memcmp(back, data, len) != 0)
		abort();
	free(back);
	free(utf8);
	return 0;
}
