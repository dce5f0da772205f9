// The package's root directory and version. This module sits in dist/cli, as does the single-file
// bundle bin/rdpscope.js runs (dist/cli/rdpscope.cjs, built by rolldown), so the path holds for both.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const RDPSCOPE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
