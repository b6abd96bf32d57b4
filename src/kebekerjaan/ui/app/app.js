// The staff app's page script (router.py shows it once per tab, as a trusted cell output).
// Three small jobs the widgets cannot do alone:
//   1. navigation in one tab: back/forward and in-page links ?halaman=NAME click the menu
//      button of that page (the kernel swaps the page, sets the address and the title);
//   2. the staff name: every "Dicatat oleh"-like field (.kb-petugas) is remembered per
//      browser (localStorage) and filled in when a form shows it empty;
//   3. uploads: files picked in an .kb-unggah form are sent over HTTP to /unggah/ with a
//      progress bar, one after another (a large file never freezes the page; one over the
//      limit is refused before it is sent); then the kernel is told what was sent.
// Only constants are put into this script by the kernel (__PARAM__, __HOME__).
(function () {
  if (window.kbApp) { return; }
  window.kbApp = true;
  var PARAM = "__PARAM__", HOME = "__HOME__", BASE = "/";
  try {  // the server's base URL, as Voila gives it to its own scripts
    BASE = JSON.parse(document.getElementById("jupyter-config-data").textContent).baseUrl || "/";
  } catch (err) { /* no config: served at the root */ }

  // --- 1. navigation -------------------------------------------------------------------
  function pageOf(href) {
    var url = new URL(href, location.href);
    var m = url.pathname.match(/\/voila\/render\/(\w+)\.ipynb$/);  // old page links
    return url.searchParams.get(PARAM) || (m && m[1]) || null;
  }
  function go(name) {
    var b = document.querySelector(".kb-nav-" + name);
    if (b) { b.click(); return true; }
    return false;
  }
  window.addEventListener("popstate", function () { go(pageOf(location.href) || HOME); });
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[href]");
    if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) { return; }
    var url = new URL(a.getAttribute("href"), location.href);
    if (url.origin !== location.origin) { return; }
    var name = pageOf(url.href);
    if (name && go(name)) { e.preventDefault(); e.stopPropagation(); }
  }, true);

  // --- 2. the staff name ---------------------------------------------------------------
  var KEY = "kebekerjaan.petugas";
  function remembered() {
    try { return localStorage.getItem(KEY) || ""; } catch (err) { return ""; }
  }
  document.addEventListener("change", function (e) {
    var input = e.target;
    if (input.closest && input.closest(".kb-petugas") && input.value.trim()) {
      try { localStorage.setItem(KEY, input.value.trim()); } catch (err) { /* private mode */ }
    }
  }, true);
  function fillStaff(root) {
    var name = remembered();
    if (!name) { return; }
    root.querySelectorAll(".kb-petugas input").forEach(function (input) {
      if (input.value || input.dataset.kbIsi) { return; }
      input.dataset.kbIsi = "1";
      input.value = name;
      input.dispatchEvent(new Event("change", { bubbles: true }));  // the widget syncs on change
    });
  }
  new MutationObserver(function () { fillStaff(document); })
    .observe(document.body, { childList: true, subtree: true });

  // --- 3. uploads ----------------------------------------------------------------------
  function mb(size) { return (size / 1e6).toLocaleString("id-ID", { maximumFractionDigits: 1 }) + " MB"; }
  function sendOne(token, file, shown, done) {
    var xhr = new XMLHttpRequest();
    xhr.open("PUT", BASE + "unggah/" + token + "/" + encodeURIComponent(file.name));
    xhr.setRequestHeader("X-Kebekerjaan-Unggah", "1");  // not sendable cross-site without CORS
    xhr.upload.onprogress = function (ev) { shown(ev.loaded); };
    xhr.onload = function () {
      var why = "";
      if (xhr.status !== 200) {
        try { why = JSON.parse(xhr.responseText).pesan; } catch (err) { why = "galat " + xhr.status; }
      }
      done(why);
    };
    xhr.onerror = function () { done("sambungan ke aplikasi terputus"); };
    xhr.send(file);
  }
  document.addEventListener("change", function (e) {
    var input = e.target;
    if (!input.classList || !input.classList.contains("kb-berkas")) { return; }
    var form = input.closest(".kb-unggah");
    var token = input.dataset.token, max = Number(input.dataset.max);
    var files = Array.prototype.slice.call(input.files || []);
    input.value = "";
    if (!form || !files.length) { return; }
    var bar = form.querySelector(".kb-kemajuan");
    var report = { id: Date.now(), dikirim: [], terlalu_besar: [], gagal: [] };
    var queue = files.filter(function (f) {
      if (f.size > max) { report.terlalu_besar.push({ name: f.name, size: f.size }); return false; }
      return true;
    });
    var total = queue.reduce(function (n, f) { return n + f.size; }, 0) || 1, before = 0;
    function say(text, value) {
      if (!bar) { return; }
      bar.innerHTML = "";
      var p = document.createElement("progress");
      p.max = total; p.value = value;
      var label = document.createElement("div");
      label.textContent = text;
      bar.appendChild(p); bar.appendChild(label);
    }
    function finish() {
      if (bar) { bar.textContent = queue.length ? "Pengiriman selesai; berkas diperiksa…" : ""; }
      var box = form.querySelector(".kb-unggah-laporan input");
      if (box) {
        box.value = JSON.stringify(report);
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
    function next(i) {
      if (i >= queue.length) { finish(); return; }
      var f = queue[i];
      sendOne(token, f, function (loaded) {
        say("Mengirim " + f.name + " (" + (i + 1) + " dari " + queue.length + "): " +
            mb(loaded) + " dari " + mb(f.size), before + loaded);
      }, function (why) {
        if (why) { report.gagal.push({ name: f.name, why: why }); } else { report.dikirim.push(f.name); }
        before += f.size;
        next(i + 1);
      });
    }
    next(0);
  });
})();
