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

  test('the sandbox starts and the Runframe MCP server is offered', async () => {
    await vscode.commands.executeCommand('runframe.startSandbox');
    await vscode.commands.executeCommand('runframe.refresh');
    await vscode.commands.executeCommand('runframe.stopSandbox');
  });
});
