// Finds the 50 MB benchmark input and unpacks it once into the OS temp folder.
import { existsSync, createReadStream, createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { ROOT } from './lib.mjs';

export async function scaledReport() {
  const gz = process.env.COVGAP_SCALED || join(ROOT, '../shared/fixtures/_scaled/coverage.SCALED-50MB.json.gz');
  if (!existsSync(gz)) return null;
  const dir = join(tmpdir(), 'covgap-scaled');
  const out = join(dir, 'coverage.SCALED-50MB.json');
  if (!existsSync(out)) {
    await mkdir(dir, { recursive: true });
    await pipeline(createReadStream(gz), createGunzip(), createWriteStream(out + '.part'));
    const { rename } = await import('node:fs/promises');
    await rename(out + '.part', out);
  }
  return out;
}
