// The official Pinata SDK (npm `pinata`, installed in scenarios/pinata-official) uploading
// one file as its docs show for Node: a disk-backed `File` (openAsBlob) through
// `upload.public.file`, which takes TUS above 94,371,840 bytes. Run by the `tus_upload`
// benchmark with `node --input-type=module -e` from that directory, so `pinata`
// resolves there; prints {"cid": …}.
import { openAsBlob } from "node:fs";

import { PinataSDK } from "pinata";

const env = process.env;
const pinata = new PinataSDK({
  pinataJwt: env.BENCH_PINATA_JWT,
  endpointUrl: env.BENCH_V3_URL,
  uploadUrl: env.BENCH_UPLOADS_URL,
});
const file = new File([await openAsBlob(env.BENCH_FILE)], "big.bin", {
  type: "application/octet-stream",
});
const uploaded = await pinata.upload.public.file(file);
console.log(JSON.stringify({ cid: uploaded.cid }));
