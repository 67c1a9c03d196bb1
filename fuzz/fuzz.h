/* The libFuzzer entry point, declared for the targets and the replay driver. */
#ifndef CTM_FUZZ_H
#define CTM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
