/* error: error values and their texts. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void fp_error_clear(fp_error *err)
{
    if (!err)
        return;
    err->code = FP_OK;
    err->msg[0] = '\0';
}

int fp_error_set(fp_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    /* Messages are single lines: fold any newline a library handed us. */
    for (char *p = err->msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return code;
}

int fp_error_prefix(fp_error *err, const char *fmt, ...)
{
    if (!err)
        return FP_EINTERNAL;
    char head[FP_ERROR_MSG_MAX], old[FP_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    size_t hl = strlen(head);
    memcpy(err->msg, head, hl + 1);
    if (hl + 1 < sizeof err->msg) {
        size_t room = sizeof err->msg - hl - 1;
        size_t ol = strnlen(old, room);
        memcpy(err->msg + hl, old, ol);
        err->msg[hl + ol] = '\0';
    }
    return err->code;
}

const char *fp_error_name(int code)
{
    switch (code) {
#define FP_ERR_NAME(name, text) case FP_E##name: return "E" #name;
        FP_ERRNO_MAP(FP_ERR_NAME)
#undef FP_ERR_NAME
    default: return "EUNKNOWN";
    }
}

const char *fp_error_text(int code)
{
    switch (code) {
#define FP_ERR_TEXT(name, text) case FP_E##name: return text;
        FP_ERRNO_MAP(FP_ERR_TEXT)
#undef FP_ERR_TEXT
    default: return "unknown error";
    }
}

int fp_error_exit_status(int code)
{
    switch (code) {
    case FP_EOK: return 0;
    case FP_ESCENARIO: case FP_EINPUT: case FP_ENOTFOUND: case FP_ECRS:
    case FP_ELIMIT: case FP_EGDAL: case FP_EPROJ: case FP_EGEOS:
        return 1;
    case FP_EUSAGE: return 2;
    case FP_EIO: case FP_ESQLITE: return 3;
    case FP_EINFEASIBLE: return 4;
    default: return 5;
    }
}
