// Loaded into every page by nginx (deploy/nginx.conf.template, sub_filter) when the app runs behind
// scripts/serve.py. When Streamlit's websocket reconnects after its worker died, the balancer sends it to a
// live worker, which has no session for this tab; Streamlit's frontend (1.67) assumes its session was resumed
// and neither reruns nor redraws, so the page would look alive but ignore the next slider move. The
// popdash_worker cookie names the worker that answered each websocket handshake: when a reconnect lands on a
// different worker, reload the page; the URL carries the view (area, page, tab, sliders), so it comes back.
(function () {
  "use strict";
  var Native = window.WebSocket;
  var first = null;

  function worker() {
    var m = document.cookie.match(/(?:^|;\s*)popdash_worker=([^;]*)/);
    return m ? m[1] : "";
  }

  class PopdashWebSocket extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      if (!/\/_stcore\/stream$/.test(String(url))) {
        return;
      }
      this.addEventListener("open", function () {
        var now = worker();
        if (first === null) {
          first = now;
        } else if (now !== first) {
          window.location.reload();
        }
      });
    }
  }

  window.WebSocket = PopdashWebSocket;
})();
