/** `load`'s value, computed on first call and kept: for what most runs never need. */
export function once<T>(load: () => T): () => T {
  let value: { v: T } | undefined;
  return () => {
    value ??= { v: load() };
    return value.v;
  };
}
