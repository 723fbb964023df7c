#pragma once
// The OpenMP wait policy the CPU kernels run under. libgomp reads OMP_WAIT_POLICY once, when it
// loads, before main() runs, so a default can only be set by starting the program again.
//
// Why passive: on a shared machine (another process busy on one of two cores) libgomp's default
// spinning made 2 threads slower than 1 (1,100-1,300 against 1,850 tokens/s, bench/train_step
// 8x512); passive waiting gave 1,940-2,000, and the same as the default on a quiet machine
// (docs/engine.md, "Threads under contention").
namespace fg {

// When neither OMP_WAIT_POLICY nor GOMP_SPINCOUNT is set, sets OMP_WAIT_POLICY=passive and
// re-executes this program (/proc/self/exe, same argv and pid) so that the OpenMP runtime sees it.
// Returns only when nothing needed to change or the re-execution failed (the run then goes on
// with the runtime's default). Call first thing in main(), before any thread starts.
void default_openmp_wait_policy(char** argv);

// "passive (OMP_WAIT_POLICY)", "spin count 1000 (GOMP_SPINCOUNT)" or "runtime default".
const char* openmp_wait_policy_source();

}  // namespace fg
