import { main } from "../../../src/cli/main.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in-process as a user would call it, with stdout/stderr captured and no terminal; `tty` makes
 * stdout look like one, `stderrTty` stderr.
 */
export async function runCli(
  args: string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv; tty?: boolean; stderrTty?: boolean; cwd?: string } = {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => options.stdin ?? "",
    env: options.env ?? {},
    stdoutIsTty: options.tty ?? false,
    stderrIsTty: options.stderrTty ?? false,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  return { code, stdout, stderr };
}
