// The seed README's JavaScript client (voxcpm-tts-server-README.md, "JavaScript Client Example"), copied verbatim:
// compat.html checks that clients written for the original server work against VoxCpm.Hub unchanged.
class VoxCPMTTSClient {
  constructor(url = 'ws://localhost:9300/tts') {
    this.url = url;
  }

  async speak(text, onAudioChunk, onProgress) {
    const ws = new WebSocket(this.url);
    const requestId = crypto.randomUUID();

    return new Promise((resolve, reject) => {
      ws.binaryType = 'arraybuffer';

      ws.onopen = () => {
        ws.send(JSON.stringify({
          type: 'tts_request',
          request_id: requestId,
          params: {
            text: text,
            mode: 'streaming'
          }
        }));
      };

      ws.onmessage = (event) => {
        if (event.data instanceof ArrayBuffer) {
          // Binary audio data
          const { metadata, audio } = this.parseBinaryFrame(event.data);
          if (onAudioChunk) onAudioChunk(audio, metadata);
        } else {
          // JSON control message
          const msg = JSON.parse(event.data);
          if (msg.type === 'progress' && onProgress) {
            onProgress(msg);
          } else if (msg.type === 'complete') {
            resolve();
          } else if (msg.type === 'error') {
            reject(new Error(msg.error.message));
          }
        }
      };

      ws.onerror = (error) => reject(error);
    });
  }

  parseBinaryFrame(buffer) {
    const view = new DataView(buffer);
    const msgType = view.getUint8(2);
    const metadataLength = view.getUint32(4);

    const metadataBytes = new Uint8Array(buffer, 8, metadataLength);
    const metadata = JSON.parse(new TextDecoder().decode(metadataBytes));

    const payloadLength = view.getUint32(8 + metadataLength);
    const audio = new Int16Array(buffer, 8 + metadataLength + 4, payloadLength / 2);

    return { metadata, audio };
  }
}
