import { randomBytes } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { fileErrorReason, HelmDriftError } from "../errors.js";
import type { MetricsSink } from "./sinks.js";

/** The metrics file could not be read (for a merge) or written; the file there before is left as it was. */
export class MetricsFileError extends HelmDriftError {
  constructor(
    readonly file: string,
    action: "read" | "write",
    options: { cause: unknown },
  ) {
    super(`cannot ${action} the metrics file ${file}: ${fileErrorReason(options.cause)}`, options);
  }
}

/**
 * Writes the metrics to a file for node_exporter's textfile collector (`--collector.textfile.directory`, which
 * reads the `*.prom` files there at each scrape). The file is replaced atomically: written whole to
 * `FILE.tmp-<random>` beside it (same directory, same file system) and renamed over it, so a scrape never reads
 * half a file; the collector ignores the temporary file, whose name does not end in `.prom`.
 *
 * `replace` writes `text` as the whole file. `merge` reads the file and replaces only the metric families that
 * `text` holds (by family name: its HELP, TYPE and samples, `_bucket`/`_sum`/`_count` of a histogram or
 * summary included), keeping every other family where it was and adding new ones at the end: a failed run
 * updates its failure metrics and keeps the last completed run's. A file that is not there yet merges as empty.
 * Two writers merging at once could lose one's update; the CronJob runs one report at a time.
 */
export class MetricsFileSink implements MetricsSink {
  readonly description: string;

  constructor(private readonly file: string) {
    this.description = `metrics file ${file}`;
  }

  async write(text: string, mode: "replace" | "merge"): Promise<void> {
    const content = mode === "replace" ? text : mergeMetricFamilies(await this.existing(), text);
    await writeAtomically(this.file, content);
  }

  private async existing(): Promise<string> {
    try {
      return await readFile(this.file, "utf8");
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === "ENOENT") return "";
      throw new MetricsFileError(this.file, "read", { cause });
    }
  }
}

/** One metric family of a text exposition: its name and its lines (HELP, TYPE, other comments, samples). */
interface Family {
  name: string;
  lines: string[];
}

const SUFFIXED_TYPES = new Set(["histogram", "summary"]);
const SUFFIXES = ["_bucket", "_sum", "_count"];

/**
 * The families of a text in the Prometheus text format 0.0.4, in order of first appearance; blank lines are
 * dropped, and lines of a family that appears in several places are brought together (node_exporter refuses
 * a family split in two). A comment that is not HELP or TYPE stays with the family it is in.
 */
export function metricFamilies(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const types = new Map<string, string>();
  let current: Family | undefined;
  const enter = (name: string): Family => {
    if (current?.name === name) return current;
    const family = families.get(name) ?? { name, lines: [] };
    families.set(name, family);
    current = family;
    return family;
  };
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const meta = /^#\s*(HELP|TYPE)\s+(\S+)(?:\s+(\S+))?/.exec(line);
    if (meta !== null) {
      const [, keyword, name = "", type] = meta;
      if (keyword === "TYPE" && type !== undefined) types.set(name, type);
      enter(name).lines.push(line);
    } else if (line.startsWith("#")) {
      (current ?? enter("")).lines.push(line);
    } else {
      const sample = /^[^\s{]+/.exec(line)?.[0] ?? "";
      enter(familyOf(sample, current, types)).lines.push(line);
    }
  }
  return families;
}

/** The family a sample belongs to: the current one when it is its sample or a histogram/summary series. */
function familyOf(sample: string, current: Family | undefined, types: ReadonlyMap<string, string>): string {
  if (current === undefined) return sample;
  if (sample === current.name) return current.name;
  const suffixed = SUFFIXED_TYPES.has(types.get(current.name) ?? "");
  return suffixed && SUFFIXES.some((suffix) => sample === current.name + suffix) ? current.name : sample;
}

/** `existing` with the families of `update` in place of its own of the same name (see MetricsFileSink). */
export function mergeMetricFamilies(existing: string, update: string): string {
  const merged = metricFamilies(existing);
  for (const [name, family] of metricFamilies(update)) merged.set(name, family);
  const lines = [...merged.values()].flatMap((family) => family.lines);
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** Writes `text` to `file` through a temporary file beside it and a rename; removes the temporary on failure. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.tmp-${randomBytes(6).toString("hex")}`;
  try {
    await writeFile(temp, text, { flag: "wx" });
    await rename(temp, file);
  } catch (cause) {
    await rm(temp, { force: true });
    throw new MetricsFileError(file, "write", { cause });
  }
}
