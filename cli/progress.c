#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

struct cli_progress {
	pthread_mutex_t lock;
	char label[64];
	unsigned long long done, total;
	double last_draw;
	int drawn;
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

cli_progress *cli_progress_new(const char *label, unsigned long long total)
{
	const char *ci = getenv("CI");
	if (!isatty(STDERR_FILENO) || (ci && *ci))
		return NULL;
	cli_progress *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	pthread_mutex_init(&p->lock, NULL);
	snprintf(p->label, sizeof(p->label), "%s", label);
	p->total = total;
	return p;
}

/* Caller holds the lock. */
static void draw(cli_progress *p, int force)
{
	enum { WIDTH = 30 };
	double t = now();
	if (!force && t - p->last_draw < 0.1)
		return;
	p->last_draw = t;
	p->drawn = 1;
	if (p->total) {
		unsigned long long done = p->done > p->total ? p->total : p->done;
		int fill = (int)(done * WIDTH / p->total);
		char bar[WIDTH + 1];
		memset(bar, '#', (size_t)fill);
		memset(bar + fill, '-', (size_t)(WIDTH - fill));
		bar[WIDTH] = '\0';
		fprintf(stderr, "\r%s [%s] %3d%%", p->label, bar, (int)(done * 100 / p->total));
	} else {
		fprintf(stderr, "\r%s %llu", p->label, p->done);
	}
	fflush(stderr);
}

void cli_progress_set(cli_progress *p, unsigned long long done, unsigned long long total)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->done = done;
	if (total)
		p->total = total;
	draw(p, 0);
	pthread_mutex_unlock(&p->lock);
}

void cli_progress_step(cli_progress *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->done++;
	draw(p, p->done == p->total);
	pthread_mutex_unlock(&p->lock);
}

void cli_progress_end(cli_progress *p)
{
	if (!p)
		return;
	if (p->drawn)
		fprintf(stderr, "\r%*s\r", (int)strlen(p->label) + 40, "");
	pthread_mutex_destroy(&p->lock);
	free(p);
}

void cli_progress_callback(void *user, unsigned long long done, unsigned long long total)
{
	cli_progress_set(user, done, total);
}
