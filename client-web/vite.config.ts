import { defineConfig } from 'vite';

// `npm run dev` proxies API calls to a hub started locally on the web UI port (TTS_WEB_PORT, default 9301).
const hub = process.env.VOXCPM_HUB_URL ?? 'http://127.0.0.1:9301';

export default defineConfig({
  server: {
    proxy: {
      '/health': hub,
      '/ready': hub,
      '/api': hub,
      '/hubs': { target: hub, ws: true },
      '/tts': { target: hub, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
});
