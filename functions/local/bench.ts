// `npm run bench -- <ingest|matcher|bundle|crash|load> [args]`: measured numbers, printed; the last
// line is one JSON object.
const BENCHES: Record<string, (args: string[]) => Promise<Record<string, number>>> = {
  ingest: async () => (await import("./bench-ingest.ts")).benchIngest(),
  matcher: async () => (await import("./bench-matcher.ts")).benchMatcher(),
  bundle: async () => (await import("./bench-bundle.ts")).benchBundle(),
  crash: async (args) => (await import("./bench-crash.ts")).benchCrash(args),
  load: async (args) => (await import("./bench-load.ts")).benchLoad(args),
};

const name = process.argv[2];
const bench = name ? BENCHES[name] : undefined;
if (!bench) {
  console.error(`Usage: npm run bench -- <${Object.keys(BENCHES).join("|")}> [args]`);
  process.exitCode = 2;
} else {
  const result = await bench(process.argv.slice(3));
  console.log(JSON.stringify(result));
}
