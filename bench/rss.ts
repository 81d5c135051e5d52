/**
 * The peak resident memory of a benchmark child (Node only: the browser worker imports bench/common.ts, not this).
 */
import { readFileSync } from 'node:fs';

export function peakRssMB(): number {
  // this process's own high-water mark (VmHWM, KiB). getrusage's maxRSS is not: on Linux a child starts with its
  // parent's maxRSS at fork, so every row would report at least the bench parent's RSS
  try {
    const hwm = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // no /proc (macOS): getrusage, with the caveat above
  }
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
}
