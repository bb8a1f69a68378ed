/* log: how the library reports messages and progress without printing.
 * The caller (main.c, a test) supplies the sinks; the library only calls them. */
#ifndef FP_LOG_H
#define FP_LOG_H

typedef enum { FP_LOG_DEBUG, FP_LOG_INFO, FP_LOG_WARN } fp_log_level;

typedef struct fp_log {
    /* A one-line message (no trailing newline). May be NULL. */
    void (*message)(void *ud, fp_log_level level, const char *msg);
    /* Progress of a long stage: done out of total (total <= 0: unknown), and
     * a short detail such as "bound 1234 gap 0.5%". May be NULL. */
    void (*progress)(void *ud, const char *stage, double done, double total,
                     const char *detail);
    void *ud;
} fp_log;

/* Both accept log == NULL and do nothing then. */
void fp_log_msg(const fp_log *log, fp_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void fp_log_progress(const fp_log *log, const char *stage, double done,
                     double total, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif
