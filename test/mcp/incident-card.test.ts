import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { EXTENSION_ID, RESOURCE_MIME_TYPE, RESOURCE_URI_META_KEY } from '@modelcontextprotocol/ext-apps/server';
import { APP_MIME_TYPE, CARD_TOOLS, INCIDENT_CARD_URI, LEGACY_RESOURCE_URI_KEY, UI_EXTENSION_ID } from '../../src/mcp/apps/incidentCard';
import { call, connectMcp, mcpAgainstEmulator } from '../helpers';

/** The HTML's inline <script> and <style> texts and its CSP meta. */
function cardParts(html: string) {
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
  return { csp, scripts, styles };
}

const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The incident card (MCP App, issue 21.3): tool metadata and the UI resource over real stdio. */
describe('Incident card (MCP Apps) over stdio: tool metadata and the UI resource', function () {
  const s = mcpAgainstEmulator();

  it('21.3 uses the identifiers of @modelcontextprotocol/ext-apps', () => {
    assert.deepEqual([UI_EXTENSION_ID, APP_MIME_TYPE, LEGACY_RESOURCE_URI_KEY], [EXTENSION_ID, RESOURCE_MIME_TYPE, RESOURCE_URI_META_KEY]);
  });

  it('21.3 get_incident and list_incidents name the card in _meta.ui.resourceUri (and the legacy key); no other tool does; the server declares the extension', async () => {
    const { tools } = await s.mcp.client.listTools();
    for (const t of tools) {
      if (CARD_TOOLS.includes(t.name)) assert.deepEqual(t._meta, { ui: { resourceUri: INCIDENT_CARD_URI }, 'ui/resourceUri': INCIDENT_CARD_URI }, t.name);
      else assert.equal(t._meta, undefined, t.name);
    }
    assert.deepEqual(CARD_TOOLS, ['runframe_get_incident', 'runframe_list_incidents']);
    assert.deepEqual((s.mcp.client.getServerCapabilities() as { extensions?: unknown }).extensions, { 'io.modelcontextprotocol/ui': {} });
  });

  it('21.3 resources/list and resources/read serve one self-contained HTML with a strict CSP, no remote sources and no domains declared', async () => {
    const { resources } = await s.mcp.client.listResources();
    const listed = resources.find((r) => r.uri === INCIDENT_CARD_URI);
    assert.equal(listed?.mimeType, 'text/html;profile=mcp-app');
    const read = await s.mcp.client.readResource({ uri: INCIDENT_CARD_URI });
    assert.equal(read.contents.length, 1);
    const content = read.contents[0] as { uri: string; mimeType: string; text: string; _meta?: { ui?: { csp?: Record<string, unknown[]> } } };
    assert.deepEqual([content.uri, content.mimeType], [INCIDENT_CARD_URI, 'text/html;profile=mcp-app']);
    assert.deepEqual(content._meta?.ui?.csp, { connectDomains: [], resourceDomains: [], frameDomains: [], baseUriDomains: [] });
    const html = content.text;
    assert.match(html, /^<!DOCTYPE html>/);
    const { csp, scripts, styles } = cardParts(html);
    assert.equal(scripts.length, 1, 'one inline script: the view bundled in');
    assert.equal(styles.length, 1);
    assert.equal(csp, `default-src 'none'; script-src ${sha(scripts[0])}; style-src ${sha(styles[0])}; img-src data:; font-src 'none'; connect-src 'none'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'`);
    // Nothing to load from elsewhere: no src/href/action attribute, no CSS url() or @import.
    assert.doesNotMatch(html, /<[^>]+\s(src|href|action)\s*=/i);
    assert.doesNotMatch(styles[0], /url\(|@import/i);
    assert.doesNotMatch(html.replace(scripts[0], ''), /https?:\/\//, 'no http(s) URL outside the bundled script');
    assert.ok(scripts[0].includes('ui/initialize') && scripts[0].includes('runframe_acknowledge_incident'), 'the view speaks the MCP Apps protocol and calls the tools');
  });

  it('21.3 the tool results a host without MCP Apps shows are unchanged: text content, structuredContent, no _meta', async () => {
    const n = s.emu.store.state.incidents[0].incident_number;
    const res = (await s.mcp.client.callTool({ name: 'runframe_get_incident', arguments: { id: n } })) as { content: { text: string }[]; _meta?: unknown };
    assert.match(res.content[0].text, new RegExp(`^${n} `));
    assert.equal(res._meta, undefined);
    const r = await call(s.mcp, 'runframe_list_incidents', { limit: 2 });
    assert.match(r.text, /^2 incidents of \d+/);
  });

  it('21.3 without the read tier (no resources), no tool names the card and the extension is not declared', async () => {
    const writeOnly = await connectMcp(s.emu, { RUNFRAME_TOOLSETS: 'write' });
    try {
      const { tools } = await writeOnly.client.listTools();
      assert.ok(tools.every((t) => t._meta === undefined));
      assert.equal((writeOnly.client.getServerCapabilities() as { extensions?: unknown }).extensions, undefined);
    } finally {
      await writeOnly.close();
    }
  });
});
