import type { AppStore } from "./store.ts";
import { encodeView } from "./url-codec.ts";

/**
 * Keep the address bar equal to the current view, so it is always the link to share. While a
 * linked view waits for its trace, the address stays the link (reloading it still works).
 */
export function syncViewToUrl(store: AppStore): void {
  store.subscribe((state) => {
    if (state.pendingLink || !state.trace) return;
    const { ref, fingerprint } = state.trace;
    const [first, ...others] = state.models;
    const models = others.map((m) => ({ name: m.name, trace: m.ref, fingerprint: m.fingerprint }));
    const hash = encodeView({ view: state.view, trace: ref, fingerprint, ...(models.length ? { firstModel: first.name, models } : {}) });
    if (hash !== location.hash) history.replaceState(history.state, "", hash || location.pathname + location.search);
  });
}
