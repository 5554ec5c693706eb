/*
 * log.h: levelled logging to stderr. A line holds the UTC time, level,
 * module tag, the current request id (if any) and the message. The macros
 * test the level before formatting (redis serverLog). DJ_DEBUG=1 in the
 * environment turns on debug lines. Never log secrets, identity numbers or
 * request bodies.
 */
#ifndef DJ_LOG_H
#define DJ_LOG_H

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

extern enum log_level log_current_level;

void log_init_from_env(void);
void log_set_level(enum log_level l);
/* Request id shown on this thread's lines; 0 clears it. */
void log_set_request_id(unsigned long id);
void log_write(enum log_level l, const char *module, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_at(l, mod, ...) \
	do { \
		if ((l) <= log_current_level) \
			log_write((l), (mod), __VA_ARGS__); \
	} while (0)
#define log_error(mod, ...) log_at(LOG_ERROR, mod, __VA_ARGS__)
#define log_warn(mod, ...) log_at(LOG_WARN, mod, __VA_ARGS__)
#define log_info(mod, ...) log_at(LOG_INFO, mod, __VA_ARGS__)
#define log_debug(mod, ...) log_at(LOG_DEBUG, mod, __VA_ARGS__)

#endif
