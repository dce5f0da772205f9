// The fuzz harness (fuzz/*.mjs) run against the TypeScript sources instead of dist/.
import { loadModules } from '../../fuzz/modules.mjs';

const SRC = new URL('../../src/', import.meta.url);

export const modules = (): Promise<Record<string, any>> =>
  loadModules((p: string) => import(/* @vite-ignore */ new URL(`${p}.ts`, SRC).pathname));
