// kinesalite ships no type declarations; this covers the part of its API the local tools use.
declare module 'kinesalite' {
  import type { Server } from 'node:http';

  interface KinesaliteOptions {
    /** LevelDB folder; in memory when absent. */
    path?: string;
    createStreamMs?: number;
    deleteStreamMs?: number;
    updateStreamMs?: number;
    shardLimit?: number;
    ssl?: boolean;
  }

  /** An `http.Server` whose `close` also closes the store. */
  function kinesalite(options?: KinesaliteOptions): Server;
  export default kinesalite;
}
