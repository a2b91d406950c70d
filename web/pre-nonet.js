/* sechk page, first script: the page needs no network API, so it has none.
 * The Content-Security-Policy already forbids every destination; taking the
 * APIs away as well means nothing even tries (emscripten 3.1.6's glue would
 * otherwise fetch() its own inlined data: URL, which the policy refuses
 * with a console error, before decoding it in place). */
"use strict";
for (const name of ["fetch", "XMLHttpRequest", "WebSocket", "EventSource", "RTCPeerConnection"]) {
  try { window[name] = undefined; } catch (e) { /* not writable: the CSP still applies */ }
}
try { navigator.sendBeacon = () => false; } catch (e) { /* the CSP still applies */ }
