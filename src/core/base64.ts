/** Typed arrays in JSON: base64 of their bytes (little-endian, as on every platform Node runs on). */
export const encodeBase64 = (a: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");

/** The bytes of `encodeBase64`'s text in a fresh, aligned buffer: a decoded Buffer may sit at any
 * offset of Node's pool, where an Int32Array cannot start. */
export function decodeBase64(text: string): ArrayBuffer {
  const bytes = Buffer.from(text, "base64");
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}
