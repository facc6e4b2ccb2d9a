# The seed README's "Python Client Example" (voxcpm-tts-server-README.md), run by
# tests/VoxCpm.Hub.Tests/RawTts/SeedPythonClientTests.cs with Debian's python3-websockets against a real hub.
# Python is a test-only client: neither the product nor its build uses it.
#
# Usage: /usr/bin/python3 python_client.py URL OUT.wav TEXT
#
# Differences from the README, and why (everything else is the README's text, line for line):
# - `import struct, sys, wave` added: struct parses the binary frame, sys reads the arguments, wave writes the result.
# - `parse_binary_frame` is defined here: the README calls it without showing it. It reads the frame exactly as the
#   README's JavaScript parseBinaryFrame does (type at byte 2, big-endian metadata length at byte 4, JSON metadata,
#   big-endian payload length, PCM16 little-endian payload) and returns a one-element list, because the example
#   does `audio_chunks.extend(chunks)` and then `b"".join(audio_chunks)`. It also keeps each chunk's metadata so
#   the test can check sequences; voxcpm_tts itself does not look at them.
# - "# Run": `asyncio.run(voxcpm_tts("Hello, world!"))` becomes the same call with the text and URL from the
#   command line, and the returned PCM is written to a WAV plus a one-line JSON summary of the chunks on stdout.
import asyncio
import websockets
import json
import uuid
import struct
import sys
import wave

frames_seen = []


def parse_binary_frame(message):
    msg_type = message[2]
    (metadata_length,) = struct.unpack(">I", message[4:8])
    metadata = json.loads(message[8:8 + metadata_length].decode("utf-8"))
    (payload_length,) = struct.unpack(">I", message[8 + metadata_length:12 + metadata_length])
    audio = message[12 + metadata_length:12 + metadata_length + payload_length]
    frames_seen.append({"type": msg_type, "metadata": metadata, "payload_length": payload_length, "received": len(audio)})
    return [audio]


async def voxcpm_tts(text, url="ws://localhost:9300/tts"):
    async with websockets.connect(url) as ws:
        request = {
            "type": "tts_request",
            "request_id": str(uuid.uuid4()),
            "params": {
                "text": text,
                "mode": "streaming"
            }
        }

        await ws.send(json.dumps(request))

        audio_chunks = []
        while True:
            message = await ws.recv()

            if isinstance(message, bytes):
                # Handle binary audio data
                chunks = parse_binary_frame(message)
                audio_chunks.extend(chunks)
            else:
                # Handle JSON control messages
                msg = json.loads(message)
                if msg.get("type") == "complete":
                    break
                elif msg.get("type") == "error":
                    raise Exception(msg["error"])

        return b"".join(audio_chunks)

# Run
url, out_path, text = sys.argv[1], sys.argv[2], sys.argv[3]
pcm = asyncio.run(voxcpm_tts(text, url=url))
sample_rate = frames_seen[0]["metadata"]["sample_rate"] if frames_seen else 16000
with wave.open(out_path, "wb") as out:
    out.setnchannels(1)
    out.setsampwidth(2)
    out.setframerate(sample_rate)
    out.writeframes(pcm)
print(json.dumps({"bytes": len(pcm), "sample_rate": sample_rate, "frames": frames_seen}))
