/// <reference types="node" />
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The generated API types must be what openapi-typescript makes of the checked-in documents (which a .NET test holds
// to what the services serve): `npm run api:generate` rewrites them.
const web = join(import.meta.dirname, '..', '..');
const cli = join(web, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'shop-api-types-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('web-api-types', () => {
  it.each(['orders', 'payments'])('the generated types of %s are what its checked-in document makes', (module) => {
    const fresh = join(scratch, `${module}.ts`);
    execFileSync(process.execPath, [cli, join(web, 'src', 'api', 'openapi', `${module}.json`), '-o', fresh], { stdio: 'pipe' });

    const checkedIn = readFileSync(join(web, 'src', 'api', 'generated', `${module}.ts`), 'utf8');

    expect(checkedIn, `src/api/generated/${module}.ts is stale: run npm run api:generate in web/ and commit it`).toBe(
      readFileSync(fresh, 'utf8'),
    );
  });
});
