import { readFile } from "node:fs/promises";
import { InputError } from "../errors.js";

const PROBLEMS: Record<string, string> = {
  ENOENT: "no such file",
  EISDIR: "is a directory, not a file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOTDIR: "a part of the path is not a directory",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "path too long",
};

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The text of a file, or of stdin when the path is `-`. A byte-order mark is removed. */
export async function readInput(pathOrDash: string, stdin: () => Promise<string>): Promise<string> {
  let text: string;
  if (pathOrDash === "-") {
    text = await stdin();
  } else {
    try {
      text = await readFile(pathOrDash, "utf8");
    } catch (error) {
      const code = errorCode(error);
      if (code === undefined) throw error;
      throw new InputError(pathOrDash, PROBLEMS[code] ?? `cannot read (${code})`, undefined, {
        cause: error,
      });
    }
  }
  return text.replace(/^\uFEFF/, "");
}
