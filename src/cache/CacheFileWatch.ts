import { rmSync, statSync, type Stats } from 'node:fs';

/** What the path of the open cache names now: nothing, or another file than the one open. */
export type CacheFileChange = 'removed' | 'replaced';

/** SQLite's files beside a WAL-mode database; a database opened at the path replays a -wal it finds there. */
const COMPANIONS = ['-wal', '-shm'] as const;

function identity(path: string): string | undefined {
  let s: Stats;
  try {
    s = statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return `${s.dev}:${s.ino}`;
}

/**
 * Notices that the cache file was removed or replaced under the running daemon (someone "cleaning
 * up" /var/lib/ptgw, a restore copied over it). SQLite keeps writing into the file it has open, so
 * accepts still answer "accepted" while every new row goes into a file no path leads to: gone at
 * the next start, with every undelivered clocking before it. A stat of the path every few seconds
 * against the identity (device and inode) the file had at start-up is how that is seen.
 */
export class CacheFileWatch {
  readonly #path: string;
  readonly #identity: string | undefined;
  /** The -wal and -shm files the daemon's connections have open, by identity. */
  readonly #companions: Map<string, string>;
  readonly #timer: NodeJS.Timeout;

  constructor(path: string, options: { everyMs: number; onChange: (change: CacheFileChange) => void }) {
    this.#path = path;
    this.#identity = identity(path);
    this.#companions = new Map(COMPANIONS.flatMap((suffix) => {
      const id = identity(`${path}${suffix}`);
      return id === undefined ? [] : [[`${path}${suffix}`, id] as [string, string]];
    }));
    this.#timer = setInterval(() => {
      const change = this.check();
      if (change === undefined) return;
      clearInterval(this.#timer);
      options.onChange(change);
    }, options.everyMs);
    this.#timer.unref();
  }

  /** The change since start-up, if any. */
  check(): CacheFileChange | undefined {
    let now: string | undefined;
    try {
      now = identity(this.#path);
    } catch {
      // A path that cannot be looked at (a folder's mode changed) says nothing about the file.
      return undefined;
    }
    if (now === undefined) return 'removed';
    return now === this.#identity ? undefined : 'replaced';
  }

  /**
   * Removes the daemon's own -wal and -shm files left at the path once its connections are closed:
   * SQLite would replay that WAL, written for the file that went away, into whatever database is
   * next opened there. Files of the same name that are not the daemon's (a restore brought its own) stay.
   */
  removeOwnCompanions(): void {
    for (const [file, id] of this.#companions) {
      try {
        if (identity(file) === id) rmSync(file);
      } catch {
        // Gone already, or not the daemon's to remove.
      }
    }
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
