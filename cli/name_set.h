/* A set of file names with a counter per name, for giving every report of a
 * batch its own file name in time linear in the number of groups. */
#ifndef CTM_CLI_NAME_SET_H
#define CTM_CLI_NAME_SET_H

#include <stddef.h>

typedef struct cli_name_slot {
	char *name; /* owned; NULL: empty slot */
	unsigned next; /* for a base name: the next suffix to try */
} cli_name_slot;

typedef struct cli_name_set {
	cli_name_slot *slots;
	size_t capacity, count; /* capacity a power of two, or 0 */
} cli_name_set;

/* The slot of name, added (with next 0) when absent; NULL when out of
 * memory. *added says whether it was new. */
cli_name_slot *cli_name_set_get(cli_name_set *set, const char *name, int *added);

void cli_name_set_free(cli_name_set *set);

#endif
