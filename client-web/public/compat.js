// Drives the seed's VoxCPMTTSClient (seed-client.js, verbatim) from compat.html and plays what it received.
// The seed constructor takes the endpoint URL, so the page points it at the server it was loaded from: the web
// UI port serves /tts too.
(function () {
  const $ = (id) => document.getElementById(id);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${location.host}/tts`;
  $('endpoint').textContent = url;

  function setState(state, text) {
    $('state').dataset.state = state;
    $('state').textContent = text || state;
  }

  function play(chunks, sampleRate) {
    const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    if (total === 0 || !window.AudioContext) return;
    const context = new AudioContext({ sampleRate });
    const buffer = context.createBuffer(1, total, sampleRate);
    const channel = buffer.getChannelData(0);
    let offset = 0;
    for (const chunk of chunks) {
      for (let i = 0; i < chunk.length; i++) channel[offset + i] = chunk[i] / 32768;
      offset += chunk.length;
    }
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    source.start();
    source.onended = () => context.close();
  }

  $('speak').addEventListener('click', async () => {
    const client = new VoxCPMTTSClient(url);
    const chunks = [];
    let sampleRate = 16000;
    $('speak').disabled = true;
    setState('speaking', 'speaking…');
    try {
      await client.speak(
        $('text').value,
        (audio, metadata) => {
          // The Int16Array is a view over the frame's buffer; copy it so the chunk outlives the message.
          chunks.push(new Int16Array(audio));
          sampleRate = metadata.sample_rate || sampleRate;
          const samples = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
          $('chunks').textContent = String(chunks.length);
          $('chunks').dataset.count = String(chunks.length);
          $('samples').textContent = String(samples);
          $('samples').dataset.count = String(samples);
          $('sample-rate').textContent = `${sampleRate} Hz`;
        },
        (progress) => ($('progress').textContent = `${Math.round((progress.progress || 0) * 100)} %`),
      );
      setState('complete');
      play(chunks, sampleRate);
    } catch (error) {
      setState('failed', `failed: ${error && error.message ? error.message : 'WebSocket error'}`);
    } finally {
      $('speak').disabled = false;
    }
  });
})();
