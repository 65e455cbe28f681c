// The Lookout process: reads configuration, refuses unsafe listen addresses, opens the data directory,
// serves HTTP, and shuts down gracefully (flush, fsync, close) on SIGINT/SIGTERM.

import pino from 'pino';
import { buildApp } from './app.ts';
import { isLoopback, loadConfig } from './config.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  if (!isLoopback(config.host) && !config.allowInsecure) {
    console.error(`refusing to listen on ${config.host}: no authentication is configured, so only loopback is safe (start with --allow-insecure to override)`);
    process.exit(2);
  }
  const logger = pino({ level: config.logLevel });
  const { app, node } = await buildApp({ config, logger });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: flushing indices');
    await app.close();
    node.stop();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const address = await app.listen({ host: config.host, port: config.port });
  logger.info({ address, dataDir: config.dataDir }, 'Lookout is listening');
  if (config.awsCredentials.length === 0) {
    logger.warn('no aws.credentials configured: the AWS APIs on POST / accept any signature (or none)');
  }
}

void main();
