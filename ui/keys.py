"""The presenter's keyboard (a clicker sends PageDown/PageUp or arrows) and the viewport size, as one small
Streamlit custom component (components v2: the script runs in the page, no iframe, no network).

Keys: next PageDown → ↓ Space N; previous PageUp ← ↑ P; Home/End first/last; a slide number then Enter jumps to it;
B or . blacks the screen out (again, or Esc, brings it back; done in the browser, no round trip); Esc leaves
presenter mode. Keys typed into an input or a slider are left to it (a live scenario slide keeps its sliders).
"""
from __future__ import annotations

import streamlit as st

_JS = r"""
export default function (component) {
  const { data, setTriggerValue, setStateValue } = component;
  const w = window;
  w.__popdashKeysTrigger = setTriggerValue;
  const size = [w.innerWidth, w.innerHeight];
  if (!data || !data.size || data.size[0] !== size[0] || data.size[1] !== size[1]) setStateValue("size", size);
  const cleanup = () => {
    if (w.__popdashKeysTrigger === setTriggerValue) { w.__popdashKeysTrigger = null; w.__popdashGoneAt = Date.now(); }
  };
  if (w.__popdashPending) {  // a key pressed while the previous page was being replaced (a moment ago)
    const pending = w.__popdashPending;
    w.__popdashPending = null;
    if (Date.now() - pending.t < 3000) setTriggerValue("action", pending.a);
  }
  if (w.__popdashKeys) return cleanup;
  w.__popdashKeys = true;
  let digits = "";
  const badge = document.createElement("div");
  badge.id = "popdash-jump";
  badge.style.cssText = "position:fixed;right:24px;bottom:18px;z-index:2147483646;font:28px sans-serif;" +
    "background:#000;color:#fff;padding:4px 14px;border-radius:6px;display:none";
  document.body.appendChild(badge);
  const black = () => document.getElementById("popdash-black");
  const toggleBlack = () => {
    if (black()) { black().remove(); return; }
    const d = document.createElement("div");
    d.id = "popdash-black";
    d.style.cssText = "position:fixed;inset:0;background:#000;z-index:2147483647;cursor:none";
    document.body.appendChild(d);
  };
  const send = (action) => {
    if (w.__popdashKeysTrigger) w.__popdashKeysTrigger("action", action);
    else w.__popdashPending = {a: action, t: Date.now()};  // between two slides' pages: the next one sends it
  };
  let resizeTimer = null;
  w.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => w.__popdashKeysState && w.__popdashKeysState([w.innerWidth, w.innerHeight]), 300);
  });
  document.addEventListener("keydown", (e) => {
    const t = e.target;
    if (t && (t.closest && t.closest("input, textarea, select, [role=slider], [contenteditable=true]"))) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    // Only in presenter mode: a listener is mounted, or one was a moment ago (the next slide's page is loading).
    if (!w.__popdashKeysTrigger && !(w.__popdashGoneAt && Date.now() - w.__popdashGoneAt < 2500)) return;
    const k = e.key;
    let action = null;
    if (k === "b" || k === "B" || k === ".") { toggleBlack(); e.preventDefault(); return; }
    if (k === "Escape" && black()) { black().remove(); e.preventDefault(); return; }
    if (/^[0-9]$/.test(k)) { digits = (digits + k).slice(-3); badge.textContent = "→ " + digits; badge.style.display = "block"; return; }
    if (k === "Enter" && digits) { action = "jump:" + digits; }
    else if (["PageDown", "ArrowRight", "ArrowDown", " ", "n", "N"].includes(k)) action = "next";
    else if (["PageUp", "ArrowLeft", "ArrowUp", "p", "P"].includes(k)) action = "prev";
    else if (k === "Home") action = "first";
    else if (k === "End") action = "last";
    else if (k === "Escape") action = "exit";
    digits = ""; badge.style.display = "none";
    if (action) { e.preventDefault(); send(action); }
  });
  return cleanup;
}
"""
# The size callback is refreshed on every mount (the first mount's closure would otherwise be the only one).
_JS = _JS.replace('w.__popdashKeysTrigger = setTriggerValue;',
                  'w.__popdashKeysTrigger = setTriggerValue;\n  w.__popdashKeysState = (s) => setStateValue("size", s);')

_component = st.components.v2.component("popdash_presenter_keys", js=_JS)


def keys(key: str = "pl_keys") -> tuple[str | None, tuple[int, int] | None]:
    """Mount the keyboard listener; (the action pressed since the last run or None, the viewport's (width, height),
    None until the browser has reported it — the component does so as soon as it is mounted, which reruns)."""
    size = st.session_state.get("_viewport")
    result = _component(key=key, data={"size": list(size) if size else None}, height="content",
                        on_action_change=lambda: None,
                        on_size_change=lambda: None)
    reported = result.get("size") if hasattr(result, "get") else None
    if reported and len(reported) == 2:
        size = (int(reported[0]), int(reported[1]))
        st.session_state["_viewport"] = size
    action = result.get("action") if hasattr(result, "get") else None
    return action, size
