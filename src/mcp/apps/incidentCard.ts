/**
 * The incident card, an MCP App (the `io.modelcontextprotocol/ui` extension, SEP-1865, stable
 * 2026-01-26): runframe_get_incident and runframe_list_incidents name a UI resource in their
 * tools/list `_meta`, and a host that renders MCP Apps reads it with resources/read and shows the
 * tool's result in it. The HTML is one self-contained file built from ./view at build time
 * (esbuild.mjs) and injected as __INCIDENT_CARD_HTML__: no remote content, a strict CSP of its
 * own, and `_meta.ui.csp` declaring no domains. Hosts without MCP Apps ignore `_meta` and show
 * the text content as before.
 *
 * The constants are the ones @modelcontextprotocol/ext-apps exports (test/mcp/incident-card.test.ts
 * compares them): importing them from its server entry would bundle a second copy of the SDK.
 */

declare const __INCIDENT_CARD_HTML__: string;

/** MCP Apps extension identifier (ext-apps EXTENSION_ID). */
export const UI_EXTENSION_ID = 'io.modelcontextprotocol/ui';
/** MIME type of an MCP App's HTML (ext-apps RESOURCE_MIME_TYPE). */
export const APP_MIME_TYPE = 'text/html;profile=mcp-app';
/** The deprecated flat key older hosts read (ext-apps RESOURCE_URI_META_KEY). */
export const LEGACY_RESOURCE_URI_KEY = 'ui/resourceUri';

export const INCIDENT_CARD_URI = 'ui://runframe/incident-card.html';

/** The tools whose results the card renders. */
export const CARD_TOOLS: readonly string[] = ['runframe_get_incident', 'runframe_list_incidents'];

/** `_meta` of a tool in tools/list: the card for CARD_TOOLS (plus the legacy key, as ext-apps' registerAppTool sets), none otherwise. */
export function appToolMeta(toolName: string): Record<string, unknown> | undefined {
  if (!CARD_TOOLS.includes(toolName)) return undefined;
  return { ui: { resourceUri: INCIDENT_CARD_URI }, [LEGACY_RESOURCE_URI_KEY]: INCIDENT_CARD_URI };
}

/** Resource metadata: no network, no extra permissions, a border around the card. */
const UI_META = { ui: { csp: { connectDomains: [], resourceDomains: [], frameDomains: [], baseUriDomains: [] }, prefersBorder: true } };

/** The card's resources/list entry. */
export const INCIDENT_CARD_RESOURCE = {
  uri: INCIDENT_CARD_URI,
  name: 'incident-card',
  title: 'Incident card',
  description: 'Interactive card for runframe_get_incident and runframe_list_incidents results (MCP Apps): acknowledge, add a note, change status.',
  mimeType: APP_MIME_TYPE,
  _meta: UI_META,
};

/** The card's HTML; undefined when the server runs unbundled (tests under tsx, before `npm run build`). */
export function incidentCardHtml(): string | undefined {
  return typeof __INCIDENT_CARD_HTML__ === 'string' ? __INCIDENT_CARD_HTML__ : undefined;
}

/**
 * resources/read of a `ui://` URI of this server.
 * @returns undefined when `uri` is not the card's (the caller answers for other URIs)
 * @throws Error when the card was not built into this server
 */
export function readAppResource(uri: string): { contents: { uri: string; mimeType: string; text: string; _meta: typeof UI_META }[] } | undefined {
  if (uri !== INCIDENT_CARD_URI) return undefined;
  const html = incidentCardHtml();
  if (!html) throw new Error('The incident card is not built into this server: run `npm run build`.');
  return { contents: [{ uri, mimeType: APP_MIME_TYPE, text: html, _meta: UI_META }] };
}
