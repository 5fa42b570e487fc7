import { createPublicKey, type KeyObject, verify } from "node:crypto";

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** The application's public key (64 hex characters, from the Developer Portal) as a Node key. */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/iu.test(hex))
    throw new Error("Discord: DISCORD_PUBLIC_KEY must be 64 hex characters (the application's public key)");
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
