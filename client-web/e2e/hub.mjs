// Starts the real VoxCpm.Hub (the built dll) on loopback for the e2e tests, stops it afterwards, and connects the
// official SignalR client to it.
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as signalR from '@microsoft/signalr';
import { MessagePackHubProtocol } from '@microsoft/signalr-protocol-msgpack';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A port that was free a moment ago (the OS picks it). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** VOXCPM_TEST_DB, else the string scripts/setup-postgres.sh wrote; pointed at a database of the e2e test's own. */
export function testDatabase(database = 'voxcpm_e2e') {
  let server = process.env.VOXCPM_TEST_DB;
  const file = join(repoRoot, '.data', 'postgres', 'connection.env');
  if (!server && existsSync(file)) {
    const line = readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith('VOXCPM_TEST_DB='));
    server = line?.slice('VOXCPM_TEST_DB='.length).replace(/^'|'$/g, '');
  }
  if (!server) {
    throw new Error('No test PostgreSQL: set VOXCPM_TEST_DB or run scripts/setup-postgres.sh');
  }
  // The hub creates the database when it migrates; one fixed name keeps repeated runs from piling up databases.
  const parts = server.split(';').filter((part) => part && !/^\s*database\s*=/i.test(part));
  return [...parts, `Database=${database}`].join(';');
}

async function waitForHealth(url, hub, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hub.exitCode !== null) {
      throw new Error(`the hub exited with code ${hub.exitCode} before answering ${url}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

/** The tiny test checkpoints: VOXCPM_FIXTURES, else shared/fixtures/voxcpm-tiny found walking up from the checkout. */
export const fixturesRoot = () => findFixtures('VOXCPM_FIXTURES', 'voxcpm-tiny');

/** The tiny VoxCPM2 checkpoint's root: VOXCPM2_FIXTURES, else shared/fixtures/voxcpm2-tiny (as tests/VoxCpm.TestKit finds them). */
export const voxCpm2FixturesRoot = () => findFixtures('VOXCPM2_FIXTURES', 'voxcpm2-tiny');

function findFixtures(variable, folder) {
  if (process.env[variable]) {
    return resolve(process.env[variable]);
  }
  for (let dir = repoRoot; ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'fixtures', folder);
    if (existsSync(candidate)) {
      return candidate;
    }
    if (dirname(dir) === dir) {
      throw new Error(`shared/fixtures/${folder} not found beside the checkout: set ${variable}`);
    }
  }
}

/**
 * Starts the hub with the UI from client-web/dist; resolves once /health answers on the web port (and, with a
 * model, once /ready does). Without `model` it points TTS_MODEL_NAME at a folder that does not exist. `settings`
 * adds or overrides TTS_* variables.
 */
export async function startHub({ webRoot, model, database = 'voxcpm_e2e', startTimeoutMs = 60_000, settings = {} }) {
  const dll = process.env.VOXCPM_HUB_DLL ?? join(repoRoot, 'src/VoxCpm.Hub/bin/Debug/net10.0/VoxCpm.Hub.dll');
  if (!existsSync(dll)) {
    throw new Error(`${dll} not found: run dotnet build VoxCpm.Hub.sln first (or set VOXCPM_HUB_DLL)`);
  }
  const [apiPort, webPort] = [await freePort(), await freePort()];
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TTS_')));
  Object.assign(env, {
    TTS_HOST: '127.0.0.1',
    TTS_PORT: String(apiPort),
    TTS_WEB_PORT: String(webPort),
    TTS_WEB_ROOT: webRoot,
    TTS_DB_CONNECTION: testDatabase(database),
    TTS_MODEL_NAME: model ?? join(repoRoot, '.data', 'e2e-no-model'),
    TTS_LOG_LEVEL: 'WARNING',
    TTS_DEVICE: 'cpu',
    ...settings,
  });
  // The working directory is the dll's folder, so a developer's .env in the repo cannot change the test.
  const hub = spawn('dotnet', [dll], { cwd: dirname(dll), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  hub.stdout.on('data', (chunk) => (output += chunk));
  hub.stderr.on('data', (chunk) => (output += chunk));

  const stop = async () => {
    if (hub.exitCode !== null || hub.signalCode !== null) {
      return;
    }
    const exited = new Promise((r) => hub.once('exit', r));
    hub.kill('SIGTERM');
    const timer = setTimeout(() => hub.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitForHealth(`http://127.0.0.1:${webPort}/health`, hub, startTimeoutMs);
    if (model) {
      await waitForHealth(`http://127.0.0.1:${webPort}/ready`, hub, startTimeoutMs);
    }
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n--- hub output ---\n${output}`, { cause: error });
  }
  return { apiUrl: `http://127.0.0.1:${apiPort}`, webUrl: `http://127.0.0.1:${webPort}`, output: () => output, stop };
}

/** The official @microsoft/signalr client connected to the hub at `apiUrl`, over 'messagepack' or JSON. */
export async function connectSignalR(apiUrl, protocol) {
  const builder = new signalR.HubConnectionBuilder()
    .withUrl(`${apiUrl}/hubs/tts`, { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
    .configureLogging(signalR.LogLevel.None);
  const connection = (protocol === 'messagepack' ? builder.withHubProtocol(new MessagePackHubProtocol()) : builder).build();
  await connection.start();
  return connection;
}

/** Every item of one hub stream (what `connection.stream(...)` returns); rejects with the stream's error, bounded in time. */
export function collectStream(stream, timeoutMs) {
  return new Promise((resolve, reject) => {
    const items = [];
    const timer = setTimeout(() => reject(new Error(`no end of the stream within ${timeoutMs} ms`)), timeoutMs);
    stream.subscribe({
      next: (item) => items.push(item),
      error: (error) => {
        clearTimeout(timer);
        reject(error);
      },
      complete: () => {
        clearTimeout(timer);
        resolve(items);
      },
    });
  });
}

/** The bytes of an audio item: MessagePack carries a Uint8Array, JSON a base64 string. */
export const audioBytes = (item) => (typeof item.audio === 'string' ? Buffer.from(item.audio, 'base64') : Buffer.from(item.audio));

/**
 * Messages in the order they arrive (`push` them from an event handler), and bounded waits for one that matches:
 * a wait wakes on each arrival instead of polling.
 */
export function inbox(timeoutMs) {
  const received = [];
  const waiters = [];
  return {
    received,
    push(message) {
      received.push(message);
      for (const wake of waiters.splice(0)) wake();
    },
    /** The index of the first message at or after `from` that `predicate` accepts, once it has arrived. */
    async indexOf(predicate, from = 0) {
      const deadline = Date.now() + timeoutMs;
      for (let index = from; ; ) {
        for (; index < received.length; index++) {
          if (predicate(received[index])) return index;
        }
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new Error(`no matching message within ${timeoutMs} ms; received: ${JSON.stringify(received.map((m) => m.type ?? m.text?.type ?? 'binary'))}`);
        }
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => (clearTimeout(timer), resolve()));
        });
      }
    },
  };
}
