/**
 * CLI of the local Runframe emulator (bundled as dist/emulator.js):
 *   node dist/emulator.js --port 4010 [--data file.json] [--seed N] [--key rf_...]
 * Prints the API URL and the demo keys, then serves until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { checkApiKeyFormat } from '../domain/identifiers';
import { formatDuration } from '../domain/format';
import { parseClockOffset } from './clockOffset';
import { defaultApiKeys, startEmulator } from './server';
import { startTestEmulator } from './testHarness';

declare const __VERSION__: string;

const HELP = `Runframe emulator: a local Runframe-compatible API with realistic demo data.

Usage: node dist/emulator.js [options]

Options:
  --port N          TCP port (default 4010; 0 picks a free port)
  --host ADDR       bind address (default 127.0.0.1)
  --data FILE       keep data in FILE (created with demo data if missing; atomic writes);
                    without it, data lives in memory only
  --seed N          seed for new demo data (default 1)
  --open-incidents N  add N synthetic open incidents to new demo data (scale tests)
  --key rf_...      use this full-scope API key instead of a random one
                    (or set RUNFRAME_EMULATOR_KEY)
  --test-endpoints  serve /__emulator/faults and /__emulator/requests for tests
  --clock-offset D  shift the emulator's "now" by D (e.g. +7h, 3d, -90m): demo data, on-call
                    shifts and SLA deadlines as they would be then (tests; default 0)
  -h, --help        show this help
  -v, --version     show the version

On start it prints the API URL and two keys: one with every scope, one read-only.
Point the MCP server at it with RUNFRAME_API_URL and RUNFRAME_API_KEY.`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '4010' },
        host: { type: 'string', default: '127.0.0.1' },
        data: { type: 'string' },
        seed: { type: 'string', default: '1' },
        'open-incidents': { type: 'string', default: '0' },
        key: { type: 'string' },
        'test-endpoints': { type: 'boolean', default: false },
        'clock-offset': { type: 'string', default: '0' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`runframe-emulator: ${(err as Error).message}\nRun with --help for usage.\n`);
    process.exit(2);
  }
  if (values.help) return void process.stdout.write(HELP + '\n');
  if (values.version) return void process.stdout.write(`${__VERSION__}\n`);
  const port = Number(values.port);
  const seed = Number(values.seed);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`runframe-emulator: --port must be a whole number from 0 to 65535 (got "${values.port}")\n`);
    process.exit(2);
  }
  const extraOpen = Number(values['open-incidents']);
  if (!Number.isInteger(extraOpen) || extraOpen < 0 || extraOpen > 100_000) {
    process.stderr.write(`runframe-emulator: --open-incidents must be a whole number from 0 to 100000 (got "${values['open-incidents']}")\n`);
    process.exit(2);
  }
  if (!Number.isInteger(seed)) {
    process.stderr.write(`runframe-emulator: --seed must be a whole number (got "${values.seed}")\n`);
    process.exit(2);
  }
  let clockOffsetMs = 0;
  try {
    clockOffsetMs = parseClockOffset(values['clock-offset']);
  } catch (err) {
    process.stderr.write(`runframe-emulator: --clock-offset: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const keyInput = values.key ?? process.env.RUNFRAME_EMULATOR_KEY;
  if (keyInput !== undefined) {
    const checked = checkApiKeyFormat(keyInput);
    if (!checked.ok) {
      process.stderr.write(`runframe-emulator: --key: ${checked.message}\n`);
      process.exit(2);
    }
  }
  let emulator;
  try {
    const start = values['test-endpoints'] ? startTestEmulator : startEmulator;
    emulator = await start({
      port, host: values.host, dataFile: values.data, seed, extraOpenIncidents: extraOpen,
      apiKeys: defaultApiKeys(keyInput?.trim()), testEndpoints: values['test-endpoints'], clockOffsetMs,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const msg = e.code === 'EADDRINUSE' ? `port ${port} is in use; pick another with --port (0 picks a free one)` : e.message;
    process.stderr.write(`runframe-emulator: ${msg}\n`);
    process.exit(1);
  }
  const [full, readOnly] = emulator.keys;
  process.stdout.write(
    [
      `Runframe emulator listening on ${emulator.url} (${emulator.store.state.organization.name}, ` +
        `${emulator.store.state.incidents.length} incidents, ${values.data ? `data in ${values.data}` : 'in memory'}` +
        `${clockOffsetMs ? `, clock ${clockOffsetMs > 0 ? '+' : '-'}${formatDuration(Math.abs(clockOffsetMs))} from now` : ''})`,
      `RUNFRAME_API_URL=${emulator.url}`,
      `RUNFRAME_API_KEY=${full.key}`,
      `Read-only key: ${readOnly.key}`,
      '',
    ].join('\n'),
  );
  const stop = async () => {
    await emulator.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
