// @pinata/sdk 2.1.0 as its users use it. The SDK has one hard-coded
// https://api.pinata.cloud and no option to change it; its bundled axios honours
// HTTPS_PROXY, which the harness sets to the emulator (plain HTTP with absolute-form
// request targets, routed by Host). Every method the SDK offers; each step prints
// `ok <step>`.
import { createReadStream, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pinataSDK from "@pinata/sdk";

import {
  check, cidOf, cidOfText, credentials, equal, finish, knownBug, onlyPinFileToIPFS, scratch, step,
} from "../lib/scenario.mjs";

check(process.env.HTTPS_PROXY, "HTTPS_PROXY must point at the emulator");
const creds = credentials();
const run = Date.now().toString(36);
const dir = scratch();
const withJwt = new pinataSDK({ pinataJWTKey: creds.pinata.jwt });
const pinata = new pinataSDK(creds.pinata.api_key, creds.pinata.api_secret);

await step("testAuthentication (key pair)", async () => {
  const answer = await pinata.testAuthentication();
  equal(answer.authenticated, true, "authenticated");
});

await step("testAuthentication (JWT)", async () => {
  equal((await withJwt.testAuthentication()).authenticated, true, "authenticated");
});

const fileText = `hello from @pinata/sdk ${run}\n`;
const filePath = join(dir, "hello.txt");
writeFileSync(filePath, fileText);
let fileCid;
await step("pinFileToIPFS (a stream)", async () => {
  const pinned = await pinata.pinFileToIPFS(createReadStream(filePath), {
    pinataMetadata: { name: `sdk-file-${run}`, keyvalues: { scenario: "sdk", n: 1 } },
  });
  fileCid = pinned.IpfsHash;
  equal(fileCid, cidOf(filePath), "the CID of the file");
});

await step("pinFileToIPFS with cidVersion 1", async () => {
  const pinned = await withJwt.pinFileToIPFS(createReadStream(filePath), {
    pinataMetadata: { name: `sdk-file-v1-${run}` },
    pinataOptions: { cidVersion: 1 },
  });
  equal(pinned.IpfsHash, cidOf(filePath, 1), "the v1 CID of the file");
});

await step("pinFromFS (a flat directory)", async () => {
  const local = join(dir, `sdk-dir-${run}`);
  mkdirSync(local);
  for (const name of ["a.txt", "b.txt"]) writeFileSync(join(local, name), `${name} ${run}\n`);
  const pinned = await pinata.pinFromFS(local, { pinataMetadata: { name: `sdk-dir-${run}` } });
  equal(pinned.IpfsHash, cidOf(local), "the CID of the directory");
});

// 2.1.0 lists a directory with readdir, not recursively, and opens a subdirectory as a
// file (Pinata-SDK#152, never released a fix): a nested directory fails with EISDIR.
await knownBug("pinFromFS (a nested directory)", (error) => /EISDIR/.test(String(error?.message ?? error)),
  async () => {
    const local = join(dir, `sdk-nested-${run}`);
    mkdirSync(join(local, "sub"), { recursive: true });
    writeFileSync(join(local, "top.txt"), "top");
    writeFileSync(join(local, "sub", "inner.txt"), "inner");
    return await pinata.pinFromFS(local, { pinataMetadata: { name: `sdk-nested-${run}` } });
  });

const content = { b: 1, 2: 0, a: 1.5, run, nested: { z: true, 10: [1e21, -0] } };
await step("pinJSONToIPFS (bare body)", async () => {
  const pinned = await pinata.pinJSONToIPFS(content);
  equal(pinned.IpfsHash, cidOfText(JSON.stringify(content)), "the CID of JSON.stringify(content)");
});

await step("pinJSONToIPFS (with options)", async () => {
  const pinned = await pinata.pinJSONToIPFS(content, {
    pinataMetadata: { name: `sdk-json-${run}` },
    pinataOptions: { cidVersion: 1 },
  });
  equal(pinned.IpfsHash, cidOfText(JSON.stringify(content), 1), "the v1 CID");
});

const unknownCid = cidOfText(`never uploaded ${run}`, 1);
await step("pinByHash", async () => {
  const job = await pinata.pinByHash(unknownCid, { pinataMetadata: { name: `sdk-cid-${run}` } });
  equal(job.ipfsHash, unknownCid, "the job's CID");
  equal(job.status, "prechecking", "a new job");
});

await step("pinJobs with filters", async () => {
  const jobs = await pinata.pinJobs({ ipfs_pin_hash: unknownCid, sort: "ASC", limit: 5 });
  equal(jobs.count, 1, "one job for the CID");
  equal(jobs.rows[0].name, `sdk-cid-${run}`, "its name");
});

await step("pinList with filters", async () => {
  const byKey = await pinata.pinList({
    status: "pinned",
    metadata: { name: `sdk-file-${run}`, keyvalues: { scenario: { value: "sdk", op: "eq" } } },
  });
  equal(byKey.rows.length, 1, "one pin by name and key-value");
  equal(byKey.rows[0].ipfs_pin_hash, fileCid, "the file");
  const bySize = await pinata.pinList({ hashContains: fileCid, pinSizeMin: 1, pageLimit: 1 });
  equal(bySize.rows.length, 1, "by CID and size");
});

await step("getFilesByCount", async () => {
  const seen = [];
  for await (const pin of pinata.getFilesByCount({ status: "pinned" }, 3)) seen.push(pin);
  equal(seen.length, 3, "three pins");
});

await step("hashMetadata", async () => {
  await pinata.hashMetadata(fileCid, { name: `sdk-renamed-${run}`, keyvalues: { n: 2, scenario: null } });
  const { rows: [row] } = await pinata.pinList({ hashContains: fileCid, status: "pinned" });
  equal(row.metadata.name, `sdk-renamed-${run}`, "the new name");
  equal(row.metadata.keyvalues.n, 2, "the changed key-value");
  equal("scenario" in row.metadata.keyvalues, false, "null removed the key-value");
});

await step("userPinnedDataTotal", async () => {
  const total = await pinata.userPinnedDataTotal();
  check(total.pin_count >= 5, `pin count ${total.pin_count}`);
  check(total.pin_size_total > 0, `pin size ${total.pin_size_total}`);
});

// The SDK cannot manage keys; a user makes a scoped key elsewhere (here with the API).
let scoped;
await step("a scoped key (made with the API)", async () => {
  const answer = await fetch(`${creds.pinata.base_url}/users/generateApiKey`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${creds.pinata.jwt}` },
    body: JSON.stringify({ keyName: `sdk-key-${run}`, permissions: { endpoints: onlyPinFileToIPFS() } }),
  });
  equal(answer.status, 200, "key created");
  scoped = await answer.json();
});

await step("scoped key: an allowed call", async () => {
  const limited = new pinataSDK(scoped.pinata_api_key, scoped.pinata_api_secret);
  const pinned = await limited.pinFileToIPFS(createReadStream(filePath), {
    pinataMetadata: { name: `sdk-scoped-${run}` },
  });
  equal(pinned.IpfsHash, fileCid, "pinned with the scoped key");
});

await step("scoped key: a refused call", async () => {
  const limited = new pinataSDK(scoped.pinata_api_key, scoped.pinata_api_secret);
  let refused;
  try {
    await limited.pinList({});
  } catch (error) {
    refused = error;
  }
  check(refused, "pinList is not in the key's scopes");
  check(/NO_PERMISSIONS/.test(JSON.stringify(refused)), `refused: ${JSON.stringify(refused)}`);
});

await step("unpin", async () => {
  await pinata.unpin(fileCid);
  const { rows } = await pinata.pinList({ hashContains: fileCid, status: "pinned" });
  equal(rows.length, 0, "no longer pinned");
});

finish();
