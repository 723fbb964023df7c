#pragma once
// The CPU kernels are compiled once per instruction set (cmake/FgIsa.cmake), each copy with
// FG_ISA_NS naming its namespace (fg::kernels::cpu::baseline, ::avx2, ::avx512). Every kernel and
// every inline helper the kernels share lives in that namespace, so no two copies built with
// different flags share a symbol and the linker can never pick an AVX-512 body for the baseline
// path. Code built with the project's own flags (tests of the inline helpers) gets `host`.
#ifndef FG_ISA_NS
#define FG_ISA_NS host
#endif
