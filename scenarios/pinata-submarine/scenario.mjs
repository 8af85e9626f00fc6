// pinata-submarine 0.1.6 as its users use it. The SDK's API host is a constant
// (https://managed.mypinata.cloud/api/v1); its axios honours HTTPS_PROXY, which the
// harness points at the emulator. The gateway is the user's Dedicated Gateway URL,
// here the emulator's. Every method the SDK offers that the emulator serves (not the
// NFT-ownership checks, which call submarine.me); each step prints `ok <step>`.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Submarine } from "pinata-submarine";

import {
  check, cidOf, cidOfText, credentials, equal, finish, same, scratch, step,
} from "../lib/scenario.mjs";

check(process.env.HTTPS_PROXY, "HTTPS_PROXY must point at the emulator");
const creds = credentials();
const gateway = creds.submarine.gateway_url;
const submarine = new Submarine(creds.submarine.api_key, gateway);
const run = Date.now().toString(36);
const dir = scratch();

const fileText = `private hello ${run}\n`;
const filePath = join(dir, "secret.txt");
writeFileSync(filePath, fileText);
let file;
await step("uploadFileOrFolder (a file)", async () => {
  const answer = await submarine.uploadFileOrFolder(filePath, `sub-file-${run}`,
    { keyvalues: { scenario: "submarine" } });
  [file] = answer.items;
  equal(file.cid, cidOf(filePath), "the CID of the file");
  equal(file.name, `sub-file-${run}`, "its name");
  equal(file.pinToIPFS, false, "private");
});

let folder;
const folderPath = join(dir, `sub-dir-${run}`);
await step("uploadFileOrFolder (a folder)", async () => {
  mkdirSync(join(folderPath, "inner"), { recursive: true });
  writeFileSync(join(folderPath, "index.html"), `<p>${run}</p>`);
  writeFileSync(join(folderPath, "inner", "deep.txt"), `deep ${run}`);
  // A relative path, as in the SDK's README: the SDK names each part by the path given
  // joined with the file's path inside it.
  process.chdir(dir);
  const answer = await submarine.uploadFileOrFolder(`sub-dir-${run}`, `sub-dir-${run}`, undefined, 1);
  [folder] = answer.items;
  equal(folder.cid, cidOf(folderPath, 1), "the v1 CID of the folder");
});

let json;
const content = { b: 1, 2: 0, a: 1.5, run };
await step("uploadJson", async () => {
  const answer = await submarine.uploadJson(content, `sub-json-${run}`, 0, { keyvalues: { kind: "json" } });
  json = answer.item;
  equal(json.cid, cidOfText(JSON.stringify(content)), "the CID of JSON.stringify(content)");
});

await step("getSubmarinedContentByCid", async () => {
  const answer = await submarine.getSubmarinedContentByCid(file.cid);
  equal(answer.items.length, 1, "one item with the CID");
  equal(answer.items[0].id, file.id, "the file");
});

await step("getSubmarinedContent with filters", async () => {
  const byName = await submarine.getSubmarinedContent({ name: `sub-json-${run}`, limit: 5 });
  equal(byName.map((item) => item.id).join(), json.id, "by name");
  const byKey = await submarine.getSubmarinedContent({
    metadata: JSON.stringify({ scenario: { value: "submarine", op: "eq" } }),
  });
  check(byKey.some((item) => item.id === file.id), "by key-value");
  const bySize = await submarine.getSubmarinedContent({ fileSizeMinimum: "1", order: "DESC", offset: "0" });
  check(bySize.length >= 3, `by size (${bySize.length})`);
});

await step("listFolderContent", async () => {
  const listing = await submarine.listFolderContent(folder.id);
  equal(listing.hasIndexHtml, true, "the folder has an index.html");
  check(listing.childContent.length >= 2, "its entries");
});

await step("generateAccessLink (a file) and a gateway fetch", async () => {
  const link = await submarine.generateAccessLink(60, file.id, file.cid);
  check(link.startsWith(`${gateway}/ipfs/${file.cid}?accessToken=`), link);
  const fetched = await fetch(link);
  equal(fetched.status, 200, "the link opens the private file");
  equal(await fetched.text(), fileText, "its bytes");
  const without = await fetch(`${gateway}/ipfs/${file.cid}`);
  equal(without.status, 401, "no token, no content");
});

await step("generateAccessLink (a folder with index.html)", async () => {
  const link = await submarine.generateAccessLink(60, folder.id, folder.cid);
  check(link.startsWith(`${gateway}/ipfs/${folder.cid}/index.html?accessToken=`), link);
  const fetched = await fetch(link);
  equal(await fetched.text(), `<p>${run}</p>`, "the folder's index.html");
});

await step("generateAccessLink (a path in a folder)", async () => {
  const link = await submarine.generateAccessLink(60, folder.id, folder.cid, "inner/deep.txt");
  equal(await (await fetch(link)).text(), `deep ${run}`, "the nested file");
});

await step("updateFileName", async () => {
  const answer = await submarine.updateFileName(json.id, `sub-json-renamed-${run}`);
  equal(answer.item.name, `sub-json-renamed-${run}`, "renamed");
  equal(answer.item.pinToIPFS, false, "still private");
});

await step("updateFileMetadata (flat, as the SDK's README shows)", async () => {
  const answer = await submarine.updateFileMetadata(json.id, { new: "value" });
  same(answer.item.metadata, { new: "value" }, "the metadata sent");
  equal(answer.item.name, `sub-json-renamed-${run}`, "the item keeps its name");
});

await step("updateFileMetadata (name and keyvalues, as the spec's example)", async () => {
  const metadata = { name: "metadata name", keyvalues: { newKey: "new value" } };
  const answer = await submarine.updateFileMetadata(json.id, metadata);
  same(answer.item.metadata, metadata, "the metadata sent");
  equal(answer.item.name, `sub-json-renamed-${run}`, "the item keeps its name");
});

await step("makeFilePublic and a public gateway fetch", async () => {
  const answer = await submarine.makeFilePublic(file.id);
  const item = answer.item ?? answer.items?.[0];
  equal(item.pinToIPFS, true, "public");
  const fetched = await fetch(`${gateway}/ipfs/${file.cid}`);
  equal(await fetched.text(), fileText, "served without a token");
});

await step("deleteContent", async () => {
  const answer = await submarine.deleteContent(json.id);
  equal(answer.status, 200, "deleted");
  equal((await submarine.getSubmarinedContentByCid(json.cid)).items.length, 0, "gone");
});

finish();
