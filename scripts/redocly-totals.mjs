// Reads `redocly lint --format=json` on stdin and fails unless it reports
// 0 errors and 0 warnings (Redocly itself exits 0 on warnings).
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { totals } = JSON.parse(input);
  console.log(`redocly ${process.argv[2] ?? ""}: ${totals.errors} errors, ${totals.warnings} warnings, ${totals.ignored} ignored`);
  if (totals.errors !== 0 || totals.warnings !== 0 || totals.ignored !== 0) process.exit(1);
});
