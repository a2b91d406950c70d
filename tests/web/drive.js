// Drives build/web/sechk.html in headless Chromium (puppeteer-core, the
// system's /usr/bin/chromium; nothing downloaded) and records what the page
// did, for tests/web/check.py to compare with the CLI.
//
// usage: node drive.js PAGE.html OUTDIR FILE...   (env CHROMIUM, SCREENSHOT, BENCH, FOLDER)
//
// Writes OUTDIR/result.json: rows (the results table), requests (every
// request the page made, seen by interception), console (errors and
// warnings), timing; and downloads into OUTDIR/dl: for each readable file
// its JSON, CSV and review workbook, summary.xlsx, summary.csv, the batch
// .zip, and a blank template from the second tab.
"use strict";
const fs = require("fs");
const path = require("path");
const puppeteer = require("puppeteer-core");

const [page_path, outdir, ...files] = process.argv.slice(2);
const bench = !!process.env.BENCH;
const dl = path.join(outdir, "dl");
fs.mkdirSync(dl, { recursive: true });

function sleep(ms) { return new Promise((ok) => setTimeout(ok, ms)); }

// Waits until a file named name is complete in the download folder.
async function waitFile(name, timeout = 30000, quiet = false) {
  const p = path.join(dl, name);
  for (let t = 0; t < timeout; t += 50) {
    if (fs.existsSync(p) && !fs.existsSync(p + ".crdownload")) {
      const a = fs.statSync(p).size;
      await sleep(30);
      if (a > 0 && fs.statSync(p).size === a) return p;
    }
    await sleep(50);
  }
  if (quiet) return null;
  throw new Error(`download ${name} did not arrive`);
}

// Clicks a download button and waits for the file; clicks again if Chrome's
// limit on many downloads from one page held it back.
async function download(click, name) {
  for (let i = 0; i < 4; i++) {
    await click();
    if (await waitFile(name, 8000, true)) return;
  }
  throw new Error(`download ${name} did not arrive`);
}

(async () => {
  const profile = fs.mkdtempSync(path.join(outdir, "profile-"));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", `--user-data-dir=${profile}`],
    userDataDir: profile,
  });
  const result = { rows: [], requests: [], console: [], errors: [] };
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1100, height: 760 });
    const url = "file://" + path.resolve(page_path);
    await page.setRequestInterception(true);
    page.on("request", (req) => {
      result.requests.push(req.url().startsWith("data:") ? req.url().slice(0, 400) : req.url());
      if (req.url() === url) req.continue();
      else req.abort();
    });
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning" || m.type() === "warn")
        result.console.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => result.errors.push(String(e)));
    const cdp = await page.target().createCDPSession();
    await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: path.resolve(dl) });
    try { // many downloads from one page: allow them without a prompt
      await cdp.send("Browser.grantPermissions", { permissions: ["automaticDownloads"] });
    } catch (e) { /* older Chromium: download() clicks again instead */ }

    const t0 = Date.now();
    await page.goto(url, { waitUntil: "load" });
    await page.waitForSelector('body[data-state="ready"]', { timeout: 60000 });
    result.load_ms = Date.now() - t0;

    const input = await page.$("#files");
    const t1 = Date.now();
    await input.uploadFile(...files.map((f) => path.resolve(f)));
    await page.waitForSelector('body[data-state="done"]', { timeout: 600000 });
    result.run_ms = Date.now() - t1;
    result.progress = await page.$eval("#progress", (e) => e.textContent);
    result.rows = await page.$$eval("#results tbody tr.row", (trs) => trs.map((tr) => ({
      file: tr.dataset.file,
      status: Number(tr.dataset.status),
      cells: Array.from(tr.children).map((td) => td.textContent),
    })));
    if (!bench) {
      // findings on click: the first row with findings (else the first row) opens a detail row
      const rows = (await page.$$('#results tbody tr.row[data-status="1"]')).concat(await page.$$("#results tbody tr.row"));
      if (rows.length) {
        await rows[0].click();
        result.detail = await page.$eval("#results tbody tr.detail", (e) => e.textContent).catch(() => null);
      }
      // per-file downloads
      for (const tr of await page.$$("#results tbody tr.row")) {
        const file = await tr.evaluate((e) => e.dataset.file);
        const stem = file.replace(/\.[^.]*$/, "").replace(/^.*\//, "");
        for (const [cls, ext] of [["dl-json", ".json"], ["dl-csv", ".csv"], ["dl-review", ".review.xlsx"]]) {
          const b = await tr.$("button." + cls);
          if (!b) continue;
          await download(() => b.click(), stem + ext);
        }
      }
      if (await page.$eval("#dl-zip", (e) => !e.hidden && !e.closest("[hidden]"))) {
        await download(() => page.click("#dl-zip"), "sechk-batch.zip");
      }
      await download(() => page.click("#dl-summary-xlsx"), "summary.xlsx");
      await download(() => page.click("#dl-summary-csv"), "summary.csv");
      if (process.env.SCREENSHOT) {
        await page.screenshot({ path: process.env.SCREENSHOT, type: "png" });
      }
      // the second tab: a blank template
      await page.click("#tab-template-btn");
      await page.type("#t-project", "テスト事業");
      await page.type("#t-service", "テストクラウド");
      await page.$eval("#t-date", (e) => { e.value = "2026-04-01"; });
      await download(() => page.click("#t-make"), "checklist-テストクラウド.xlsx");
      result.template_status = await page.$eval("#t-status", (e) => e.textContent);
      // the English switch reruns the last files in English
      await page.click("#tab-check-btn");
      await page.click("#lang");
      await page.waitForFunction(() => document.documentElement.lang === "en" &&
        document.body.dataset.state === "done" && document.querySelector("#results tbody tr.row"), { timeout: 600000 });
      result.english_header = await page.$eval("#results thead", (e) => e.textContent.replace(/\s+/g, " ").trim());
      result.english_rows = await page.$$eval("#results tbody tr.row", (trs) => trs.map((tr) => tr.children[3].textContent));
      // a drop of two samples with the phase set to operation
      const dropped = files.filter((f) => /\/(deficient|operation)\.xlsx$/.test(f));
      const payload = dropped.map((f) => ({ name: path.basename(f), b64: fs.readFileSync(f).toString("base64") }));
      await page.select("#phase", "operation");
      await page.evaluate((items) => {
        const dt = new DataTransfer();
        for (const it of items) {
          const bin = atob(it.b64), bytes = new Uint8Array(bin.length);
          for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
          dt.items.add(new File([bytes], it.name));
        }
        document.body.dataset.state = "dropping";
        document.getElementById("drop").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, payload);
      await page.waitForSelector('body[data-state="done"]', { timeout: 600000 });
      result.dropped = await page.$$eval("#results tbody tr.row", (trs) => trs.map((tr) => ({
        file: tr.dataset.file, status: Number(tr.dataset.status), phase: tr.children[2].textContent,
      })));
      // a folder picked (env FOLDER): nested folders, lock and hidden files, names that meet
      if (process.env.FOLDER) {
        await page.select("#phase", "auto");
        await page.$eval("body", (e) => { e.dataset.state = "picking"; });
        await (await page.$("#folder")).uploadFile(path.resolve(process.env.FOLDER));
        await page.waitForSelector('body[data-state="done"]', { timeout: 600000 });
        result.folder_rows = await page.$$eval("#results tbody tr.row", (trs) => trs.map((tr) => tr.dataset.file));
        result.folder_progress = await page.$eval("#progress", (e) => e.textContent);
        fs.renameSync(path.join(dl, "sechk-batch.zip"), path.join(dl, "sechk-batch-files.zip"));
        await download(() => page.click("#dl-zip"), "sechk-batch.zip");
        fs.renameSync(path.join(dl, "sechk-batch.zip"), path.join(dl, "sechk-batch-folder.zip"));
        fs.renameSync(path.join(dl, "sechk-batch-files.zip"), path.join(dl, "sechk-batch.zip"));
      }
    }
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(outdir, "result.json"), JSON.stringify(result, null, 1));
})().catch((e) => {
  console.error("drive.js:", e && e.stack ? e.stack : e);
  process.exit(2);
});
