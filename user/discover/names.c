// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "discover/names.h"
#include "model/json_read.h"

#define ID_LEN 64
#define MAX_FILE (16 << 20)

/* The whole file, NUL-terminated, in a new buffer (free it); NULL if unreadable. */
static char *slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 4096, n = 0;
	char *buf = NULL;
	ssize_t r;

	if (fd < 0)
		return NULL;
	for (;;) {
		if (n + 1 >= cap || !buf) {
			char *p = cap > MAX_FILE ? NULL : realloc(buf, cap *= 2);

			if (!p) {
				free(buf);
				close(fd);
				return NULL;
			}
			buf = p;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static const char *root(void)
{
	const char *r = getenv(NAMES_ROOT_ENV);

	return r && *r ? r : "";
}

/* A 64-hex container id in a cgroup path: docker-ID.scope, /docker/ID, libpod-ID, cri-containerd-ID, crio-ID. */
static int cgroup_id(int pid, char id[ID_LEN + 1])
{
	char path[64], *text;
	size_t len;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	text = slurp(path, &len);
	for (char *p = text; p && *p && !found; p++) {
		int run = 0;

		while (isxdigit((unsigned char)p[run]) && !isupper((unsigned char)p[run]))
			run++;
		if (run == ID_LEN && (p == text || !isxdigit((unsigned char)p[-1]))) {
			memcpy(id, p, ID_LEN);
			id[ID_LEN] = '\0';
			found = 1;
		}
		p += run ? run - 1 : 0;
	}
	free(text);
	return found;
}

/* A string member of a JSON file, by a path of object keys. */
static int json_file_string(const char *path, const char *const *keys, char *out, int size)
{
	size_t len;
	char *text = slurp(path, &len);
	struct jspan v;
	int err = !text || json_root(text, len, &v);

	for (int i = 0; !err && keys[i]; i++)
		err = json_member(v, keys[i], &v);
	if (!err)
		err = json_string_of(v, out, size);
	free(text);
	return err ? -1 : 0;
}

static int docker_name(const char *id, char *out, int size)
{
	static const char *const keys[] = { "Name", NULL };
	char path[512], name[CONTAINER_NAME_MAX + 2];

	snprintf(path, sizeof(path), "%s/var/lib/docker/containers/%s/config.v2.json", root(), id);
	if (json_file_string(path, keys, name, sizeof(name)))
		return -1;
	snprintf(out, size, "%s", name[0] == '/' ? name + 1 : name);	/* Docker keeps names as "/c1" */
	return 0;
}

static int podman_name(const char *id, char *out, int size)
{
	char path[512], got[ID_LEN + 1];
	size_t len;
	char *text;
	struct jspan all, it, c, v, names;
	int found = -1;

	snprintf(path, sizeof(path), "%s/var/lib/containers/storage/overlay-containers/containers.json", root());
	text = slurp(path, &len);
	if (!text || json_root(text, len, &all) || all.p[0] != '[') {
		free(text);
		return -1;
	}
	it = all;
	while (found && json_next(&it, &c) == 1) {
		if (json_member(c, "id", &v) || json_string_of(v, got, sizeof(got)) || strcmp(got, id))
			continue;
		if (!json_member(c, "names", &names) && names.p[0] == '[' && json_next(&names, &v) == 1 &&
		    !json_string_of(v, out, size))
			found = 0;
	}
	free(text);
	return found;
}

/* containerd (nerdctl, Kubernetes' CRI): the task's OCI config.json, under any containerd namespace. */
static int containerd_name(const char *id, char *out, int size)
{
	static const char *const labels[] = { "nerdctl/name", "io.kubernetes.cri.sandbox-name",
					      "io.kubernetes.cri.container-name", "io.kubernetes.pod.name" };
	char dir[512], path[700];
	struct dirent *de;
	DIR *d;
	int found = -1;

	snprintf(dir, sizeof(dir), "%s/run/containerd/io.containerd.runtime.v2.task", root());
	d = opendir(dir);
	while (d && found && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%.64s/%s/config.json", dir, de->d_name, id);
		for (size_t k = 0; found && k < sizeof(labels) / sizeof(labels[0]); k++)
			found = json_file_string(path, (const char *const[]){ "annotations", labels[k], NULL }, out, size);
	}
	if (d)
		closedir(d);
	return found;
}

void container_of_pid(int pid, char *name, int size)
{
	char id[ID_LEN + 1];

	name[0] = '\0';
	if (!cgroup_id(pid, id))
		return;
	if (docker_name(id, name, size) && podman_name(id, name, size) && containerd_name(id, name, size))
		name[0] = '\0';
	/* A name is a label: nothing that would break a column or a shell word. */
	for (char *p = name; *p; p++)
		if (!isgraph((unsigned char)*p) || *p == '/')
			*p = '_';
}

/* comm and start time (field 22) from /proc/PID/stat; 0 or -1. */
static int proc_stat(int pid, char comm[16], unsigned long long *start)
{
	char path[64], buf[1024], *open_paren, *close_paren, *p;
	int fd, field;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* comm may hold spaces and parentheses: it lies between the first '(' and the last ')'. */
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren || close_paren < open_paren)
		return -1;
	snprintf(comm, 16, "%.*s", (int)(close_paren - open_paren - 1), open_paren + 1);
	for (char *c = comm; *c; c++)
		if (!isgraph((unsigned char)*c) || *c == '/' || *c == ':')
			*c = '_';
	for (p = close_paren + 1, field = 2; *p && field < 22; p++)
		if (*p == ' ')
			field++;
	return field == 22 && sscanf(p, "%llu", start) == 1 ? 0 : -1;
}

int process_comm(int pid, char comm[16])
{
	unsigned long long start;

	return proc_stat(pid, comm, &start);
}

static struct ns_owner *owner_slot(struct ns_owners *ow, uint32_t ino)
{
	for (int i = 0; i < ow->n; i++)
		if (ow->o[i].ino == ino)
			return &ow->o[i];
	if (ow->n == ow->cap) {
		int cap = ow->cap ? ow->cap * 2 : 64;
		struct ns_owner *p = realloc(ow->o, cap * sizeof(*p));

		if (!p)
			return NULL;
		ow->o = p;
		ow->cap = cap;
	}
	memset(&ow->o[ow->n], 0, sizeof(ow->o[0]));
	ow->o[ow->n].ino = ino;
	return &ow->o[ow->n++];
}

int ns_owners_scan(struct ns_owners *ow)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	memset(ow, 0, sizeof(*ow));
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char path[64], comm[16];
		unsigned long long start;
		struct stat st;
		struct ns_owner *o;
		int pid = atoi(de->d_name);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
		if (stat(path, &st) || proc_stat(pid, comm, &start))
			continue;	/* gone meanwhile, or a kernel thread's */
		o = owner_slot(ow, (uint32_t)st.st_ino);
		if (!o)
			break;
		/* The oldest process names it: it outlives the short-lived ones, run after run. */
		if (!o->pid || start < o->start || (start == o->start && pid < o->pid)) {
			o->pid = pid;
			o->start = start;
			snprintf(o->comm, sizeof(o->comm), "%s", comm);
		}
	}
	closedir(d);
	for (int i = 0; i < ow->n; i++)
		container_of_pid(ow->o[i].pid, ow->o[i].container, sizeof(ow->o[i].container));
	return 0;
}

void ns_owners_free(struct ns_owners *ow)
{
	free(ow->o);
	memset(ow, 0, sizeof(*ow));
}

const struct ns_owner *ns_owner_of(const struct ns_owners *ow, uint32_t ino)
{
	for (int i = 0; i < ow->n; i++)
		if (ow->o[i].ino == ino)
			return &ow->o[i];
	return NULL;
}

void ns_owner_label(const struct ns_owner *o, char *buf, int size)
{
	if (o->container[0])
		snprintf(buf, size, "%s", o->container);
	else
		snprintf(buf, size, "%s:%d", o->comm, o->pid);
}

int ns_owners_find(const struct ns_owners *ow, const char *name)
{
	const char *colon = strrchr(name, ':');
	char *end;
	long pid;

	if (colon && colon[1]) {
		pid = strtol(colon + 1, &end, 10);
		if (!*end && pid > 0 && pid < (1l << 22))
			return (int)pid;	/* comm:PID: the PID says it; comm is for people */
	}
	for (int i = 0; i < ow->n; i++)
		if (ow->o[i].container[0] && !strcmp(ow->o[i].container, name))
			return ow->o[i].pid;
	return 0;
}
