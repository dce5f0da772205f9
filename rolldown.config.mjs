// `npm run build` step 2: dist/cli/main.js and every module it loads → one file, dist/cli/rdpscope.js,
// which bin/rdpscope.js runs. Loading one file instead of ~300 ES modules (ours and yargs's) cuts the
// start-up every command pays from about 0.30 s to 0.19 s (a refused probe; bench/README.md). Only
// pkijs and asn1js, which src/tls/x509.ts requires at run time, are still read from node_modules.
export default {
  input: 'dist/cli/main.js',
  platform: 'node',
  external: [/^node:/],
  output: { file: 'dist/cli/rdpscope.js', format: 'esm', codeSplitting: false, sourcemap: true },
};
