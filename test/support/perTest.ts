import { afterEach } from 'vitest';
import { useTempDir } from './tempDir.js';

/** For a test file: `make` a fresh rig per test, in its own temporary folder, closed after the test. */
export function usePerTest<R extends { close: () => Promise<void> }, O>(make: (dir: string, options?: O) => Promise<R>): (options?: O) => Promise<R> {
  const tempDir = useTempDir();
  let current: R | undefined;
  // Registered after useTempDir's hook, so it runs first: the rig closes before its folder is removed.
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options) => (current = await make(tempDir(), options));
}
