/**
 * The yaml package's Parser reads `process.env.LOG_TOKENS` once per token, and its Composer
 * `process.env.LOG_STREAM` once per document (yaml 2.9.1, `dist/parse/parser.js` `next`,
 * `dist/compose/composer.js`). `process.env` is not an object but an interceptor into the C++ environment:
 * a read costs some 170 ns against 2 ns for a property of a plain object, and a manifest of 20 000 objects has
 * millions of tokens. bench/offline-scale.mjs: 20 000 objects went from 5.2–6.4 s to 3.8–4.0 s.
 *
 * `withPlainEnv` runs a synchronous `work` with `process.env` replaced by a plain object holding the variables
 * the yaml package reads (YAML_ENV_READS; test/unit/sources/yaml-env-reads.test.ts checks the package reads no
 * other), and puts the real one back before it returns or throws. Nothing else can run in between: `work` is
 * synchronous, and parsing reads no other variable. Copying the whole environment instead cost 0.1 ms a call,
 * half a second over 4 000 manifests.
 */
export const YAML_ENV_READS = ["LOG_TOKENS", "LOG_STREAM"] as const;

export function withPlainEnv<T>(work: () => T): T {
  const real = process.env;
  const plain: NodeJS.ProcessEnv = {};
  for (const name of YAML_ENV_READS) if (real[name] !== undefined) plain[name] = real[name];
  process.env = plain;
  try {
    return work();
  } finally {
    process.env = real;
  }
}
