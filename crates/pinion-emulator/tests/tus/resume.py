"""Drives a TUS upload with tuspy (an independent client) in two runs, for
tests/tus_client.rs.

    resume.py start  BASE JWT FILE CHUNK CHUNKS  -> prints {"location", "offset"}
    resume.py finish BASE JWT FILE CHUNK LOCATION -> prints {"resumed_from", "cid"}

`start` creates the upload at BASE/files and stops after CHUNKS chunks of CHUNK bytes,
as a client cut off mid-way would. `finish` is a new client that knows only the
upload's URL: it asks the server for the offset (HEAD) and sends the rest; the CID is
the final PATCH's Upload-CID header. The JWT comes from the environment when JWT is
"-" (so it never shows in a process listing).
"""

import json
import os
import sys

from tusclient import client


def tus_client(base, jwt):
    if jwt == "-":
        jwt = os.environ["PINION_TEST_JWT"]
    return client.TusClient(base + "/files", headers={"Authorization": "Bearer " + jwt})


def start(base, jwt, path, chunk, chunks):
    uploader = tus_client(base, jwt).uploader(
        file_path=path,
        chunk_size=chunk,
        metadata={"filename": os.path.basename(path), "network": "public"},
    )
    uploader.upload(stop_at=chunk * chunks)
    print(json.dumps({"location": uploader.url, "offset": uploader.offset}))


def finish(base, jwt, path, chunk, location):
    # A new client: it learns the offset from the server (HEAD) when given the URL.
    uploader = tus_client(base, jwt).uploader(file_path=path, chunk_size=chunk, url=location)
    resumed_from = uploader.offset
    uploader.upload()
    cid = uploader.request.response_headers.get("upload-cid")
    print(json.dumps({"resumed_from": resumed_from, "cid": cid}))


def main(argv):
    mode, base, jwt, path, chunk, last = argv[1:7]
    if mode == "start":
        start(base, jwt, path, int(chunk), int(last))
    elif mode == "finish":
        finish(base, jwt, path, int(chunk), last)
    else:
        sys.exit("mode must be start or finish")


if __name__ == "__main__":
    main(sys.argv)
