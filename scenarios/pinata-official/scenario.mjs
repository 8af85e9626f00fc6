// The official Pinata SDK (npm `pinata`, pinned in package.json) as its users use it,
// pointed at the emulator's Pinata v3 with its `endpointUrl`, `uploadUrl` and
// `pinataGateway` options. Each step prints `ok <step>` (scenarios/README.md); what the
// SDK itself cannot do is listed in README.md beside this file.
import { createHash, randomBytes } from "node:crypto";
import { openAsBlob, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { PinataSDK } from "pinata";

import { check, cidOf, credentials, finish, same, scratch, step } from "../lib/scenario.mjs";

const creds = credentials();
const v3Base = creds.pinata.v3_base_url; // http://127.0.0.1:PORT/pinata/v3
const uploadsBase = creds.pinata.uploads_url; // http://127.0.0.1:PORT/pinata-uploads/v3
const gatewayBase = creds.pinata.gateway_url; // http://127.0.0.1:PORT/gateway
const adminJwt = creds.pinata.jwt;
const origin = new URL(v3Base).origin;
const work = scratch();
// v3 uploads default to CID version 1.
const V = 1;

function sdk(jwt, options = {}) {
  const pinata = new PinataSDK({
    pinataJwt: jwt,
    endpointUrl: v3Base,
    uploadUrl: uploadsBase,
    pinataGateway: gatewayBase,
    ...options,
  });
  // The SDK prefixes pinataGateway with https:// (reference §1.1); its config object is
  // shared by every sub-client, so point it back at the plain-HTTP gateway.
  pinata.config.pinataGateway = gatewayBase;
  return pinata;
}

const pinata = sdk(adminJwt);

/** Writes `bytes` to a scratch file and returns the CID `pinion cid` computes for it. */
function cidOfBytes(name, bytes) {
  const path = join(work, name);
  writeFileSync(path, bytes);
  return cidOf(path, V);
}

/** Fails unless `promise` rejects with an SDK error of one of `statuses`. */
async function refused(promise, statuses, what) {
  try {
    await promise;
  } catch (error) {
    check(
      statuses.includes(error?.statusCode),
      `${what}: expected status ${statuses}, got ${error?.statusCode}: ${error}`,
    );
    return error;
  }
  throw new Error(`${what}: expected a refusal, it succeeded`);
}

/** The emulator's control routes (`/_emulator/...`), for what Pinata offers no API for. */
async function control(method, path, body) {
  const response = await fetch(`${origin}/_emulator${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  check(response.ok, `control ${path}: ${response.status} ${await response.text()}`);
}

const text = (s) => new TextEncoder().encode(s);
const tag = randomBytes(4).toString("hex");
const state = {};

await step("testAuthentication", async () => {
  const answer = await pinata.testAuthentication();
  check(JSON.stringify(answer).includes("Congratulations"), `answer: ${JSON.stringify(answer)}`);
});

await step("upload.public.file", async () => {
  const bytes = text(`hello from the official SDK ${tag}\n`);
  const file = new File([bytes], `hello-${tag}.txt`, { type: "text/plain" });
  const up = await pinata.upload.public
    .file(file)
    .name(`hello-${tag}`)
    .keyvalues({ scenario: "official", tag });
  same(up.cid, cidOfBytes("hello.txt", bytes), "CID");
  same(up.name, `hello-${tag}`, "name");
  same(up.network, "public", "network");
  state.hello = up;
});

await step("upload.public.file is_duplicate", async () => {
  const bytes = text(`hello from the official SDK ${tag}\n`);
  const again = await pinata.upload.public.file(new File([bytes], "again.txt"));
  same(again.cid, state.hello.cid, "CID");
  same(again.is_duplicate, true, "is_duplicate");
});

await step("upload.public.json", async () => {
  const body = { b: 1, scenario: "official", a: [1, 2, 3], tag };
  const up = await pinata.upload.public.json(body).name(`json-${tag}`);
  same(up.cid, cidOfBytes("data.json", JSON.stringify(body)), "CID");
  same(up.mime_type, "application/json", "mime_type");
  state.json = up;
});

await step("upload.public.base64", async () => {
  const bytes = Buffer.from(`base64 payload ${tag}`);
  const up = await pinata.upload.public.base64(bytes.toString("base64")).name(`b64-${tag}`);
  same(up.cid, cidOfBytes("b64.bin", bytes), "CID");
  state.base64 = up;
});

await step("upload.public.file above the TUS threshold", async () => {
  // The SDK switches to TUS above 94,371,840 bytes; 95 MB goes through it.
  const path = join(work, "large.bin");
  const chunk = createHash("sha256").update(tag).digest();
  const large = Buffer.alloc(95_000_000);
  for (let at = 0; at < large.length; at += chunk.length) chunk.copy(large, at);
  writeFileSync(path, large);
  const file = new File([await openAsBlob(path)], "large.bin", {
    type: "application/octet-stream",
  });
  const up = await pinata.upload.public.file(file).keyvalues({ size: "large", tag });
  same(up.cid, cidOf(path, V), "CID");
  same(up.size > 94_371_840, true, "size above the threshold");
  state.large = up;
  rmSync(path);
});

await step("files.public.list with filters", async () => {
  const byName = await pinata.files.public.list().name(`hello-${tag}`);
  same(byName.files.map((f) => f.id), [state.hello.id], "name filter");
  const byCid = await pinata.files.public.list().cid(state.json.cid);
  same(byCid.files.map((f) => f.id), [state.json.id], "cid filter");
  const byKeyvalues = await pinata.files.public.list().keyvalues({ tag, scenario: "official" });
  same(byKeyvalues.files.map((f) => f.id), [state.hello.id], "keyvalues filter");
  const byMime = await pinata.files.public.list().mimeType("application/json").limit(100);
  check(byMime.files.some((f) => f.id === state.json.id), "mimeType filter finds the JSON");
  check(byMime.files.every((f) => f.mime_type === "application/json"), "mimeType filter only");
  const noGroup = await pinata.files.public.list().noGroup(true).limit(100);
  check(noGroup.files.every((f) => !f.group_id), "noGroup lists files without a group");
  const newestFirst = await pinata.files.public.list().order("DESC").limit(2);
  same(newestFirst.files.length, 2, "limit");
  check(newestFirst.next_page_token, "a next_page_token with more files left");
  // Paging: every page through the async iterator, each file once.
  const seen = new Set();
  for await (const f of pinata.files.public.list().limit(1)) {
    check(!seen.has(f.id), `file ${f.id} listed twice`);
    seen.add(f.id);
  }
  for (const up of [state.hello, state.json, state.base64, state.large]) {
    check(seen.has(up.id), `paging misses ${up.id}`);
  }
});

await step("files.public.get and update", async () => {
  const got = await pinata.files.public.get(state.hello.id);
  same(got.cid, state.hello.cid, "get cid");
  const updated = await pinata.files.public.update({
    id: state.hello.id,
    name: `renamed-${tag}`,
    keyvalues: { scenario: "official-updated", added: "yes" },
  });
  same(updated.name, `renamed-${tag}`, "new name");
  same(updated.keyvalues, { added: "yes", scenario: "official-updated", tag }, "merged keyvalues");
});

await step("files.public.delete", async () => {
  const doomed = await pinata.upload.public.file(new File([text(`doomed ${tag}`)], "doomed.txt"));
  const result = await pinata.files.public.delete([doomed.id]);
  same(result.map((r) => r.id), [doomed.id], "deleted ids");
  await refused(pinata.files.public.get(doomed.id), [404], "get after delete");
});

await step("gateways.public.get", async () => {
  const got = await pinata.gateways.public.get(state.json.cid);
  same(got.contentType, "application/json", "content type");
  same(got.data.tag, tag, "JSON content");
});

await step("upload.private.file and files.private.list", async () => {
  const bytes = text(`private bytes ${tag}\n`);
  const up = await pinata.upload.private.file(new File([bytes], `secret-${tag}.txt`, { type: "text/plain" }));
  same(up.network, "private", "network");
  same(up.cid, cidOfBytes("secret.txt", bytes), "CID");
  const listed = await pinata.files.private.list().cid(up.cid);
  same(listed.files.map((f) => f.id), [up.id], "private listing");
  const publicListing = await pinata.files.public.list().cid(up.cid);
  same(publicListing.files, [], "a private file is not public");
  state.secret = up;
});

await step("private file: refused on the gateway without a link", async () => {
  const plain = await fetch(`${gatewayBase}/files/${state.secret.cid}`);
  check([401, 403].includes(plain.status), `/files without a signature: ${plain.status}`);
  const viaIpfs = await fetch(`${gatewayBase}/ipfs/${state.secret.cid}`);
  check(!viaIpfs.ok, `/ipfs/ serves private content: ${viaIpfs.status}`);
});

await step("gateways.private.createAccessLink fetched through the gateway", async () => {
  const link = await pinata.gateways.private.createAccessLink({ cid: state.secret.cid, expires: 60 });
  check(link.includes("X-Algorithm=PINATA1"), `link: ${link}`);
  const response = await fetch(link);
  same(response.status, 200, "status");
  same(await response.text(), `private bytes ${tag}\n`, "content");
  state.link = link;
});

await step("a tampered download link is refused", async () => {
  const url = new URL(state.link);
  url.searchParams.set("X-Expires", "999999999");
  const response = await fetch(url);
  check([401, 403].includes(response.status), `tampered link: ${response.status}`);
  const signature = new URL(state.link).searchParams.get("X-Signature");
  const flipped = state.link.replace(signature, signature.slice(0, -1) + (signature.endsWith("0") ? "1" : "0"));
  const second = await fetch(flipped);
  check([401, 403].includes(second.status), `flipped signature: ${second.status}`);
});

await step("gateways.private.get", async () => {
  const got = await pinata.gateways.private.get(state.secret.cid);
  same(got.data, `private bytes ${tag}\n`, "content");
});

await step("one base URL for the api and uploads hosts", async () => {
  // endpointUrl = uploadUrl: /files/sign means an upload URL or a download link by body.
  const oneBase = sdk(adminJwt, { uploadUrl: v3Base });
  const got = await oneBase.gateways.private.get(state.secret.cid);
  same(got.data, `private bytes ${tag}\n`, "download link through /files/sign");
  const signed = await oneBase.upload.public.createSignedURL({ expires: 60, name: `signed-${tag}` });
  check(signed.includes("X-Algorithm=PINATA2"), `signed upload URL: ${signed}`);
  const up = await oneBase.upload.public.file(new File([text(`signed ${tag}`)], "s.txt")).url(signed);
  same(up.name, `signed-${tag}`, "the signed name wins");
});

await step("upload.public.cid and the pin queue", async () => {
  // A CID the emulator can retrieve: content it published, unpinned since.
  const bytes = text(`pin me by CID ${tag}`);
  const source = await pinata.upload.public.file(new File([bytes], "pin-by-cid.txt"));
  await pinata.files.public.delete([source.id]);
  const request = await pinata.upload.public.cid(source.cid).name(`by-cid-${tag}`);
  same(request.cid, source.cid, "requested CID");
  const queued = await pinata.files.public.queue().cid(source.cid);
  same(queued.jobs.map((j) => j.id), [request.id], "queued job");
  await control("POST", `/pinata/jobs/${request.id}`, { status: "pinned" });
  const after = await pinata.files.public.list().cid(source.cid);
  same(after.files.length, 1, "pinned after the job finished");
  const other = await pinata.upload.public.cid(cidOfBytes("unknown.txt", text(`never uploaded ${tag}`)));
  const status = await pinata.files.public.deletePinRequest(other.id);
  check(typeof status === "string", `deletePinRequest: ${status}`);
  const gone = await pinata.files.public.queue().cid(other.cid);
  same(gone.jobs, [], "cancelled request gone");
});

await step("groups", async () => {
  const group = await pinata.groups.public.create({ name: `group-${tag}` });
  const listed = await pinata.groups.public.list().name(`group-${tag}`);
  same(listed.groups.map((g) => g.id), [group.id], "list by name");
  const got = await pinata.groups.public.get({ groupId: group.id });
  same(got.name, `group-${tag}`, "get");
  const updated = await pinata.groups.public.update({ groupId: group.id, name: `group2-${tag}` });
  same(updated.name, `group2-${tag}`, "update");
  const added = await pinata.groups.public.addFiles({ groupId: group.id, files: [state.json.id] });
  check(added.every((r) => r.status === "OK"), `addFiles: ${JSON.stringify(added)}`);
  const inGroup = await pinata.files.public.list().group(group.id);
  same(inGroup.files.map((f) => f.id), [state.json.id], "files of the group");
  await pinata.groups.public.removeFiles({ groupId: group.id, files: [state.json.id] });
  same((await pinata.files.public.list().group(group.id)).files, [], "removed");
  await pinata.groups.public.delete({ groupId: group.id });
  await refused(pinata.groups.public.get({ groupId: group.id }), [404], "get after delete");
});

await step("swaps honoured by the gateway with the Hot Swaps plugin", async () => {
  await control("PUT", "/gateway/plugins/hot-swaps", { installed: true });
  const swap = await pinata.files.public.addSwap({ cid: state.hello.cid, swapCid: state.base64.cid });
  same(swap.mapped_cid, state.base64.cid, "mapped_cid");
  const swapped = await fetch(`${gatewayBase}/ipfs/${state.hello.cid}`);
  same(await swapped.text(), `base64 payload ${tag}`, "swapped content");
  check(swapped.headers.get("etag")?.includes(state.base64.cid), `etag ${swapped.headers.get("etag")}`);
  const history = await pinata.files.public.getSwapHistory({ cid: state.hello.cid, domain: new URL(gatewayBase).host });
  same(history[0].mapped_cid, state.base64.cid, "history");
  await pinata.files.public.deleteSwap(state.hello.cid);
  const restored = await fetch(`${gatewayBase}/ipfs/${state.hello.cid}`);
  same(await restored.text(), `hello from the official SDK ${tag}\n`, "original content again");
});

await step("signatures", async () => {
  const signature = `0x${"ab".repeat(65)}`;
  const address = `0x${"12".repeat(20)}`;
  const added = await pinata.signatures.public.add({ cid: state.json.cid, signature, address });
  same(added.signature, signature, "added");
  const got = await pinata.signatures.public.get(state.json.cid);
  same(got.signature, signature, "get");
  const served = await fetch(`${gatewayBase}/ipfs/${state.json.cid}`);
  same(served.headers.get("pinata-signature"), signature, "pinata-signature header");
  await pinata.signatures.public.delete(state.json.cid);
  const after = await fetch(`${gatewayBase}/ipfs/${state.json.cid}`);
  same(after.headers.get("pinata-signature"), null, "header gone");
});

await step("keys with resources scopes", async () => {
  const created = await pinata.keys.create({
    keyName: `reader-${tag}`,
    permissions: { resources: ["org:files:read"] },
    maxUses: 10,
  });
  check(created.JWT, "a JWT");
  const reader = sdk(created.JWT);
  const listed = await reader.files.public.list().limit(1);
  same(listed.files.length, 1, "a files:read key lists");
  await refused(reader.upload.public.file(new File([text("no")], "no.txt")), [401, 403], "upload with files:read");
  const keys = await pinata.keys.list().name(`reader-${tag}`);
  same(keys.map((k) => k.key), [created.pinata_api_key], "keys.list by name");
  const revoked = await pinata.keys.revoke([created.pinata_api_key]);
  same(revoked.map((r) => r.key), [created.pinata_api_key], "revoked");
  await refused(reader.files.public.list().limit(1), [401], "a revoked key");
});

await step("gateway access tokens", async () => {
  // No SDK method manages gateways: the REST calls, then the SDK's pinataGatewayKey.
  const auth = { authorization: `Bearer ${adminJwt}` };
  const gateways = await (await fetch(`${v3Base}/gateways`, { headers: auth })).json();
  const gatewayId = gateways.data.rows[0].id;
  const created = await fetch(`${v3Base}/gateways/${gatewayId}/access_tokens`, { method: "POST", headers: auth });
  const token = (await created.json()).data;
  await refused(pinata.gateways.public.get(state.json.cid), [401], "no gateway key");
  const keyed = sdk(adminJwt, { pinataGatewayKey: token.value });
  same((await keyed.gateways.public.get(state.json.cid)).data.tag, tag, "with the gateway key");
  await fetch(`${v3Base}/gateways/${gatewayId}/access_tokens/${token.id}`, { method: "DELETE", headers: auth });
  same((await pinata.gateways.public.get(state.json.cid)).data.tag, tag, "open again");
});

rmSync(work, { recursive: true, force: true });
finish();
