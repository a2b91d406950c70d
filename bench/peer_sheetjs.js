// A peer for `make bench` (issue 21): what a team would write with SheetJS
// (the `xlsx` npm package, installed by `make deps-bench` into
// build/bench-node, never a dependency of sechk) to do sechk's extract + the
// simple checks over a folder of checklists: the same work as
// bench/peer_openpyxl.py (see there).
//
//   node bench/peer_sheetjs.js FILE.xlsx...   one JSON line per file on stdout
'use strict';
const path = require('path');
const XLSX = require(process.env.BENCH_NODE_MODULES
    ? path.resolve(process.env.BENCH_NODE_MODULES, 'xlsx')
    : 'xlsx');

const HEADS = ['外部サービス提供者回答欄', '受託者回答欄'];
const REMARK = /備考[：:]([\s\S]*)/;

function count(text, ch) {
    let n = 0;
    for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
    return n;
}

function checkCell(text) {
    if (typeof text !== 'string' || ['', '―', '-'].includes(text.trim())) return null;
    const nChecked = count(text, '■');
    const nBoxes = nChecked + count(text, '□');
    const m = REMARK.exec(text);
    const remark = m ? m[1].trim() : '';
    const findings = [];
    if (nBoxes && !nChecked) findings.push('unanswered');
    if (text.includes('適合') && text.includes('不適合') && nChecked > 1) findings.push('conflict');
    if (m && !remark) findings.push('no-remark');
    return { checked: nChecked, boxes: nBoxes, remark, findings };
}

function checkFile(file) {
    const wb = XLSX.readFile(file, { dense: true, cellStyles: false, cellHTML: false, cellText: false });
    const ws = wb.Sheets[wb.SheetNames[0]];
    const rows = XLSX.utils.sheet_to_json(ws, { header: 1, raw: true, defval: null, blankrows: false });
    let cols = null;
    const items = [];
    for (const row of rows) {
        if (cols === null) {
            if (row && row[0] === 'No.')
                cols = row.map((v, k) => (typeof v === 'string' && HEADS.some((h) => v.startsWith(h)) ? k : -1))
                    .filter((k) => k >= 0);
            continue;
        }
        const no = row[0];
        if (no === null || no === undefined || !/^\s*\d+\s*$/.test(String(no))) continue;
        items.push({ no: parseInt(String(no), 10), cells: cols.map((k) => checkCell(row[k])) });
    }
    let nFind = 0;
    for (const it of items) for (const c of it.cells) if (c) nFind += c.findings.length;
    return { file, items: items.length, findings: nFind };
}

const out = [];
for (const f of process.argv.slice(2)) out.push(JSON.stringify(checkFile(f)));
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
