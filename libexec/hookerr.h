/*
 * lxcri-hook's errors (hookerr.c): one line "lxcri-hook: <op> <path>: <reason>" on
 * stderr, which liblxc logs, and in the runtime directory's error file, which
 * `lxcri create` shows; then exit 1, which makes liblxc abort the start.
 */
#ifndef LXCRI_HOOKERR_H
#define LXCRI_HOOKERR_H

/* Report errors into <dir>/error too (without it, on stderr only). */
void hookerr_report_to(const char *dir);

/* "lxcri-hook: <op> <path>: <text>". */
_Noreturn void hook_fail_msg(const char *op, const char *path, const char *text);
/* "lxcri-hook: <op> <path>: <strerror(err)>". */
_Noreturn void hook_fail(const char *op, const char *path, int err);
/* A complete reason: "lxcri-hook: <text>". */
_Noreturn void hook_fail_text(const char *text);

#endif
