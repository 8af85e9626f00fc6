// pinata-web3 0.5.4 as its users use it, pointed at the emulator with its `endpointUrl`
// option (the SDK's documented way to change the host). Every method the SDK offers
// that maps to something the emulator serves; each step prints `ok <step>`.
import { spawnSync } from "node:child_process";
import { createReadStream, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PinataSDK } from "pinata-web3";

import {
  check, cidOf, cidOfText, credentials, equal, finish, knownBug, onlyPinFileToIPFS, scratch, step,
} from "../lib/scenario.mjs";

const creds = credentials();
const endpointUrl = creds.pinata.base_url;
const gatewayUrl = creds.submarine.gateway_url; // the emulator's gateway (public content too)
const pinata = new PinataSDK({ pinataJwt: creds.pinata.jwt, endpointUrl });
const run = Date.now().toString(36);
const dir = scratch();
// The SDK's upload builder asks for CID version 1 unless told otherwise.
const V = 1;

await step("testAuthentication", async () => {
  const answer = await pinata.testAuthentication();
  check(answer.message.startsWith("Congratulations"), JSON.stringify(answer));
});

const fileText = `hello from pinata-web3 ${run}\n`;
let fileCid;
await step("upload.file", async () => {
  const file = new File([fileText], "hello.txt", { type: "text/plain" });
  const pinned = await pinata.upload.file(file).addMetadata({
    name: `web3-file-${run}`,
    keyValues: { scenario: "web3", n: 1 },
  });
  fileCid = pinned.IpfsHash;
  equal(fileCid, cidOfText(fileText, V), "the CID of the file");
  equal(pinned.PinSize > 0, true, "PinSize");
});

await step("upload.file with cidVersion 0", async () => {
  const file = new File([fileText], "hello.txt", { type: "text/plain" });
  const pinned = await pinata.upload.file(file).cidVersion(0);
  equal(pinned.IpfsHash, cidOfText(fileText, 0), "the v0 CID of the file");
});

await step("upload.fileArray (a directory)", async () => {
  const folder = `web3-dir-${run}`;
  const local = join(dir, folder);
  mkdirSync(local);
  const names = ["a.txt", "b.txt"];
  const files = names.map((name) => {
    const text = `${name} ${run}\n`;
    writeFileSync(join(local, name), text);
    return new File([text], name, { type: "text/plain" });
  });
  const pinned = await pinata.upload.fileArray(files).addMetadata({ name: folder });
  equal(pinned.IpfsHash, cidOf(local, V), "the CID of the directory");
});

await step("upload.json (index keys first, JavaScript numbers)", async () => {
  const content = { b: 1, 2: 0, a: 1.5, run, nested: { z: true, 10: [1e21, -0] } };
  const pinned = await pinata.upload.json(content).addMetadata({ name: `web3-json-${run}` });
  equal(pinned.IpfsHash, cidOfText(JSON.stringify(content), V), "the CID of JSON.stringify(content)");
});

await step("upload.base64", async () => {
  const text = `base64 ${run}`;
  const pinned = await pinata.upload.base64(Buffer.from(text).toString("base64"));
  equal(pinned.IpfsHash, cidOfText(text, V), "the CID of the decoded bytes");
});

await step("upload.stream", async () => {
  const path = join(dir, "streamed.bin");
  writeFileSync(path, Buffer.alloc(300_000, 7));
  const pinned = await pinata.upload.stream(createReadStream(path));
  equal(pinned.IpfsHash, cidOf(path, V), "the CID of the streamed file");
});

await step("upload.url (the bytes at a gateway URL)", async () => {
  const pinned = await pinata.upload.url(`${gatewayUrl}/ipfs/${fileCid}`);
  equal(pinned.IpfsHash, fileCid, "the same bytes, the same CID");
  equal(pinned.isDuplicate, true, "already pinned");
});

const unknownCid = cidOfText(`never uploaded ${run}`, 1);
await step("upload.cid (pinByHash, sends hostNodes \"\")", async () => {
  const job = await pinata.upload.cid(unknownCid).addMetadata({ name: `web3-cid-${run}` });
  equal(job.ipfsHash, unknownCid, "the job's CID");
  equal(job.status, "prechecking", "a new job");
});

await step("pinJobs with filters", async () => {
  const jobs = await pinata.pinJobs().cid(unknownCid).sort("ASC").pageLimit(10);
  equal(jobs.length, 1, "one job for the CID");
  equal(jobs[0].ipfs_pin_hash, unknownCid, "the job's CID");
});

await step("listFiles with filters", async () => {
  const byName = await pinata.listFiles().name(`web3-file-${run}`).pageLimit(5);
  equal(byName.length, 1, "one pin named so");
  equal(byName[0].ipfs_pin_hash, fileCid, "found by name");
  const byKey = await pinata.listFiles().keyValue("scenario", "web3", "eq");
  check(byKey.some((row) => row.ipfs_pin_hash === fileCid), "found by key-value");
  const byCid = await pinata.listFiles().cid(fileCid);
  equal(byCid.length, 1, "found by CID");
  const all = await pinata.listFiles().pageLimit(2).all();
  check(all.length >= 5, `all() pages through every pin (${all.length})`);
});

await step("updateMetadata", async () => {
  const answer = await pinata.updateMetadata({
    cid: fileCid, name: `web3-renamed-${run}`, keyValues: { scenario: "web3", n: 2 },
  });
  check(typeof answer === "string", "a text answer");
  const [row] = await pinata.listFiles().cid(fileCid);
  equal(row.metadata.name, `web3-renamed-${run}`, "the new name");
  equal(row.metadata.keyvalues.n, 2, "the merged key-value");
});

await step("usage", async () => {
  const count = await pinata.usage.pinnedFileCount();
  const size = await pinata.usage.totalStorageSize();
  check(count >= 5, `pinned file count ${count}`);
  check(size > 300_000, `total storage size ${size}`);
});

let groupId;
await step("groups", async () => {
  const group = await pinata.groups.create({ name: `web3-group-${run}` });
  groupId = group.id;
  const listed = await pinata.groups.list().name(`web3-group-${run}`);
  check(listed.some((g) => g.id === groupId), "listed by name");
  equal((await pinata.groups.get({ groupId })).name, `web3-group-${run}`, "got by id");
  await pinata.groups.addCids({ groupId, cids: [fileCid] });
  const inGroup = await pinata.listFiles().group(groupId);
  equal(inGroup.map((row) => row.ipfs_pin_hash).join(), fileCid, "listFiles by group");
  await pinata.groups.removeCids({ groupId, cids: [fileCid] });
  equal((await pinata.listFiles().group(groupId)).length, 0, "removed from the group");
  const renamed = await pinata.groups.update({ groupId, name: `web3-group2-${run}` });
  equal(renamed.name, `web3-group2-${run}`, "renamed");
  await pinata.groups.delete({ groupId });
});

let scoped;
await step("keys.create with scopes", async () => {
  scoped = await pinata.keys.create({
    keyName: `web3-key-${run}`,
    // Pinata's docs: a scoped key lists every endpoint flag.
    permissions: { endpoints: onlyPinFileToIPFS() },
    maxUses: 10,
  });
  check(scoped.JWT && scoped.pinata_api_key && scoped.pinata_api_secret, "a JWT and a key pair");
});

await step("scoped key: an allowed call", async () => {
  const text = `scoped ${run}`;
  const file = new File([text], "scoped.txt");
  const pinned = await pinata.upload.file(file).key(scoped.JWT);
  equal(pinned.IpfsHash, cidOfText(text, V), "pinned with the scoped key");
});

await step("scoped key: a refused call", async () => {
  const limited = new PinataSDK({ pinataJwt: scoped.JWT, endpointUrl });
  let refused;
  try {
    await limited.listFiles().all();
  } catch (error) {
    refused = error;
  }
  check(refused, "listFiles is not in the key's scopes");
  equal(refused.statusCode, 403, "refused with 403");
});

// The list builders are thenables whose then(onfulfilled) drops onrejected, so
// `await pinata.listFiles()` never settles on an error and Node ends the process on the
// unhandled rejection; try/catch cannot catch it. Run in a child process to show it.
await knownBug("a refused `await listFiles()` cannot be caught", (error) =>
  error.code === "UNCAUGHT" && /AuthenticationError/.test(error.stderr) && !/caught/.test(error.stdout),
async () => inChild(scoped.JWT, `
  const sdk = new PinataSDK({ pinataJwt: process.env.CHILD_JWT, endpointUrl: ${JSON.stringify(endpointUrl)} });
  try { await sdk.listFiles(); console.log("listed"); } catch (e) { console.log("caught", e.statusCode); }
`));

await step("keys.list with filters", async () => {
  const keys = await pinata.keys.list().name(`web3-key-${run}`).revoked(false);
  equal(keys.length, 1, "the scoped key, by name");
  equal(keys[0].key, scoped.pinata_api_key, "its key");
  equal(keys[0].max_uses, 10, "its max uses");
});

await step("keys.revoke", async () => {
  const [answer] = await pinata.keys.revoke([scoped.pinata_api_key]);
  equal(answer.key, scoped.pinata_api_key, "the revoked key");
  const revoked = await pinata.keys.list().name(`web3-key-${run}`).revoked(true);
  equal(revoked.length, 1, "listed as revoked");
  let refused;
  try {
    await new PinataSDK({ pinataJwt: scoped.JWT, endpointUrl }).testAuthentication();
  } catch (error) {
    refused = error;
  }
  equal(refused?.statusCode, 401, "a revoked key is refused");
});

await step("unpin", async () => {
  const [answer] = await pinata.unpin([fileCid]);
  equal(answer.hash, fileCid, "the unpinned CID");
  equal(answer.status, "OK", "unpinned");
  equal((await pinata.listFiles().cid(fileCid)).length, 0, "no longer listed as pinned");
});

// The SDK prepends https:// to the gateway, so a plain-HTTP gateway cannot be used: the
// TLS handshake with the plain port fails ("fetch failed"), and since gateways.get()
// is one of the thenables above, the error ends the process instead of reaching a catch.
await knownBug("gateways.get over plain HTTP", (error) =>
  error.code === "UNCAUGHT" && /getCid: fetch failed/.test(error.stderr) && !/caught/.test(error.stdout),
async () => {
  const text = `gateway ${run}`;
  const pinned = await pinata.upload.file(new File([text], "g.txt"));
  return inChild(creds.pinata.jwt, `
    const sdk = new PinataSDK({ pinataJwt: process.env.CHILD_JWT, endpointUrl: ${JSON.stringify(endpointUrl)},
                                pinataGateway: ${JSON.stringify(new URL(gatewayUrl).host)} });
    try { console.log("got", await sdk.gateways.get(${JSON.stringify(pinned.IpfsHash)})); }
    catch (e) { console.log("caught", e.message); }
  `);
});

/** Runs `body` in a child Node process (with pinata-web3 imported); throws with its
 * output when the child dies. */
function inChild(jwt, body) {
  const child = spawnSync(process.execPath, ["--input-type=module", "-e",
    `import { PinataSDK } from "pinata-web3";\n${body}`], {
    cwd: import.meta.dirname, env: { ...process.env, CHILD_JWT: jwt }, encoding: "utf8",
  });
  if (child.status !== 0) {
    throw Object.assign(new Error(`the child died: ${child.stderr}`),
      { code: "UNCAUGHT", stdout: child.stdout, stderr: child.stderr });
  }
  return child.stdout;
}

finish();
