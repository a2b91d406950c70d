/* sechk page: the front end over sechk's C core (src/web/sechk_web.h), which
 * emscripten compiled to WebAssembly and the build inlined above this script.
 * Plain JS, no framework.  No checking logic here: reading, checking and every
 * output come from the same library functions as the command line.
 * Nothing is sent anywhere and nothing is stored: files are read into the
 * module's in-memory file system, and downloads are made from memory. */
"use strict";

(function () {
  const T = {
    ja: {
      subtitle: "セキュリティチェックリストの確認",
      offline: "オフラインで動作します。ファイルはこの PC の外に送信されません。",
      tabCheck: "提出物の確認",
      tabTemplate: "白紙のチェックリスト",
      dropTitle: "ここに .xlsx ファイルかフォルダをドロップしてください",
      pickFiles: "ファイルを選ぶ…",
      pickFolder: "フォルダを選ぶ…",
      phase: "確認する段階",
      phaseAuto: "自動（後の段階の回答から判定、なければ選定）",
      phaseSelection: "選定",
      phaseDevelopment: "開発（導入・構築）",
      phaseOperation: "運用・保守",
      phaseDisposal: "更改・廃棄",
      dlZip: "すべてを .zip でダウンロード",
      dlSummaryXlsx: "集計表 summary.xlsx",
      dlSummaryCsv: "集計表 summary.csv",
      colFile: "ファイル",
      colService: "サービス",
      colPhase: "段階",
      colVerdict: "判定",
      colCounts: "件数",
      colDownload: "ダウンロード",
      hintRow: "行をクリックすると指摘事項を表示します。",
      project: "事業名",
      service: "利用する外部サービス",
      date: "作成日",
      makeTemplate: "作成してダウンロード",
      footer: "sechk — 処理はすべてこのブラウザの中で行われます（WebAssembly）。ページを閉じると内容は消えます。",
      loading: "準備中…",
      ready: "準備ができました。ファイルをドロップするか選んでください。",
      running: (d, n, name) => `処理中 ${d}/${n} 件: ${name}`,
      done: (n, bad, unread, skip, s) =>
        `完了: ${n} 件（不備あり ${bad} 件、読み込めない ${unread} 件）` +
        (skip ? `、スキップ ${skip} 件` : "") + `、${s} 秒`,
      none: "ブック（.xlsx, .xlsm）が見つかりません",
      review: "確認用ブック",
      auto: "自動",
      errors: "エラー",
      warnings: "警告",
      noFindings: "指摘事項はありません。",
      unreadable: "読み込めません",
      failed: "処理できませんでした: ",
      tplDone: (name) => `${name} を作成しました。`,
      langButton: "English",
      busy: "処理中です。終わるまでお待ちください。",
    },
    en: {
      subtitle: "security checklist review",
      offline: "Works offline. Files never leave this PC.",
      tabCheck: "Check submissions",
      tabTemplate: "Blank checklist",
      dropTitle: "Drop .xlsx files or a folder here",
      pickFiles: "Choose files…",
      pickFolder: "Choose a folder…",
      phase: "Phase to check",
      phaseAuto: "auto (from answers to later-phase blocks, else selection)",
      phaseSelection: "selection",
      phaseDevelopment: "development",
      phaseOperation: "operation",
      phaseDisposal: "disposal",
      dlZip: "Download everything as .zip",
      dlSummaryXlsx: "summary.xlsx",
      dlSummaryCsv: "summary.csv",
      colFile: "File",
      colService: "Service",
      colPhase: "Phase",
      colVerdict: "Verdict",
      colCounts: "Counts",
      colDownload: "Download",
      hintRow: "Click a row to see its findings.",
      project: "Project",
      service: "External service",
      date: "Date",
      makeTemplate: "Make and download",
      footer: "sechk — everything runs inside this browser (WebAssembly). Closing the page discards it all.",
      loading: "Loading…",
      ready: "Ready. Drop or choose files.",
      running: (d, n, name) => `Working ${d}/${n}: ${name}`,
      done: (n, bad, unread, skip, s) =>
        `Done: ${n} files (${bad} with deficiencies, ${unread} unreadable)` +
        (skip ? `, ${skip} skipped` : "") + `, ${s} s`,
      none: "no workbooks (.xlsx, .xlsm) found",
      review: "review",
      auto: "auto",
      errors: "errors",
      warnings: "warnings",
      noFindings: "No findings.",
      unreadable: "unreadable",
      failed: "Could not run: ",
      tplDone: (name) => `${name} was made.`,
      langButton: "日本語",
      busy: "Busy; please wait for the run to finish.",
    },
  };
  const WORKBOOK = /\.(xlsx|xlsm|xls|xlsb|ods)$/i;
  const $ = (id) => document.getElementById(id);
  let lang = "ja";
  let M = null;          // the WebAssembly module
  let busy = false;
  let lastFiles = null;  // File objects of the last run (for a rerun in the other language)
  let lastSkipped = 0;
  let zipBytes = null;

  function t(key) { return T[lang][key]; }

  function applyLang() {
    document.documentElement.lang = lang;
    for (const el of document.querySelectorAll("[data-i18n]")) {
      const v = T[lang][el.dataset.i18n];
      if (typeof v === "string") el.textContent = v;
    }
    $("lang").textContent = t("langButton");
    $("lang").lang = lang === "ja" ? "en" : "ja";
  }

  function progress(text) { $("progress").textContent = text; }

  /* ---- downloads, made from memory ---- */
  function save(bytes, name, type) {
    const blob = new Blob([bytes], { type: type || "application/octet-stream" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
  const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  function base(path) { return path.slice(path.lastIndexOf("/") + 1); }
  function saveOut(path, type) { save(M.FS.readFile(path), base(path), type); }

  /* ---- the C core ---- */
  function call(name, ret, types, args) { return M.ccall(name, ret, types, args); }

  /* ---- collecting files: picked, a picked folder, or dropped (files and folders) ---- */
  async function readEntries(dir) {
    const reader = dir.createReader();
    const all = [];
    for (;;) {
      const batch = await new Promise((ok, bad) => reader.readEntries(ok, bad));
      if (!batch.length) return all;
      all.push(...batch);
    }
  }
  async function walkEntry(entry, prefix, out) {
    if (entry.isFile) {
      const file = await new Promise((ok, bad) => entry.file(ok, bad));
      out.push({ file, path: prefix + entry.name });
    } else if (entry.isDirectory) {
      for (const e of await readEntries(entry)) await walkEntry(e, prefix + entry.name + "/", out);
    }
  }

  /* Keeps workbooks as `sechk batch` does (skips ~$ lock files, hidden names,
   * other extensions) and makes paths relative to their common folder. */
  function plan(list) {
    let skipped = 0;
    const kept = [];
    for (const x of list) {
      const parts = x.path.split("/").filter((p) => p.length);
      const name = parts[parts.length - 1] || "";
      if (name.startsWith("~$") || parts.some((p) => p.startsWith(".")) || !WORKBOOK.test(name)) {
        skipped++;
        continue;
      }
      kept.push({ file: x.file, parts: parts.map((p) => p.replace(/[\u0000-\u001f\u007f]/g, "?")) });
    }
    let common = kept.length ? kept[0].parts.slice(0, -1) : [];
    for (const k of kept) {
      const dir = k.parts.slice(0, -1);
      let i = 0;
      while (i < common.length && i < dir.length && common[i] === dir[i]) i++;
      common = common.slice(0, i);
    }
    const seen = new Set();
    const files = [];
    for (const k of kept) {
      const path = k.parts.slice(common.length).join("/");
      if (seen.has(path)) { skipped++; continue; } // the same file reached twice
      seen.add(path);
      files.push({ file: k.file, path });
    }
    return { files, skipped };
  }

  /* ---- a run ---- */
  const tick = () => new Promise((ok) => setTimeout(ok, 0));

  function mkdirs(path) {
    const dirs = path.split("/").slice(0, -1);
    let p = "/in";
    for (const d of dirs) {
      p += "/" + d;
      try { M.FS.mkdir(p); } catch (e) { /* exists */ }
    }
  }
  function rmIn(path) {
    try { M.FS.unlink("/in/" + path); } catch (e) { /* gone */ }
  }

  async function run(files, skipped) {
    if (busy) { progress(t("busy")); return; }
    busy = true;
    document.body.dataset.state = "running";
    lastFiles = files;
    lastSkipped = skipped;
    zipBytes = null;
    const tbody = document.querySelector("#results tbody");
    tbody.textContent = "";
    $("downloads").hidden = true;
    const started = performance.now();
    try {
      const byPath = new Map(files.map((f) => [f.path, f.file]));
      const n = call("skw_begin", "number", ["number", "string", "number", "string"],
        [lang === "en" ? 1 : 0, $("phase").value, 0, files.map((f) => f.path).join("\n")]);
      if (n < 0) throw new Error(call("skw_error", "string", [], []));
      $("results").hidden = n === 0;
      let bad = 0, unread = 0;
      for (let i = 0; i < n; i++) {
        const path = call("skw_path", "string", ["number"], [i]);
        const file = byPath.get(path);
        progress(t("running")(i + 1, n, path));
        await tick();
        let status;
        try {
          // over the file-size limit: failed by the core without reading the bytes
          status = call("skw_oversize", "number", ["number", "number"], [i, file.size]);
          if (status === 2) throw "oversize";
          const bytes = new Uint8Array(await file.arrayBuffer());
          mkdirs(path);
          M.FS.writeFile("/in/" + path, bytes);
          status = call("skw_run", "number", ["number", "number"], [i, Math.floor(file.lastModified / 1000)]);
        } catch (e) {
          if (e !== "oversize") {
            status = -1;
            console.warn("sechk:", path, e); // e.g. the file vanished or memory ran out
          }
        }
        rmIn(path);
        let row = status >= 0 ? JSON.parse(call("skw_result", "string", [], [])) : null;
        if (!row) row = { file: path, status: 2, verdict: t("unreadable"), error: String(t("failed")), findings: [] };
        if (row.status === 1) bad++;
        if (row.status === 2) unread++;
        addRow(tbody, row);
      }
      if (n > 0 && call("skw_finish", "number", [], []) === 0) {
        const ptr = call("skw_zip_data", "number", [], []);
        const len = call("skw_zip_size", "number", [], []);
        zipBytes = M.HEAPU8.slice(ptr, ptr + len);
        $("downloads").hidden = false;
        $("dl-zip").hidden = n < 2;
      } else if (n > 0) {
        progress(t("failed") + call("skw_error", "string", [], []));
      }
      const secs = ((performance.now() - started) / 1000).toFixed(1);
      progress(n === 0 ? t("none") : t("done")(n, bad, unread, skipped, secs));
    } catch (e) {
      progress(t("failed") + (e && e.message ? e.message : String(e)));
    } finally {
      busy = false;
      document.body.dataset.state = "done";
    }
  }

  function cell(tr, text, cls) {
    const td = document.createElement("td");
    td.textContent = text == null ? "" : String(text);
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }
  function button(td, label, onclick, cls) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    if (cls) b.className = cls;
    b.addEventListener("click", (ev) => { ev.stopPropagation(); onclick(); });
    td.appendChild(b);
  }

  function addRow(tbody, row) {
    const tr = document.createElement("tr");
    tr.className = "row";
    tr.dataset.file = row.file;
    tr.dataset.status = row.status;
    cell(tr, row.file);
    cell(tr, row.service);
    const ph = cell(tr, row.phase ? row.phase + (row.phase_auto ? ` (${t("auto")})` : "") : "");
    if (row.phase_basis) ph.title = row.phase_basis; // why auto chose that phase
    const vcls = row.status === 2 ? "v-2" : row.status === 1 ? "v-1" : row.warnings ? "v-w" : "v-0";
    cell(tr, row.verdict, "verdict " + vcls);
    if (row.status === 2) {
      cell(tr, `${t("unreadable")}: ${row.error}`, "err"); // one line: the reason as the CLI gives it
      cell(tr, "");
    } else {
      const c = row.counts, L = row.labels;
      const parts = Object.keys(c).filter((k) => c[k]).map((k) => `${L[k]} ${c[k]}`);
      parts.push(`${t("errors")} ${row.errors}`, `${t("warnings")} ${row.warnings}`);
      cell(tr, parts.join(" / "), "counts");
      const td = cell(tr, "", "dl");
      button(td, t("review"), () => saveOut(row.review, XLSX), "dl-review");
      button(td, "JSON", () => saveOut(row.json, "application/json"), "dl-json");
      if (row.csv) button(td, "CSV", () => saveOut(row.csv, "text/csv"), "dl-csv");
    }
    tr.addEventListener("click", () => toggleDetail(tr, row));
    tbody.appendChild(tr);
  }

  function toggleDetail(tr, row) {
    const next = tr.nextElementSibling;
    if (next && next.classList.contains("detail")) { next.remove(); return; }
    const d = document.createElement("tr");
    d.className = "detail";
    const td = document.createElement("td");
    td.colSpan = 6;
    if (row.status === 2) {
      td.textContent = row.error;
    } else if (!row.findings.length) {
      td.textContent = t("noFindings");
    } else {
      const ul = document.createElement("ul");
      ul.className = "findings";
      for (const f of row.findings) {
        const li = document.createElement("li");
        li.className = f.severity;
        li.textContent = `No.${f.no}${f.cell ? " " + f.cell : ""} [${f.severity_label}] ${f.message}`;
        ul.appendChild(li);
      }
      td.appendChild(ul);
    }
    d.appendChild(td);
    tr.after(d);
  }

  /* ---- the blank template ---- */
  function makeTemplate(ev) {
    ev.preventDefault();
    const project = $("t-project").value.trim(), service = $("t-service").value.trim();
    const date = $("t-date").value;
    const name = "checklist" + (service ? "-" + service.replace(/[\\/:*?"<>|\u0000-\u001f]/g, "_") : "") + ".xlsx";
    const out = "/tpl/" + name;
    const rc = call("skw_template", "number", ["string", "string", "string", "string"], [project, service, date, out]);
    if (rc !== 0) {
      $("t-status").textContent = t("failed") + call("skw_error", "string", [], []);
      return;
    }
    save(M.FS.readFile(out), name, XLSX);
    M.FS.unlink(out);
    $("t-status").textContent = t("tplDone")(name);
  }

  /* ---- wiring ---- */
  function today() {
    const d = new Date();
    const p = (x) => String(x).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  }

  function start() {
    applyLang();
    progress(t("loading"));
    $("t-date").value = today();
    $("lang").addEventListener("click", () => {
      lang = lang === "ja" ? "en" : "ja";
      applyLang();
      if (lastFiles && !busy) run(lastFiles, lastSkipped);
    });
    for (const b of document.querySelectorAll(".tabs button")) {
      b.addEventListener("click", () => {
        for (const o of document.querySelectorAll(".tabs button")) {
          o.setAttribute("aria-selected", String(o === b));
          $(o.dataset.tab).hidden = o !== b;
        }
      });
    }
    $("pick-files").addEventListener("click", () => $("files").click());
    $("pick-folder").addEventListener("click", () => $("folder").click());
    const fromInput = (input) => {
      const list = Array.from(input.files).map((f) => ({ file: f, path: f.webkitRelativePath || f.name }));
      input.value = "";
      const p = plan(list);
      run(p.files, p.skipped);
    };
    $("files").addEventListener("change", () => fromInput($("files")));
    $("folder").addEventListener("change", () => fromInput($("folder")));
    const drop = $("drop");
    drop.addEventListener("dragover", (ev) => { ev.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", async (ev) => {
      ev.preventDefault();
      drop.classList.remove("over");
      const items = Array.from(ev.dataTransfer.items || []);
      const entries = items.map((it) => it.webkitGetAsEntry && it.webkitGetAsEntry()).filter(Boolean);
      const list = [];
      if (entries.length) {
        for (const e of entries) await walkEntry(e, "", list);
      } else {
        for (const f of ev.dataTransfer.files) list.push({ file: f, path: f.name });
      }
      const p = plan(list);
      run(p.files, p.skipped);
    });
    // a file dropped beside the box must not make the browser leave the page
    window.addEventListener("dragover", (ev) => ev.preventDefault());
    window.addEventListener("drop", (ev) => ev.preventDefault());
    $("dl-zip").addEventListener("click", () => zipBytes && save(zipBytes, "sechk-batch.zip", "application/zip"));
    $("dl-summary-xlsx").addEventListener("click", () => saveOut("/out/summary.xlsx", XLSX));
    $("dl-summary-csv").addEventListener("click", () => saveOut("/out/summary.csv", "text/csv"));
    $("template-form").addEventListener("submit", makeTemplate);

    SechkCore({ print: () => {}, printErr: (s) => console.warn(s) }).then((mod) => {
      M = mod;
      try { M.FS.mkdir("/in"); } catch (e) { /* exists */ }
      try { M.FS.mkdir("/tpl"); } catch (e) { /* exists */ }
      M.FS.chdir("/in");
      if (call("skw_init", "number", [], []) !== 0) throw new Error(call("skw_error", "string", [], []));
      progress(t("ready"));
      document.body.dataset.state = "ready";
    }).catch((e) => {
      progress(t("failed") + (e && e.message ? e.message : String(e)));
      document.body.dataset.state = "error";
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
