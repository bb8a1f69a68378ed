/* glpkutil: GLPK's terminal output routed into our logger. */
#include "glpkutil.h"

#include "log.h"

#include <stdio.h>
#include <string.h>

int fp_glpk_term_hook(void *info, const char *s)
{
    const fp_log *log = info;
    char buf[256];
    snprintf(buf, sizeof buf, "glpk: %s", s);
    size_t l = strlen(buf);
    while (l > 0 && (buf[l - 1] == '\n' || buf[l - 1] == '\r'))
        buf[--l] = '\0';
    if (l > 6)
        fp_log_msg(log, FP_LOG_DEBUG, "%s", buf);
    return 1;
}
