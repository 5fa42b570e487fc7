import { createPublicKey, type KeyObject, verify } from "node:crypto";

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

const P = 2n ** 255n - 19n;
/** Edwards curve constant d = -121665/121666 mod p. */
const D = (-121665n * modPow(121666n, P - 2n)) % P;

function modPow(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = ((base % P) + P) % P;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
  }
  return result;
}

/**
 * The points of small order (orders 1, 2, 4 and 8), by their y coordinate, canonical or not (libsodium's
 * blocklist): with such a key one fixed signature verifies every message, so anyone could forge requests.
 */
const SMALL_ORDER_Y = [
  0n, // order 4
  1n, // order 1 (the identity)
  P - 1n, // order 2
  P, // non-canonical 0
  P + 1n, // non-canonical 1
  0x05fc536d880238b13933c6d305acdfd5f098eff289f4c345b027b2c28f95e826n, // order 8
  0x7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7n, // order 8
];

/**
 * Why 64 hex characters are not a usable Ed25519 public key, or undefined if they are: not hex, not
 * a point on the curve, or a point of small order.
 */
export function ed25519KeyProblem(hex: string): string | undefined {
  if (!/^[0-9a-f]{64}$/iu.test(hex)) return "must be 64 hex characters (the application's public key)";
  const bytes = Buffer.from(hex, "hex");
  const sign = bytes[31] ?? 0;
  bytes[31] = sign & 0x7f;
  const y = BigInt(`0x${Buffer.from(bytes).reverse().toString("hex")}`);
  if (SMALL_ORDER_Y.includes(y)) return "is a point of small order, not a real public key";
  if (y >= P) return "is not a valid Ed25519 point (non-canonical encoding)";
  // x² = (y² - 1) / (d·y² + 1) must have a square root (Euler's criterion), else no point has this y.
  const y2 = (y * y) % P;
  const x2 = (((y2 - 1n + P) % P) * modPow(D * y2 + 1n, P - 2n)) % P;
  if (x2 === 0n) return sign & 0x80 ? "is not a valid Ed25519 point" : undefined;
  if (modPow(x2, (P - 1n) / 2n) !== 1n) return "is not a valid Ed25519 point";
  return undefined;
}

/** The application's public key (64 hex characters, from the Developer Portal) as a Node key. */
export function publicKeyFromHex(hex: string): KeyObject {
  const problem = ed25519KeyProblem(hex);
  if (problem) throw new Error(`Discord: DISCORD_PUBLIC_KEY ${problem}`);
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, "hex")]),
    format: "der",
    type: "spki",
  });
}

/** How far Discord's `X-Signature-Timestamp` may be from our clock, either way (as Slack's check). */
export const MAX_TIMESTAMP_SKEW_SECONDS = 5 * 60;

/**
 * True if `timestamp` (Unix seconds, digits only) is within 5 minutes of `nowMs`: without it a captured
 * request, a Send press say, could be replayed forever since its signature stays valid.
 */
export function isFreshTimestamp(timestamp: string | undefined, nowMs = Date.now()): boolean {
  if (!timestamp || !/^\d{1,12}$/u.test(timestamp)) return false;
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= MAX_TIMESTAMP_SKEW_SECONDS;
}

/**
 * Discord signs `timestamp + rawBody` with Ed25519 (`X-Signature-Ed25519`, `X-Signature-Timestamp`).
 * False for a missing, malformed or wrong signature; never throws.
 */
export function isValidSignature(
  key: KeyObject,
  signature: string | undefined,
  timestamp: string | undefined,
  body: Buffer,
): boolean {
  if (!signature || !timestamp || !/^[0-9a-f]{128}$/iu.test(signature)) return false;
  try {
    return verify(
      null,
      Buffer.concat([Buffer.from(timestamp, "utf8"), body]),
      key,
      Buffer.from(signature, "hex"),
    );
  } catch {
    return false;
  }
}
