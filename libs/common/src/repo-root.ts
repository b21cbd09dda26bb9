import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder of Cairn's package.json, found by walking up from this file (works from src/ and dist/). */
export function repoRoot(start: string = __dirname): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'nest-cli.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no Cairn package.json above ${start}`);
    dir = parent;
  }
  return dir;
}
