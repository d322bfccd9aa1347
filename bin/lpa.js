#!/usr/bin/env node
// The `lpa` command. It loads the TypeScript sources through tsx's loader, so a fresh clone runs
// after `npm ci` with no build step; Lambda bundles are built separately with esbuild.
//
// `node bin/lpa.js` may start on an older system Node. `npm ci` installs the project's own Node
// (the `node` devDependency, the Lambda runtime's major), so the command re-runs itself on that
// one; without it, it says which Node it needs instead of failing somewhere inside a dependency.
// Written in plain JavaScript that old Nodes parse, and nothing is imported before the check.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (relative) => fileURLToPath(new URL(relative, import.meta.url));
// package.json's engines.node (">=22") is the one place the requirement is written.
const wanted = Number(/\d+/.exec(JSON.parse(readFileSync(here('../package.json'), 'utf8')).engines.node)[0]);
const running = Number(process.versions.node.split('.')[0]);
// Set on the re-run, so a project Node that is itself too old cannot make a loop.
const REEXEC_MARK = 'LPA_REEXEC_FROM_NODE';

if (running < wanted) {
  const own = here('../node_modules/node/bin/node');
  if (existsSync(own) && process.env[REEXEC_MARK] === undefined) {
    const child = spawnSync(own, [here('./lpa.js'), ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, [REEXEC_MARK]: process.version },
    });
    if (child.signal) process.kill(process.pid, child.signal);
    process.exit(child.status ?? 1);
  }
  process.stderr.write(
    `lpa needs Node.js ${wanted} or newer; this is Node.js ${process.version} (${process.execPath}).\n` +
      `Run \`npm ci\` in ${here('..')}: it installs Node.js ${wanted} into node_modules, which \`node bin/lpa.js\` then uses.\n` +
      `Or run lpa with a Node.js ${wanted} of your own.\n`,
  );
  process.exit(1);
}

const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../shared/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
