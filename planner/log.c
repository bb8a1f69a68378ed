/* log: forwarding of messages and progress to caller-supplied sinks. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>

void fp_log_msg(const fp_log *log, fp_log_level level, const char *fmt, ...)
{
    if (!log || !log->message)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    log->message(log->ud, level, buf);
}

void fp_log_progress(const fp_log *log, const char *stage, double done,
                     double total, const char *fmt, ...)
{
    if (!log || !log->progress)
        return;
    char buf[256] = "";
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
    }
    log->progress(log->ud, stage, done, total, buf);
}
