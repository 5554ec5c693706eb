/*
 * meetings.h: what the meeting handlers share with compliance.c.
 */
#ifndef DJ_HTTP_MEETINGS_H
#define DJ_HTTP_MEETINGS_H

#include <stdbool.h>

struct jsonw;
struct meeting;

/* Writes a meeting as JSON; `full` adds agenda, minutes, attendees, decisions and files. */
void meeting_jsonw(struct jsonw *w, const struct meeting *m, bool full);

#endif
