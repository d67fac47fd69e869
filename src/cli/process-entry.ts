import { limitHeapGrowth } from "./heap-growth.js";
import { processIo } from "./io.js";
import { main } from "./main.js";

/**
 * The process: what bin/helm-drift runs, bundled into one file (build/bundle-cli.mjs). Not part of the
 * library (src/index.ts): importing it runs the CLI.
 */
limitHeapGrowth();
process.exitCode = await main(process.argv.slice(2), processIo());
