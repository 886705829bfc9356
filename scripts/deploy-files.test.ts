import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * docker-compose.yml and the GitHub workflows only run where Docker and GitHub do, so a typo in
 * them would first show up on a user's machine. `npm run lint` checks them against their schemas
 * (dclint: the Compose specification; action-validator: GitHub's workflow schema); these tests run
 * the same checks from `npm test`, and show that a misspelt key does fail them.
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

async function exitCode(command: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(bin(command), args, { cwd: root });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, output: stdout + stderr };
  }
}

describe('deployment files', { timeout: 60_000 }, () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'reeltime-deploy-files-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('given docker-compose.yml, when dclint validates it, then it matches the Compose specification', async () => {
    const result = await exitCode('dclint', ['docker-compose.yml']);
    expect(result.output).not.toMatch(/error/);
    expect(result.code).toBe(0);
  });

  it('given a compose file with a misspelt service key, when dclint validates it, then it fails naming the schema', async () => {
    const compose = await readFile(join(root, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain('    healthcheck:');
    const broken = join(scratch, 'docker-compose.yml');
    await writeFile(broken, compose.replace('    healthcheck:', '    helthcheck:'));
    const result = await exitCode('dclint', [broken]);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/invalid-schema/);
  });

  it('given the CI workflow, when action-validator checks it, then it matches the workflow schema', async () => {
    const result = await exitCode('action-validator', ['.github/workflows/ci.yml']);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('given a workflow with a misspelt job key, when action-validator checks it, then it fails naming the key', async () => {
    const workflow = await readFile(join(root, '.github/workflows/ci.yml'), 'utf8');
    const broken = join(scratch, 'ci.yml');
    await writeFile(broken, workflow.replace('runs-on:', 'run-on:'));
    const result = await exitCode('action-validator', [broken]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("Additional property 'run-on' is not allowed");
  });
});
