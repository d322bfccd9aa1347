/** The narrow I/O a CLI command needs; tests pass fakes, `main.ts` passes the process. */
interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /**
   * Reads a file as UTF-8; `-` means standard input. With `limited`, a file over the input limit
   * (README "Input limits") is refused before it is read.
   */
  readonly readFile: (path: string, options?: { readonly limited?: boolean }) => Promise<string>;
  readonly writeFile: (path: string, content: string) => Promise<void>;
}

/** A command takes its own arguments (after the command name) and returns the exit code. */
type Command = (args: readonly string[], io: CliIO) => Promise<number>;

export type { CliIO, Command };
