// What the local commands (npm start, npm run feed, npm run history) share on the command line.

/** Bad options or config: the usage text follows the message. */
export const EXIT_USAGE = 2;

/**
 * Reads a command's options with `parse`, or gives the exit status when the command is done before
 * it starts: an option it does not know (message and usage on stderr, EXIT_USAGE) or `--help`
 * (usage on stdout, 0).
 */
export function readCommandLine<T extends { help?: boolean }>(parse: () => T, usage: string): T | number {
  let args: T;
  try {
    args = parse();
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${usage}`);
    return EXIT_USAGE;
  }
  if (args.help) {
    console.log(usage);
    return 0;
  }
  return args;
}

/**
 * The SDK warns that releases after January 2027 need Node 22; the Lambda runtime is newer, and the
 * warning would bury a local command's output.
 */
export function quietSdkNodeWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}
