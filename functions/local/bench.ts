// `npm run bench -- <ingest|matcher|bundle>`: measured numbers, printed; the last line is one JSON object.
const BENCHES: Record<string, () => Promise<Record<string, number>>> = {
  ingest: async () => (await import("./bench-ingest.ts")).benchIngest(),
  matcher: async () => (await import("./bench-matcher.ts")).benchMatcher(),
  bundle: async () => (await import("./bench-bundle.ts")).benchBundle(),
};

const name = process.argv[2];
const bench = name ? BENCHES[name] : undefined;
if (!bench) {
  console.error(`Usage: npm run bench -- <${Object.keys(BENCHES).join("|")}>`);
  process.exitCode = 2;
} else {
  const result = await bench();
  console.log(JSON.stringify(result));
}
