/** The small part of autocannon's API the benchmark uses (the package ships no types). */
declare module 'autocannon' {
  interface AutocannonOptions {
    readonly url: string;
    readonly connections?: number;
    readonly pipelining?: number;
    /** Seconds. */
    readonly duration?: number;
    readonly amount?: number;
    readonly method?: 'GET' | 'POST' | 'PUT' | 'OPTIONS';
    readonly headers?: Record<string, string>;
    readonly body?: string | Buffer;
    /** Seconds before a request counts as timed out. */
    readonly timeout?: number;
  }

  interface Histogram {
    readonly average: number;
    readonly mean: number;
    readonly stddev: number;
    readonly min: number;
    readonly max: number;
    readonly total: number;
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
  }

  interface AutocannonResult {
    readonly requests: Histogram;
    readonly latency: Histogram;
    readonly throughput: Histogram;
    readonly duration: number;
    readonly errors: number;
    readonly timeouts: number;
    readonly non2xx: number;
    readonly '2xx': number;
  }

  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
  export default autocannon;
}
