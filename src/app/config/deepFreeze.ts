/**
 * Freezes a plain data tree, so that a component that got the config cannot change what another
 * one sees. Class instances such as Secret are frozen too (their private fields stay readable).
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
