#!/usr/bin/env node
// The `lpa` command. It loads the TypeScript sources through tsx's loader, so a fresh clone runs
// after `npm ci` with no build step; Lambda bundles are built separately with esbuild.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../shared/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
