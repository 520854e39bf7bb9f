/**
 * The incident page's stylesheet and script, inlined under the page's nonce. The style uses only
 * VS Code's theme variables (so light, dark and high-contrast themes all read), and the script
 * only posts button clicks to the extension and swaps in the content it sends back.
 */

import { SEVERITY_STYLE } from './treeRows';

/**
 * CSS of the page; colours come from the theme (`--vscode-*`), never literals. Severity colours
 * are classes (the CSP allows no style attributes), the theme colour of each severity as in the
 * sidebar.
 */
export const PAGE_STYLE = `${Object.entries(SEVERITY_STYLE)
  .map(([sev, s]) => `.sev-${sev} { --sev-color: var(--vscode-${s.color.replace(/\./g, '-')}); }`)
  .join('\n')}
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 20px 24px; line-height: 1.5; max-width: 980px; }
h1 { font-size: 1.5em; font-weight: 600; margin: 16px 0 8px; }
h1 .number { color: var(--vscode-descriptionForeground); font-weight: 500; margin-right: 4px; }
h2 { font-size: 1.1em; font-weight: 600; margin: 20px 0 6px; border-bottom: 1px solid var(--vscode-panel-border, var(--vscode-widget-border, transparent)); padding-bottom: 3px; }
.muted { color: var(--vscode-descriptionForeground); font-weight: normal; }
code { font-family: var(--vscode-editor-font-family); font-size: 0.9em; background: var(--vscode-textCodeBlock-background); padding: 0 4px; border-radius: 3px; }
.badges { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0 12px; }
.badge { display: inline-flex; align-items: center; gap: 4px; padding: 1px 8px; border-radius: 10px; border: 1px solid var(--vscode-widget-border, var(--vscode-contrastBorder, var(--vscode-descriptionForeground))); }
.badge .codicon { font-size: 14px; }
.badge.severity { border-color: var(--sev-color, var(--vscode-descriptionForeground)); font-weight: 600; }
.badge.severity .codicon { color: var(--sev-color, inherit); }
/* SEV0 and SEV1 filled with the status bar's alarm colours: solid and readable in every theme. */
.badge.severity.urgent { background: var(--vscode-statusBarItem-errorBackground); color: var(--vscode-statusBarItem-errorForeground); border-color: var(--vscode-statusBarItem-errorBackground); }
.badge.severity.urgent .codicon, .badge.severity.urgent .muted { color: inherit; }
.badge.unacked .codicon { color: var(--vscode-errorForeground); }
.badge.unacked { background: var(--vscode-inputValidation-errorBackground, transparent); border-color: var(--vscode-inputValidation-errorBorder, var(--vscode-errorForeground)); color: var(--vscode-foreground); font-weight: 600; }
.badge.acked .codicon { color: var(--vscode-testing-iconPassed, inherit); }
.actions { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 8px; }
button { display: inline-flex; align-items: center; gap: 5px; font: inherit; padding: 3px 10px; border-radius: 2px; cursor: pointer;
  color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); border: 1px solid var(--vscode-button-border, var(--vscode-contrastBorder, transparent)); }
button:hover:not(:disabled) { background: var(--vscode-button-secondaryHoverBackground); }
button[data-action="acknowledge"]:not(:disabled) { color: var(--vscode-button-foreground); background: var(--vscode-button-background); }
button[data-action="acknowledge"]:hover:not(:disabled) { background: var(--vscode-button-hoverBackground); }
button:focus-visible { outline: 2px solid var(--vscode-focusBorder); outline-offset: 2px; }
button:disabled { opacity: 0.5; cursor: not-allowed; }
.details { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 12px 0; }
.details dt { color: var(--vscode-descriptionForeground); }
.details dd { margin: 0; }
.sla { display: inline-flex; align-items: center; gap: 4px; }
.sla-missed { color: var(--vscode-errorForeground); font-weight: 600; }
.sla-met .codicon { color: var(--vscode-testing-iconPassed, inherit); }
.description, .comment { white-space: pre-wrap; overflow-wrap: anywhere; }
.people { margin: 0; padding-left: 20px; }
.timeline { list-style: none; margin: 0; padding: 0; }
.event { border-left: 2px solid var(--vscode-widget-border, var(--vscode-contrastBorder, var(--vscode-descriptionForeground))); padding: 2px 0 8px 12px; }
.event-head time { font-variant-numeric: tabular-nums; color: var(--vscode-descriptionForeground); margin-right: 6px; }
.event-type { font-weight: 600; }
.banner .codicon { margin-top: 2px; }
.banner { display: flex; align-items: flex-start; gap: 6px; margin: 12px 0 0; padding: 8px 12px; border: 1px solid var(--vscode-inputValidation-warningBorder, var(--vscode-contrastBorder, currentColor)); background: var(--vscode-inputValidation-warningBackground, transparent); }
footer { margin-top: 20px; font-size: 0.9em; }
`;

/**
 * Posts `{type: 'ready'}` once loaded and `{type: 'action', action}` for each enabled button
 * click; replaces the page's content on `{type: 'render', html}` and, while the page has focus,
 * puts focus back on the button that had it (the content is rebuilt on each refresh).
 */
export const PAGE_SCRIPT = `
(function () {
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', function (e) {
    const b = e.target instanceof Element ? e.target.closest('button[data-action]') : null;
    if (b && !b.disabled) vscode.postMessage({ type: 'action', action: b.getAttribute('data-action') });
  });
  window.addEventListener('message', function (e) {
    const m = e.data;
    if (!m || m.type !== 'render' || typeof m.html !== 'string') return;
    // Focus goes back to the button only while the page itself has focus: focusing it when a
    // quick input is open (the page's own Change Status asks for a comment) would close that input.
    const focused = document.hasFocus() && document.activeElement && document.activeElement.getAttribute ? document.activeElement.getAttribute('data-action') : null;
    document.getElementById('page').innerHTML = m.html;
    if (focused) {
      const again = document.querySelector('button[data-action="' + focused + '"]');
      if (again && !again.disabled) again.focus();
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
`;
