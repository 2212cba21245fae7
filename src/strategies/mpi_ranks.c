/*
 * mpi_ranks.c - where the ranks are and how they talk (see mpi_ranks.h).
 *
 * The transport: MPI has no call that names the network a job's messages
 * take, so this reads which of Open MPI's point-to-point components this
 * process has loaded (/proc/self/maps: mca_pml_*.so, mca_btl_*.so).  Open
 * MPI opens every component that is allowed (--mca btl ...) and unloads
 * those that found nothing to drive, so what stays mapped is what the
 * messages can take: with pml ob1, the shared-memory btl (sm, vader)
 * between ranks of one host, and the others (tcp, ...) between hosts.
 */
#ifdef COLBENCH_MPI

#include "strategies/mpi_ranks.h"

#include <mpi.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_COMPONENTS 16

struct components {
	char name[MAX_COMPONENTS][32];
	unsigned count;
};

static void add_component(struct components *c, const char *name, size_t n)
{
	if (n == 0 || n >= sizeof(c->name[0]) || c->count == MAX_COMPONENTS)
		return;
	for (unsigned i = 0; i < c->count; i++)
		if (strlen(c->name[i]) == n && strncmp(c->name[i], name, n) == 0)
			return;
	memcpy(c->name[c->count], name, n);
	c->name[c->count++][n] = '\0';
}

/* The components of one framework ("btl") that this process has mapped. */
static void loaded(const char *framework, struct components *c)
{
	char line[4096], prefix[32];
	FILE *maps = fopen("/proc/self/maps", "r");

	c->count = 0;
	if (!maps)
		return;
	snprintf(prefix, sizeof(prefix), "mca_%s_", framework);
	while (fgets(line, sizeof(line), maps)) {
		const char *at = strstr(line, prefix), *end;

		if (at && (end = strstr(at, ".so")))
			add_component(c, at + strlen(prefix), (size_t)(end - at - strlen(prefix)));
	}
	(void)fclose(maps); /* read only */
}

static bool local_only(const char *btl)
{
	return !strcmp(btl, "self") || !strcmp(btl, "sm") || !strcmp(btl, "vader");
}

/* "tcp" or "tcp, openib": the loaded btls that reach other hosts, or
 * (want_local) those that reach only this one; self (a rank to itself)
 * neither. */
static void join(char *buf, size_t len, const struct components *c, bool want_local)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < c->count; i++) {
		if (!strcmp(c->name[i], "self") || local_only(c->name[i]) != want_local)
			continue;
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
					 used ? ", " : "", c->name[i]);
	}
}

/* "Open MPI v4.1.4": the library's version string up to its first comma. */
static void library(char *buf, size_t len)
{
	char v[MPI_MAX_LIBRARY_VERSION_STRING];
	int n = 0;

	MPI_Get_library_version(v, &n);
	v[strcspn(v, ",\n")] = '\0';
	snprintf(buf, len, "%.127s", v);
}

static void describe(char *buf, size_t len, unsigned hosts, bool host_shared)
{
	struct components pml, btl;
	char lib[128], remote[160], local[160];
	int used;

	loaded("pml", &pml);
	loaded("btl", &btl);
	library(lib, sizeof(lib));
	if (pml.count != 1 || strcmp(pml.name[0], "ob1") != 0) {
		snprintf(buf, len, "%s, pml %s (its own transports)", lib,
			 pml.count == 1 ? pml.name[0] : "unknown");
		return;
	}
	join(remote, sizeof(remote), &btl, false);
	join(local, sizeof(local), &btl, true);
	used = snprintf(buf, len, "%s, pml ob1", lib);
	if (used < 0 || (size_t)used >= len)
		return;
	if (hosts > 1)
		used += snprintf(buf + used, len - (size_t)used, "; btl %s between hosts",
				 remote[0] ? remote : "none");
	if (host_shared && (size_t)used < len)
		snprintf(buf + used, len - (size_t)used, "; btl %s within a host",
			 local[0] ? local : remote);
}

struct job_rank *mpi_ranks_learn(int rank, int size, unsigned *hosts, char *buf, size_t len)
{
	struct job_rank me = { .pid = (long)getpid() }, *all = NULL;
	char name[MPI_MAX_PROCESSOR_NAME];
	int n = 0;
	bool host_shared = false;

	MPI_Get_processor_name(name, &n);
	snprintf(me.host, sizeof(me.host), "%.63s", name);
	if (rank == 0 && !(all = calloc((size_t)size, sizeof(*all)))) {
		MPI_Abort(MPI_COMM_WORLD, 3); /* the others wait in the gather */
		_exit(3);                     /* MPI_Abort does not return */
	}
	MPI_Gather(&me, (int)sizeof(me), MPI_BYTE, all, (int)sizeof(me), MPI_BYTE, 0,
		   MPI_COMM_WORLD);
	*hosts = 0;
	buf[0] = '\0';
	if (rank != 0)
		return NULL;
	for (int r = 0; r < size; r++) {
		int first = r;

		for (int q = 0; q < r; q++)
			if (!strcmp(all[q].host, all[r].host)) {
				first = q;
				break;
			}
		if (first == r)
			(*hosts)++;
		else
			host_shared = true;
	}
	describe(buf, len, *hosts, host_shared);
	return all;
}

#endif
