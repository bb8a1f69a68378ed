/* glpkutil: what every GLPK model of the optimiser shares at the library's
 * edge. */
#ifndef FP_GLPKUTIL_H
#define FP_GLPKUTIL_H

/* glp_term_hook callback: GLPK's terminal output goes to the fp_log passed
 * as info, as debug messages (blank and tiny lines dropped). Returns 1 so
 * GLPK prints nothing itself. */
int fp_glpk_term_hook(void *info, const char *s);

#endif
