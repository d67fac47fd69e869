/** Everything the CLI touches of the process, passed in so the CLI can be run in tests as a function. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
  env: NodeJS.ProcessEnv;
  stdoutIsTty: boolean;
  /** Whether stderr is a terminal: progress is shown only there. Absent: it is not. */
  stderrIsTty?: boolean;
  /** The working directory relative paths are read from (`.helm-drift.yaml`); the process's by default. */
  cwd?: string;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
    env: process.env,
    stdoutIsTty: Boolean(process.stdout.isTTY),
    stderrIsTty: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
}
