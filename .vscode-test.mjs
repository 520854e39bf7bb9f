// @vscode/test-cli configuration for contributors with internet access (it downloads VS Code).
// Build the tests first: `npm run test:integration` does both.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/integration/**/*.test.js',
  version: '1.101.0',
  mocha: { ui: 'tdd', timeout: 60000 },
});
