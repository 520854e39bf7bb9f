/**
 * Integration tests inside a real VS Code (run with `npm run test:integration` where VS Code can
 * be downloaded; @vscode/test-cli). The end-to-end suite that runs here uses code-server instead.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

suite('Runframe extension', () => {
  test('activates and registers its commands', async () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'runframe-incident-cockpit');
    assert.ok(ext, 'extension is installed');
    await ext.activate();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['runframe.setApiKey', 'runframe.removeApiKey', 'runframe.startSandbox', 'runframe.stopSandbox', 'runframe.refresh', 'runframe.acknowledgeIncident']) {
      assert.ok(commands.includes(id), id);
    }
  });

  // The MCP server definition is not readable through the stable API (VS Code 1.101); the
  // end-to-end suite starts it through VS Code's MCP registry. Here: the sandbox's data reaches
  // the extension's own readers, and stops reaching them when the sandbox stops.
  test('the sandbox starts, serves its demo data, and stops', async () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'runframe-incident-cockpit');
    assert.ok(ext, 'extension is installed');
    await ext.activate();
    // A detail document is fetched when opened; a query makes each read a new document, so
    // nothing is served from VS Code's cache of one opened before.
    let reads = 0;
    const detail = async (n: string) => (await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'runframe-incident', path: `/${n}.md`, query: `read=${++reads}` }))).getText();
    // The demo data numbers incidents per year of creation (INC-<year>-001 first) and its newest
    // incident is an hour old when made, so the first incident of this year or the last one exists
    // whatever the date; a data file an earlier run left in the profile may be a few years older.
    const year = new Date().getUTCFullYear();
    const first = [0, 1, 2, 3, 4].map((back) => `INC-${year - back}-001`);

    await vscode.commands.executeCommand('runframe.stopSandbox'); // a sandbox a previous run left on
    const notConnected = (text: string, n: string) => text.startsWith(`# ${n}\n\nNot connected to Runframe`);
    assert.ok(notConnected(await detail(first[0]), first[0]), 'without a key or the sandbox, nothing is connected (run with a fresh profile)');

    await vscode.commands.executeCommand('runframe.startSandbox');
    const texts = await Promise.all(first.map(detail));
    const found = first.findIndex((n, i) => texts[i].startsWith(`# ${n}: `));
    assert.ok(found >= 0, `the sandbox serves a demo incident; got:\n${texts.map((t) => t.split('\n')[0]).join('\n')}`);
    assert.match(texts[found], /^## Timeline \([1-9]\d* events?\)$/m, 'with its timeline');
    await vscode.commands.executeCommand('runframe.refresh');

    await vscode.commands.executeCommand('runframe.stopSandbox');
    assert.ok(notConnected(await detail(first[found]), first[found]), 'after Stop Sandbox the demo data is no longer served');
  });
});
