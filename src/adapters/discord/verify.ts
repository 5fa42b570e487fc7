import { createPublicKey, type KeyObject, verify } from "node:crypto";

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** Field prime and curve constant of Ed25519 (RFC 8032). */
const P = 2n ** 255n - 19n;
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
 * What is wrong with a raw Ed25519 public key, or `undefined` if it is a usable one. A key that is no
 * point of the curve verifies nothing; one of small order (the identity "01 00…00" among them) lets
 * one fixed signature verify every body, so Discord's requests could be forged by anyone.
 */
export function ed25519KeyProblem(hex: string): string | undefined {
  if (!/^[0-9a-f]{64}$/iu.test(hex)) return "must be 64 hex characters (the application's public key)";
  const bytes = Buffer.from(hex, "hex");
  const sign = (bytes[31] as number) >> 7;
  bytes[31] = (bytes[31] as number) & 0x7f;
  const y = BigInt(`0x${Buffer.from(bytes).reverse().toString("hex")}`);
  if (y >= P) return "is not a valid Ed25519 public key (non-canonical encoding)";
  // x² = (y² − 1) / (d·y² + 1); the key is a point only if that has a square root.
  const y2 = (y * y) % P;
  const x2 = (((y2 - 1n + P) % P) * modPow((D * y2 + 1n) % P, P - 2n)) % P;
  if (x2 !== 0n && modPow(x2, (P - 1n) / 2n) !== 1n)
    return "is not a valid Ed25519 public key (not a curve point)";
  if (x2 === 0n && sign) return "is not a valid Ed25519 public key (non-canonical encoding)";
  if (SMALL_ORDER_Y.has(y))
    return "is a weak Ed25519 key (small order): one signature would verify every request";
  return undefined;
}

/** The y coordinates of Ed25519's eight points of small order (orders 1, 2, 4 and 8). */
const SMALL_ORDER_Y = new Set(
  [
    "0000000000000000000000000000000000000000000000000000000000000001",
    "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec",
    "0000000000000000000000000000000000000000000000000000000000000000",
    "7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7",
    "05fc536d880238b13933c6d305acdfd5f098eff289f4c345b027b2c28f95e826",
  ].map((h) => BigInt(`0x${h}`)),
);

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

/** How far a request's signed timestamp may be from now: a captured request replays for no longer. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

/**
 * Discord signs `timestamp + rawBody` with Ed25519 (`X-Signature-Ed25519`, `X-Signature-Timestamp`).
 * False for a missing, malformed or wrong signature, and for a timestamp (Unix seconds) more than five
 * minutes from now, so a captured request cannot be replayed later; never throws.
 */
export function isValidSignature(
  key: KeyObject,
  signature: string | undefined,
  timestamp: string | undefined,
  body: Buffer,
  nowMs = Date.now(),
): boolean {
  if (!signature || !timestamp || !/^[0-9a-f]{128}$/iu.test(signature)) return false;
  if (!/^\d{1,12}$/u.test(timestamp) || Math.abs(Number(timestamp) - nowMs / 1000) > MAX_CLOCK_SKEW_SECONDS)
    return false;
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
