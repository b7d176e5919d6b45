/* OpenMP helpers shared by the parallel loops of the library (not installed). */
#ifndef RELUCAP_PARALLEL_H
#define RELUCAP_PARALLEL_H
#ifdef _OPENMP
#include <omp.h>
#endif

/* The calling thread's number inside a parallel region (0 without OpenMP). */
static inline int thread_id(void)
{
#ifdef _OPENMP
  return omp_get_thread_num();
#else
  return 0;
#endif
}
#endif
