import { randomBytes } from "node:crypto";
import { rename, rm, stat, writeFile } from "node:fs/promises";
import { fileErrorReason, HelmDriftError } from "../errors.js";
import type { CliIo } from "./io.js";

/** A rendered report and where it goes: a file, or stdout (`file: null`). */
export interface RenderedOutput {
  file: string | null;
  text: string;
}

/** A report file that could not be written; nothing of the run's reports was left behind. */
export class OutputWriteError extends HelmDriftError {
  constructor(
    readonly file: string,
    options: { cause: unknown },
  ) {
    super(`cannot write ${file}: ${fileErrorReason(options.cause)}; no report was written`, options);
  }
}

/**
 * Writes every report, all or nothing as far as a file system allows: each file is first written whole to
 * `FILE.tmp-<random>` beside it (same directory, so the rename stays on one file system and is atomic), and
 * only when every one of them is written are they renamed into place; stdout comes last. When a write fails,
 * every temporary file is removed and no report is in place or printed, so a pipeline never reads a cut report
 * or one of an earlier run mixed with this run's. (A rename failing after another succeeded, which a same-
 * directory rename practically does not, leaves that earlier file whole and in place.)
 */
export async function writeOutputs(
  outputs: readonly RenderedOutput[],
  io: Pick<CliIo, "stdout">,
): Promise<void> {
  const files = outputs.flatMap((output) =>
    output.file === null ? [] : [{ file: output.file, text: output.text, temp: tempPath(output.file) }],
  );
  // A directory in a file's place would fail only at its rename, after others were renamed: refuse it first.
  for (const { file } of files) {
    const existing = await stat(file).catch(() => null);
    if (existing?.isDirectory()) {
      throw new OutputWriteError(file, {
        cause: Object.assign(new Error("is a directory"), { code: "EISDIR" }),
      });
    }
  }
  const written: string[] = [];
  try {
    for (const { file, text, temp } of files) {
      await writeFile(temp, text, { flag: "wx" }).catch((cause: unknown) => {
        throw new OutputWriteError(file, { cause });
      });
      written.push(temp);
    }
    for (const { file, temp } of files) {
      await rename(temp, file).catch((cause: unknown) => {
        throw new OutputWriteError(file, { cause });
      });
      written.splice(written.indexOf(temp), 1);
    }
  } finally {
    await Promise.all(written.map((temp) => rm(temp, { force: true })));
  }
  for (const output of outputs) if (output.file === null) io.stdout(output.text);
}

function tempPath(file: string): string {
  return `${file}.tmp-${randomBytes(6).toString("hex")}`;
}
