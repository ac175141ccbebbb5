/** Median with min and max of repeated runs: how every figure of the benchmark is reported. */
export type Summary = { readonly median: number; readonly min: number; readonly max: number };

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (index: number) => sorted[index] ?? Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
  return { median, min: at(0), max: at(sorted.length - 1) };
}

/** `12.3 (11.0–14.2)` */
export const range = (s: Summary, digits = 1) =>
  `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
export const count = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits });
export const money = (value: number) =>
  `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Progress goes to stderr: stdout carries only the report. */
export const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** This process's CPU time (user + system), ms: the clock of the micro-benchmarks. */
const milliseconds = ({ user, system }: NodeJS.CpuUsage) => (user + system) / 1000;
export const cpuNow = () => milliseconds(process.cpuUsage());
