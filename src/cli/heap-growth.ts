import { setFlagsFromString } from "node:v8";

/**
 * How much V8 lets the old generation grow past what the last full collection kept before it collects again,
 * in percent. By default V8 picks a factor of up to 4 from the allocation rate, and a check of a whole cluster
 * allocates fast: every release record, manifest and LIST page is short-lived, but lives long enough to be
 * promoted. At 2 000 releases of 20 objects (bench/fleet.mjs --objects-per-release 20) the heap kept under
 * 300 MB (the run completes with --max-old-space-size=300) while the process grew to 750–840 MB; with 50 % it
 * peaks at 390–400 MB, for no measurable change in wall or CPU time.
 *
 * V8 reads this flag at every full collection (heap/memory-controller.cc, `GrowingFactor`), so it takes effect
 * when set at run time. The process's edge (bin/helm-drift) sets it: a library caller's heap is its own.
 */
export const HEAP_GROWING_PERCENT = 50;

export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
