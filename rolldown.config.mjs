// `npm run build` step 2: dist/cli/main.js and every module it loads, asn1js and pkijs included → one
// CommonJS file, dist/cli/rdpscope.cjs, which bin/rdpscope.js runs through V8's code cache
// (bin/bundle.js; the cache is step 3, scripts/code-cache.mjs). Loading one file instead of ~300 ES
// modules cut the start-up every command pays from about 0.30 s to 0.19 s; CommonJS because only a
// classic script can be given a code cache (node:vm Script), which cut it again (bench/README.md).
// ASCII only (non-ASCII escaped, JSDoc comments dropped; licence comments kept): bin/bundle.js then
// reads it without UTF-8 decoding, as a one-byte string.
export default {
  input: 'dist/cli/main.js',
  platform: 'node',
  external: [/^node:/],
  output: { file: 'dist/cli/rdpscope.cjs', format: 'cjs', codeSplitting: false, sourcemap: true, charset: 'ascii', comments: { legal: true, annotation: true, jsdoc: false } },
};
