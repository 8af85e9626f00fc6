// What every Node scenario shares: the emulator's credentials, numbered steps that print
// `ok <step>`, expected failures for the SDKs' own bugs, and the local CID computation.
// Plain Node (no dependencies), so each scenario's lockfile holds only its SDK.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";

/** The emulator's base URLs and admin credentials (`--credentials-out`). */
export function credentials() {
  const file = process.env.PINION_CREDENTIALS;
  if (!file) throw new Error("PINION_CREDENTIALS must name the emulator's credentials file");
  return JSON.parse(readFileSync(file, "utf8"));
}

/** Runs one step; prints `ok <name>` when it passes, and stops the scenario when not. */
export async function step(name, body) {
  try {
    await body();
  } catch (error) {
    console.error(`FAILED ${name}: ${describe(error)}`);
    process.exit(1);
  }
  console.log(`ok ${name}`);
}

/**
 * A step that fails because of the SDK's own bug (listed in the scenario's README):
 * it must fail, and the way the bug predicts (`predicted` returns true for the error).
 */
export async function knownBug(name, predicted, body) {
  let outcome;
  try {
    outcome = { value: await body() };
  } catch (error) {
    outcome = { error };
  }
  if (!("error" in outcome)) {
    console.error(`FAILED ${name}: the SDK bug this step documents did not happen; `
      + `update the scenario's README (result: ${JSON.stringify(outcome.value)})`);
    process.exit(1);
  }
  if (!predicted(outcome.error)) {
    console.error(`FAILED ${name}: failed, but not as the SDK bug predicts: ${describe(outcome.error)}`);
    process.exit(1);
  }
  console.log(`ok ${name} (fails as the SDK bug predicts, see README.md)`);
}

function describe(error) {
  if (error instanceof Error) return `${error.stack ?? error.message}`;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

/** Throws unless `condition`. */
export function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/** Throws unless `actual === expected`. */
export function equal(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** Throws unless `actual` and `expected` are deeply equal (member order aside). */
export function same(actual, expected, what) {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** A fresh scratch directory. */
export function scratch() {
  return mkdtempSync(join(tmpdir(), "pinion-scenario-"));
}

/** The CID pinion computes locally for a file or directory (`pinion cid`). */
export function cidOf(path, version = 0) {
  const bin = process.env.PINION_CID_BIN;
  if (!bin) throw new Error("PINION_CID_BIN must name the `pinion` binary");
  const out = execFileSync(bin, ["--json", "cid", path, "--cid-version", String(version)], {
    encoding: "utf8",
  });
  return JSON.parse(out).cid;
}

/** The CID of `text` as one file. */
export function cidOfText(text, version = 0) {
  const file = join(scratch(), "content");
  writeFileSync(file, text);
  return cidOf(file, version);
}

/** The emulator's origin (`http://127.0.0.1:PORT`). */
export function origin(creds) {
  return new URL(creds.pinata.base_url).origin;
}

/** Key permissions allowing `pinFileToIPFS` only (Pinata wants every flag listed). */
export function onlyPinFileToIPFS() {
  return {
    data: { pinList: false, userPinnedDataTotal: false },
    pinning: {
      hashMetadata: false, hashPinPolicy: false, pinByHash: false, pinFileToIPFS: true,
      pinJSONToIPFS: false, pinJobs: false, unpin: false, userPinPolicy: false,
    },
  };
}

/** Ends the scenario: every step passed. Exits explicitly, since an SDK may leave
 * timers or keep-alive sockets that would keep Node running. */
export function finish() {
  console.log("all steps passed");
  process.exit(0);
}
