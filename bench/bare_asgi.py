"""The floor for the foundation benchmark: a bare ASGI app on localchime's own server stack
(same socket setup, same uvicorn config, same loop), answering a canned
GetPhoneNumberOrder body without doing any work."""

from __future__ import annotations

import sys

import orjson
import uvloop

from localchime.server import _Server, bind_socket, uvicorn_config

CANNED = orjson.dumps(
    {
        "PhoneNumberOrder": {
            "PhoneNumberOrderId": "0a1b2c3d-0000-4000-8000-000000000000",
            "ProductType": "VoiceConnector",
            "Status": "Successful",
            "OrderType": "New",
            "OrderedPhoneNumbers": [{"E164PhoneNumber": "+12065550100", "Status": "Acquired"}],
            "CreatedTimestamp": "2026-11-27T06:00:00.000Z",
            "UpdatedTimestamp": "2026-11-27T06:00:05.000Z",
        }
    }
)
HEADERS = [
    (b"x-amzn-requestid", b"0a1b2c3d-0000-4000-8000-000000000000"),
    (b"content-type", b"application/json"),
    (b"content-length", str(len(CANNED)).encode()),
]


async def app(scope, receive, send):  # type: ignore[no-untyped-def]
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            await send({"type": message["type"] + ".complete"})
            if message["type"] == "lifespan.shutdown":
                return
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": CANNED})


async def main(port: int) -> None:
    sock = bind_socket("127.0.0.1", port)
    server = _Server(uvicorn_config(app))
    print(f"bare ready on http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    await server.serve(sockets=[sock])


if __name__ == "__main__":
    uvloop.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
