/* The libFuzzer entry point, declared for the targets and the replay driver. */
#ifndef CTM_FUZZ_H
#define CTM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes all n bytes of p to fd (a memfd the target reads back as a file):
 * 0, or -1. */
static inline int ctm_fuzz_write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

#endif
