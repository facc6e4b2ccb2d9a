import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The seed README: shared/seed beside the checkout (found by walking up), or VOXCPM_SEED_README. */
function seedReadme(): string {
  const fromEnv = process.env.VOXCPM_SEED_README;
  if (fromEnv) return fromEnv;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'seed', 'voxcpm-tts-server-README.md');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error('shared/seed/voxcpm-tts-server-README.md not found beside the checkout: set VOXCPM_SEED_README');
  }
}

describe('compat.html', () => {
  it("serves the seed README's VoxCPMTTSClient class verbatim", () => {
    const readme = readFileSync(seedReadme(), 'utf8');
    const start = readme.indexOf('class VoxCPMTTSClient {');
    const end = readme.indexOf('\n}\n', start) + 2;
    expect(start).toBeGreaterThan(0);
    const seedClass = readme.slice(start, end);
    const served = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'seed-client.js'), 'utf8');
    expect(served).toContain(seedClass);
    expect(seedClass).toContain('parseBinaryFrame(buffer)');
  });

  it('points the seed client at this server through its url parameter', () => {
    const page = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'compat.js'), 'utf8');
    expect(page).toContain('new VoxCPMTTSClient(url)');
    expect(page).toContain('${location.host}/tts');
  });
});
