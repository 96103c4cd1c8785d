import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './main.ts';
import { makeTestCity } from './test-city.ts';

describe('startServer', () => {
  it('loads the city, listens on 127.0.0.1, prints the URL and closes', async () => {
    const lines: string[] = [];
    const server = await startServer({ port: 0, city: makeTestCity(), staticDir: false, handleSignals: false, print: (l) => lines.push(l) });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
      expect(lines).toEqual([`cim-twin: ${server.url}`]);
      const res = await fetch(new URL('api/city/summary', server.url));
      expect(res.status).toBe(200);
      expect((await res.json()).buildings.count).toBe(17);
    } finally {
      await server.close();
    }
    await server.closed;
    await expect(fetch(server.url)).rejects.toThrow();
  });

  it('fails before listening when the city file is bad, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cimtwin-main-'));
    const file = join(dir, 'bad.city.json');
    writeFileSync(file, '{"type": "FeatureCollection", "features": []}');
    const lines: string[] = [];
    try {
      await expect(startServer({ port: 0, cityFile: file, staticDir: false, handleSignals: false, print: (l) => lines.push(l) })).rejects.toThrow(
        `${file}, field 'cimtwin.format': not a cim-twin city file`,
      );
      expect(lines).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says which port is taken and how to pick another', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startServer({ port, city: makeTestCity(), staticDir: false, handleSignals: false, print: () => {} })).rejects.toThrow(
        `port ${port} on 127.0.0.1 is already in use; pass --port N, or --port 0 for a free one`,
      );
    } finally {
      blocker.close();
    }
  });
});
