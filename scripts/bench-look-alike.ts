/**
 * `npm run bench:look-alike [-- --sizes 10000,100000]`: how long the look-alike sender check takes
 * against N known domains shaped as bench:queue's customers have them (custN.example, every third
 * also custN-old.example): building the index, one first lookup of an unknown domain (the full
 * comparison against every known name of a similar length), and a repeated one (the memo).
 * Prints figures; asserts nothing about time.
 */
import { buildLookAlikeIndex, findLookAlike } from "@/platform/email-address/look-alike";

const sizesArg = process.argv.indexOf("--sizes");
const sizes = (sizesArg > 0 ? process.argv[sizesArg + 1]! : "10000,100000").split(",").map(Number);
const LOOKUPS = 200;

console.log("| customers | known domains | build index | first lookup (mean) | repeated lookup (mean) |");
console.log("|---:|---:|---:|---:|---:|");
for (const customers of sizes) {
  const domains: string[] = [];
  for (let c = 1; c <= customers; c++) {
    domains.push(`cust${c}.example`);
    if (c % 3 === 2) domains.push(`cust${c}-old.example`);
  }
  let start = performance.now();
  const index = buildLookAlikeIndex(domains);
  const buildMs = performance.now() - start;
  const senders = Array.from({ length: LOOKUPS }, (_, i) => `unknown${i * 7}.example`);
  start = performance.now();
  for (const sender of senders) findLookAlike(sender, index);
  const firstMs = (performance.now() - start) / LOOKUPS;
  start = performance.now();
  for (let round = 0; round < 10; round++) for (const sender of senders) findLookAlike(sender, index);
  const repeatMs = (performance.now() - start) / (LOOKUPS * 10);
  console.log(
    `| ${customers.toLocaleString("en")} | ${index.size.toLocaleString("en")} | ${buildMs.toFixed(0)} ms | ${firstMs.toFixed(2)} ms | ${(repeatMs * 1000).toFixed(1)} µs |`,
  );
}
