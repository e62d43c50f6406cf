// Run inside a tmux pane: prints each string of argv[2] (JSON) at column 0,
// asks the terminal where the cursor went (DSR 6) and writes the columns to
// argv[3]. tmux answers from its own width logic, so this measures tmux, not us.
const fs = require('node:fs');

const items = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const columns = [];
let pending = '';
process.stdin.setRawMode(true);
function next() {
  if (columns.length === items.length) {
    fs.writeFileSync(`${process.argv[3]}.part`, JSON.stringify(columns));
    fs.renameSync(`${process.argv[3]}.part`, process.argv[3]);
    process.exit(0);
  }
  process.stdout.write(`\x1b[H\x1b[2K${items[columns.length]}\x1b[6n`);
}
process.stdin.on('data', (data) => {
  pending += data.toString('latin1');
  const report = /\x1b\[(\d+);(\d+)R/.exec(pending);
  if (!report) return;
  pending = '';
  // A string reaching the next row would show as row 2: count those columns too.
  columns.push((Number(report[1]) - 1) * 1000 + Number(report[2]) - 1);
  next();
});
next();
